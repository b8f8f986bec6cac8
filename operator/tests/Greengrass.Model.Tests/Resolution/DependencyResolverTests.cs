using Greengrass.Model.Resolution;
using Greengrass.Model.Versions;

namespace Greengrass.Model.Tests.Resolution;

public sealed class DependencyResolverTests
{
    private const DependencyKind Hard = DependencyKind.Hard;
    private const DependencyKind Soft = DependencyKind.Soft;

    [Fact]
    public void Resolve_Diamond_PicksOneSharedVersionAndOrdersDependenciesFirst()
    {
        var catalog = new ComponentCatalogBuilder()
            .Add("App", "1.0.0", ("LibA", "^1.0.0", Hard), ("LibB", "^1.0.0", Hard))
            .Add("LibA", "1.0.0", ("Core", "^1.0.0", Hard))
            .Add("LibB", "1.0.0", ("Core", ">=1.2.0 <2.0.0", Hard))
            .Add("Core", "1.0.0").Add("Core", "1.2.0").Add("Core", "1.5.0").Add("Core", "2.0.0")
            .Build();

        var result = Resolve(catalog, ("fleet", "App", "1.0.0"));

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal(["Core@1.5.0", "LibA@1.0.0", "LibB@1.0.0", "App@1.0.0"], Labels(result));
        Assert.True(result.Find("App")!.IsRoot);
        Assert.False(result.Find("Core")!.IsRoot);
    }

    [Fact]
    public void Resolve_SeveralSatisfyingVersions_ChoosesNewest()
    {
        var catalog = new ComponentCatalogBuilder()
            .Add("Lib", "1.0.0").Add("Lib", "1.4.2").Add("Lib", "1.10.0-beta").Add("Lib", "2.0.0")
            .Build();

        var result = Resolve(catalog, ("fleet", "Lib", "^1.0.0"));

        Assert.Equal(["Lib@1.4.2"], Labels(result));
    }

    [Fact]
    public void Resolve_NewestRootVersionConflictsWithOtherDeployment_BacktracksToOlderRoot()
    {
        var catalog = new ComponentCatalogBuilder()
            .Add("App", "1.0.0", ("Lib", "^1.0.0", Hard))
            .Add("App", "2.0.0", ("Lib", "^2.0.0", Hard))
            .Add("Lib", "1.3.0").Add("Lib", "2.1.0")
            .Build();

        var result = Resolve(catalog, ("fleet-a", "App", ">=1.0.0"), ("fleet-b", "Lib", "~1.3"));

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal(["Lib@1.3.0", "App@1.0.0"], Labels(result));
    }

    [Fact]
    public void Resolve_TransitiveConstraint_ForcesOlderIntermediateVersion()
    {
        // Mid 2.x needs Base 2.x, which does not exist; only Mid 1.x (Base 1.x) can work.
        var catalog = new ComponentCatalogBuilder()
            .Add("App", "1.0.0", ("Mid", "*", Hard))
            .Add("Mid", "1.0.0", ("Base", "^1.0.0", Hard))
            .Add("Mid", "1.1.0", ("Base", "^1.0.0", Hard))
            .Add("Mid", "2.0.0", ("Base", "^2.0.0", Hard))
            .Add("Base", "1.0.0").Add("Base", "1.7.0")
            .Build();

        var result = Resolve(catalog, ("fleet", "App", "1.0.0"));

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal(["Base@1.7.0", "Mid@1.1.0", "App@1.0.0"], Labels(result));
    }

    [Fact]
    public void Resolve_SharedDependency_GetsNewestVersionAcceptableToEveryDependent()
    {
        // Shared is decided only after both of its dependents, so their requirements are combined before any version is picked.
        var catalog = new ComponentCatalogBuilder()
            .Add("Alpha", "1.0.0", ("Shared", ">=1.0.0", Hard))
            .Add("Beta", "1.0.0", ("Shared", "<2.0.0", Hard))
            .Add("Shared", "1.9.0").Add("Shared", "2.0.0")
            .Build();

        var result = Resolve(catalog, ("fleet", "Alpha", "1.0.0"), ("fleet", "Beta", "1.0.0"));

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal("1.9.0", result.Find("Shared")!.Version.ToString());
    }

    [Fact]
    public void Resolve_DeadEndBehindManyUnrelatedChoices_JumpsBackToTheCulprit()
    {
        // A 2.0.0 needs Z 2.x but Pin needs Z 1.x. Thirty unrelated components with ten versions each are decided between A
        // and Z; retrying their 10^30 combinations would exhaust the search budget, jumping back to A finds A 1.0.0 at once.
        var builder = new ComponentCatalogBuilder();
        var fillers = Enumerable.Range(0, 30).Select(i => ($"F{i:D2}", "*", Hard)).ToArray();
        builder.Add("A", "1.0.0", [.. fillers, ("Z", "^1.0.0", Hard)]);
        builder.Add("A", "2.0.0", [.. fillers, ("Z", "^2.0.0", Hard)]);
        builder.Add("Pin", "1.0.0", ("Z", "~1.1", Hard));
        builder.Add("Z", "1.1.0").Add("Z", "2.0.0");
        foreach (var (name, _, _) in fillers)
        {
            for (var v = 0; v < 10; v++)
            {
                builder.Add(name, $"1.{v}.0", ("Z", "*", Hard));
            }
        }

        var result = Resolve(builder.Build(), ("fleet", "A", "*"), ("fleet", "Pin", "1.0.0"));

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal("1.0.0", result.Find("A")!.Version.ToString());
        Assert.Equal("1.1.0", result.Find("Z")!.Version.ToString());
        Assert.Equal("1.9.0", result.Find("F29")!.Version.ToString());
        Assert.Equal("Z", result.Components[0].Name);
    }

    [Fact]
    public void Resolve_SoftDependencyAbsentFromCatalog_IsNotInstalled()
    {
        var catalog = new ComponentCatalogBuilder()
            .Add("App", "1.0.0", ("Optional", "^1.0.0", Soft), ("Lib", "^1.0.0", Hard))
            .Add("Lib", "1.0.0")
            .Build();

        var result = Resolve(catalog, ("fleet", "App", "1.0.0"));

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal(["Lib@1.0.0", "App@1.0.0"], Labels(result));
        Assert.Equal(["Lib"], result.Find("App")!.Dependencies.Select(d => d.ComponentName));
    }

    [Fact]
    public void Resolve_SoftDependencyInCatalog_IsResolvedAndInstalledLikeHard()
    {
        // GREENGRASS.md §1.3: SOFT = install/resolve only; the difference is start gating, not installation.
        var catalog = new ComponentCatalogBuilder()
            .Add("App", "1.0.0", ("Metrics", "^1.0.0", Soft))
            .Add("Metrics", "1.0.0").Add("Metrics", "1.2.0").Add("Metrics", "2.0.0")
            .Build();

        var result = Resolve(catalog, ("fleet", "App", "1.0.0"));

        Assert.Equal(["Metrics@1.2.0", "App@1.0.0"], Labels(result));
        Assert.Equal(Soft, result.Find("App")!.Dependencies.Single().Kind);
    }

    [Fact]
    public void Resolve_SoftDependencyInCatalogWithNoMatchingVersion_Fails()
    {
        var catalog = new ComponentCatalogBuilder()
            .Add("App", "1.0.0", ("Metrics", "^3.0.0", Soft))
            .Add("Metrics", "1.0.0")
            .Build();

        var result = Resolve(catalog, ("fleet", "App", "1.0.0"));

        Assert.Equal(ResolutionErrorKind.NoMatchingVersion, result.Error!.Kind);
        Assert.Equal("component \"Metrics\": no available version satisfies requirement \"^3.0.0\" from component \"App@1.0.0\" (available: 1.0.0)",
            result.Error.Message);
    }

    [Fact]
    public void Resolve_AbsentComponentSoftForOneHardForAnother_IsNotFound()
    {
        var catalog = new ComponentCatalogBuilder()
            .Add("App", "1.0.0", ("Optional", "*", Soft))
            .Add("Tool", "1.0.0", ("Optional", "^1.0.0", Hard))
            .Build();

        var result = Resolve(catalog, ("fleet", "App", "1.0.0"), ("fleet", "Tool", "1.0.0"));

        Assert.Equal(ResolutionErrorKind.NotFound, result.Error!.Kind);
        Assert.Equal("Optional", result.Error.ComponentName);
        Assert.Contains("component \"Tool@1.0.0\"", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_ConflictingPinsFromTwoDeployments_NamesBothDeploymentsAndRequirements()
    {
        var catalog = new ComponentCatalogBuilder()
            .Add("com.example.Lib", "1.0.0").Add("com.example.Lib", "2.0.0").Add("com.example.Lib", "1.4.2")
            .Build();

        var result = Resolve(catalog, ("fleet-b", "com.example.Lib", "2.0.0"), ("fleet-a", "com.example.Lib", "^1.0.0"));

        Assert.False(result.Succeeded);
        Assert.Equal(ResolutionErrorKind.Conflict, result.Error!.Kind);
        Assert.Equal(
            "component \"com.example.Lib\": requirement \"^1.0.0\" from deployment \"fleet-a\" and requirement \"2.0.0\" from deployment \"fleet-b\" "
            + "cannot both be satisfied (available: 1.0.0, 1.4.2, 2.0.0)",
            result.Error.Message);
        Assert.Equal(["fleet-a", "fleet-b"], result.Error.Requirements.Select(r => r.Owner));
        Assert.Empty(result.Components);
    }

    [Fact]
    public void Resolve_TwoDependentsNeedIncompatibleVersions_NamesBothDependents()
    {
        var catalog = new ComponentCatalogBuilder()
            .Add("Web", "1.0.0", ("Tls", "^1.0.0", Hard))
            .Add("Mqtt", "3.0.0", ("Tls", "^2.0.0", Hard))
            .Add("Tls", "1.1.0").Add("Tls", "2.2.0")
            .Build();

        var result = Resolve(catalog, ("fleet", "Mqtt", "3.0.0"), ("fleet", "Web", "1.0.0"));

        Assert.Equal(ResolutionErrorKind.Conflict, result.Error!.Kind);
        Assert.Contains("requirement \"^2.0.0\" from component \"Mqtt@3.0.0\"", result.Error.Message, StringComparison.Ordinal);
        Assert.Contains("requirement \"^1.0.0\" from component \"Web@1.0.0\"", result.Error.Message, StringComparison.Ordinal);
        Assert.Contains("(available: 1.1.0, 2.2.0)", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_RootMissingFromCatalog_IsNotFoundNamingDeployment()
    {
        var catalog = new ComponentCatalogBuilder().Add("Other", "1.0.0").Build();

        var result = Resolve(catalog, ("thinggroup/line-1", "com.example.Missing", "1.0.0"));

        Assert.Equal(ResolutionErrorKind.NotFound, result.Error!.Kind);
        Assert.Equal("component \"com.example.Missing\" has no version in the catalogue; needed by requirement \"1.0.0\" from deployment \"thinggroup/line-1\"",
            result.Error.Message);
    }

    [Fact]
    public void Resolve_HardDependencyMissingFromCatalog_IsNotFoundNamingDependent()
    {
        var catalog = new ComponentCatalogBuilder().Add("App", "1.2.0", ("Gone", "^1.0.0", Hard)).Build();

        var result = Resolve(catalog, ("fleet", "App", "1.2.0"));

        Assert.Equal(ResolutionErrorKind.NotFound, result.Error!.Kind);
        Assert.Contains("from component \"App@1.2.0\"", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_RequirementMatchingNoVersion_IsNoMatchingVersion()
    {
        var catalog = new ComponentCatalogBuilder().Add("Lib", "1.0.0").Add("Lib", "2.0.0").Build();

        var result = Resolve(catalog, ("fleet", "Lib", "^3.0.0"));

        Assert.Equal(ResolutionErrorKind.NoMatchingVersion, result.Error!.Kind);
        Assert.Equal("component \"Lib\": no available version satisfies requirement \"^3.0.0\" from deployment \"fleet\" (available: 1.0.0, 2.0.0)",
            result.Error.Message);
    }

    [Fact]
    public void Resolve_Cycle_NamesTheCycle()
    {
        var catalog = new ComponentCatalogBuilder()
            .Add("A", "1.0.0", ("B", "^2.0.0", Hard))
            .Add("B", "2.0.0", ("A", "^1.0.0", Hard))
            .Build();

        var result = Resolve(catalog, ("fleet", "A", "1.0.0"));

        Assert.Equal(ResolutionErrorKind.Cycle, result.Error!.Kind);
        Assert.Equal("dependency cycle: A@1.0.0 → B@2.0.0 → A", result.Error.Message);
        Assert.Equal(["A@1.0.0", "B@2.0.0"], result.Error.CyclePath);
    }

    [Fact]
    public void Resolve_LongerCycleThroughSoftDependency_NamesEveryMember()
    {
        var catalog = new ComponentCatalogBuilder()
            .Add("Root", "1.0.0", ("X", "*", Hard))
            .Add("X", "1.0.0", ("Y", "*", Hard))
            .Add("Y", "1.0.0", ("Z", "*", Soft))
            .Add("Z", "3.1.0", ("X", "*", Hard))
            .Build();

        var result = Resolve(catalog, ("fleet", "Root", "1.0.0"));

        Assert.Equal("dependency cycle: X@1.0.0 → Y@1.0.0 → Z@3.1.0 → X", result.Error!.Message);
    }

    [Fact]
    public void Resolve_ComponentNeededByTwoDeployments_ListsBothSources()
    {
        var catalog = new ComponentCatalogBuilder()
            .Add("App", "1.0.0", ("Lib", "^1.0.0", Hard))
            .Add("Lib", "1.0.0").Add("Lib", "1.1.0")
            .Build();

        var result = Resolve(catalog, ("thing/core-1", "App", "1.0.0"), ("thinggroup/all", "Lib", "<=1.0.0"));

        Assert.Equal("1.0.0", result.Find("Lib")!.Version.ToString());
        Assert.Equal(["thing/core-1", "thinggroup/all"], result.Find("Lib")!.Sources);
        Assert.Equal(["thing/core-1"], result.Find("App")!.Sources);
    }

    [Fact]
    public void Resolve_ShuffledRootsAndCatalogue_GivesIdenticalResult()
    {
        var entries = new List<(string, string, (string, string, DependencyKind)[])>
        {
            ("App", "1.0.0", [("Lib", "^1.0.0", Hard), ("Log", "*", Soft)]),
            ("App", "1.1.0", [("Lib", "^1.2.0", Hard), ("Log", "*", Soft)]),
            ("Lib", "1.0.0", []), ("Lib", "1.2.0", [("Log", "^2.0.0", Hard)]), ("Lib", "1.3.0", [("Log", "^1.0.0", Hard)]),
            ("Log", "1.0.0", []), ("Log", "2.0.0", []),
            ("Cli", "1.0.0", [("Lib", ">=1.0.0 <1.3.0", Hard)]),
        };
        (string, string, string)[] roots = [("fleet-a", "App", "*"), ("fleet-b", "Cli", "1.0.0"), ("fleet-c", "Log", "*")];
        var expected = Labels(Resolve(Build(entries), roots));
        var random = new Random(7);

        for (var i = 0; i < 20; i++)
        {
            var shuffledEntries = entries.OrderBy(_ => random.Next()).ToList();
            var shuffledRoots = roots.OrderBy(_ => random.Next()).ToArray();
            Assert.Equal(expected, Labels(Resolve(Build(shuffledEntries), shuffledRoots)));
        }

        Assert.Equal(["Log@2.0.0", "Lib@1.2.0", "App@1.1.0", "Cli@1.0.0"], expected);
    }

    [Fact]
    public void Resolve_PigeonholeCatalogue_GivesUpWithTheFirstDeadEnd()
    {
        // Twelve components must each take a different one of eleven versions: unsatisfiable, and hard for any backtracking
        // search. The bounded search must return an error naming a real dead end rather than run for hours.
        const int count = 12;
        var builder = new ComponentCatalogBuilder();
        for (var i = 0; i < count; i++)
        {
            for (var hole = 1; hole < count; hole++)
            {
                var others = Enumerable.Range(i + 1, count - i - 1).Select(j => ($"P{j:D2}", $"<{hole}.0.0 || >{hole}.0.0", Hard)).ToArray();
                builder.Add($"P{i:D2}", $"{hole}.0.0", others);
            }
        }

        var roots = Enumerable.Range(0, count).Select(i => ("fleet", $"P{i:D2}", "*")).ToArray();
        var result = Resolve(builder.Build(), roots);

        Assert.False(result.Succeeded);
        Assert.StartsWith("no combination of versions found after trying 100000 candidate versions; first dead end: component \"P",
            result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_OneCatalogueFromManyThreads_GivesTheSameResult()
    {
        var catalog = new ComponentCatalogBuilder()
            .Add("App", "1.0.0", ("Lib", "^1.0.0", Hard)).Add("App", "2.0.0", ("Lib", ">=1.5.0", Hard))
            .Add("Lib", "1.0.0").Add("Lib", "1.5.0").Add("Lib", "1.6.0").Add("Lib", "2.0.0")
            .Build();
        var results = new List<string>[16];

        Parallel.For(0, results.Length, i => results[i] = Labels(Resolve(catalog, ("fleet", "App", "*"), ("pin", "Lib", "<2.0.0"))));

        Assert.All(results, r => Assert.Equal(["Lib@1.6.0", "App@2.0.0"], r));
    }

    [Fact]
    public void Resolve_RootWithoutComponentName_ThrowsNamingTheField()
    {
        var catalog = new ComponentCatalogBuilder().Add("Lib", "1.0.0").Build();
        RootRequirement[] roots = [new("fleet", "Lib", VersionRange.Any), new("fleet", "", VersionRange.Any)];

        var error = Assert.Throws<ArgumentException>(() => DependencyResolver.Resolve(new ResolutionRequest(roots, catalog)));

        Assert.StartsWith("request.Roots[1].ComponentName is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_DuplicateVersion_ThrowsNamingComponentAndVersion()
    {
        var error = Assert.Throws<ArgumentException>(() => new ComponentCatalogBuilder().Add("Lib", "1.0.0").Add("Lib", "1.0.0+other").Build());

        Assert.Contains("component \"Lib\" lists version 1.0.0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_DependencyWithoutRequirement_ThrowsNamingComponent()
    {
        var broken = new CatalogVersion(SemanticVersion.Parse("1.0.0"), [new DependencyRequirement("Lib", null!)]);

        var error = Assert.Throws<ArgumentException>(() => new ComponentCatalogBuilder().Add("App", broken).Build());

        Assert.StartsWith("component \"App\" has a version that is missing", error.Message, StringComparison.Ordinal);
    }

    private static ComponentCatalog Build(IEnumerable<(string Name, string Version, (string, string, DependencyKind)[] Deps)> entries)
    {
        var builder = new ComponentCatalogBuilder();
        foreach (var (name, version, deps) in entries)
        {
            builder.Add(name, version, deps);
        }

        return builder.Build();
    }

    private static ResolutionResult Resolve(ComponentCatalog catalog, params (string Source, string Name, string Requirement)[] roots) =>
        DependencyResolver.Resolve(new ResolutionRequest(
            [.. roots.Select(r => new RootRequirement(r.Source, r.Name, VersionRange.Parse(r.Requirement)))], catalog));

    private static List<string> Labels(ResolutionResult result)
    {
        Assert.True(result.Succeeded, result.Error?.Message);
        return [.. result.Components.Select(c => $"{c.Name}@{c.Version}")];
    }
}
