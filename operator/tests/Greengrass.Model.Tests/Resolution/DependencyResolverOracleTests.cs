using Greengrass.Model.Resolution;
using Greengrass.Model.Versions;

namespace Greengrass.Model.Tests.Resolution;

/// <summary>
/// Random small acyclic catalogues checked against an exhaustive search: the resolver must succeed exactly when some
/// assignment of versions satisfies every requirement, and what it returns must satisfy them all.
/// </summary>
public sealed class DependencyResolverOracleTests
{
    private static readonly string[] Names = ["C0", "C1", "C2", "C3", "C4"];
    private static readonly string[] Versions = ["1.0.0", "1.1.0", "2.0.0"];
    private static readonly string[] Requirements = ["*", "^1.0.0", "^2.0.0", "1.1.0", "<=1.1.0", ">=1.1.0", "~1.0", "1.0.0 || 2.0.0"];

    [Fact]
    public void Resolve_RandomAcyclicCatalogues_AgreesWithExhaustiveSearch()
    {
        var outcomes = new int[2];
        for (var seed = 0; seed < 400; seed++)
        {
            var random = new Random(seed);
            var (catalog, roots) = Generate(random);

            var result = DependencyResolver.Resolve(new ResolutionRequest(roots, catalog));
            var exists = ExhaustiveSolutionExists(catalog, roots);

            Assert.True(exists == result.Succeeded, $"seed {seed}: {Describe(catalog, roots)} resolver {(result.Succeeded ? "succeeded" : result.Error!.Message)}, oracle {exists}");
            if (result.Succeeded)
            {
                AssertValid(catalog, roots, result, seed);
            }

            outcomes[result.Succeeded ? 1 : 0]++;
        }

        // Both outcomes must be exercised, or the comparison says little.
        Assert.All(outcomes, count => Assert.True(count > 40, $"outcomes: {outcomes[0]} failures, {outcomes[1]} successes"));
    }

    private static string Describe(ComponentCatalog catalog, RootRequirement[] roots) =>
        string.Join("; ", roots.Select(r => $"root {r.ComponentName} {r.Requirement} from {r.Source}")) + "; "
        + string.Join("; ", Names.SelectMany(n => catalog.VersionsOf(n).Select(v =>
            $"{n}@{v.Version} -> [{string.Join(", ", v.Dependencies.Select(d => $"{d.ComponentName} {d.Requirement} {d.Kind}"))}]")));

    private static (ComponentCatalog, RootRequirement[]) Generate(Random random)
    {
        var builder = new ComponentCatalogBuilder();
        for (var i = 0; i < Names.Length; i++)
        {
            foreach (var version in Versions.Where(_ => random.Next(4) > 0))
            {
                // Edges only point to later names (acyclic); C5 is never catalogued, so it tests absent dependencies.
                var deps = Enumerable.Range(i + 1, Names.Length - i)
                    .Where(_ => random.Next(3) == 0)
                    .Select(j => (j < Names.Length ? Names[j] : "C5", Requirements[random.Next(Requirements.Length)],
                        random.Next(3) == 0 ? DependencyKind.Soft : DependencyKind.Hard))
                    .ToArray();
                builder.Add(Names[i], version, deps);
            }
        }

        var roots = Enumerable.Range(0, random.Next(1, 3))
            .Select(k => new RootRequirement($"deployment-{k}", Names[random.Next(2)], VersionRange.Parse(Requirements[random.Next(Requirements.Length)])))
            .ToArray();
        return (builder.Build(), roots);
    }

    private static bool ExhaustiveSolutionExists(ComponentCatalog catalog, RootRequirement[] roots)
    {
        // Each component is absent (-1) or one of its versions; extra installed components never hurt, so existence is enough.
        var options = Names.Select(n => catalog.VersionsOf(n).Count).ToArray();
        var choice = new int[Names.Length];
        return Enumerate(0);

        bool Enumerate(int position)
        {
            if (position == Names.Length)
            {
                return IsConsistent(catalog, roots, name => Array.IndexOf(Names, name) is var i and >= 0 && choice[i] >= 0
                    ? catalog.VersionsOf(name)[choice[i]] : null);
            }

            for (var option = -1; option < options[position]; option++)
            {
                choice[position] = option;
                if (Enumerate(position + 1))
                {
                    return true;
                }
            }

            return false;
        }
    }

    private static bool IsConsistent(ComponentCatalog catalog, RootRequirement[] roots, Func<string, CatalogVersion?> chosen)
    {
        if (roots.Any(r => chosen(r.ComponentName) is not { } v || !r.Requirement.IsSatisfiedBy(v.Version)))
        {
            return false;
        }

        foreach (var name in Names)
        {
            foreach (var dependency in chosen(name)?.Dependencies ?? [])
            {
                var target = chosen(dependency.ComponentName);
                var acceptable = target is not null
                    ? dependency.Requirement.IsSatisfiedBy(target.Version)
                    : dependency.Kind == DependencyKind.Soft && !catalog.Contains(dependency.ComponentName);
                if (!acceptable)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static void AssertValid(ComponentCatalog catalog, RootRequirement[] roots, ResolutionResult result, int seed)
    {
        var chosen = result.Components.ToDictionary(c => c.Name, c => catalog.VersionsOf(c.Name).Single(v => v.Version == c.Version));
        Assert.True(IsConsistent(catalog, roots, name => chosen.GetValueOrDefault(name)), $"seed {seed}: result violates a requirement");

        var position = result.Components.Select((c, i) => (c.Name, i)).ToDictionary(p => p.Name, p => p.i);
        foreach (var component in result.Components)
        {
            Assert.All(component.Dependencies, d => Assert.True(position[d.ComponentName] < position[component.Name], $"seed {seed}: order"));
        }
    }
}
