using Greengrass.Model.Recipes;
using Greengrass.Model.Resolution;
using Greengrass.Model.Versions;
using Greengrass.Nucleus.Contracts;
using Contracts = Greengrass.Nucleus.Contracts;
using ModelRecipes = Greengrass.Model.Recipes;

namespace Greengrass.Planning.Tests;

public sealed class RecipePlanMapperTests
{
    private const string FullLifecycleRecipe = """
        RecipeFormatVersion: 2020-01-25
        ComponentName: com.example.Full
        ComponentVersion: 1.2.3
        ComponentType: aws.greengrass.plugin
        Manifests:
          - Platform: { os: linux }
            Lifecycle:
              Setenv: { LEVEL: top }
              Bootstrap:
                Script: ./bootstrap.sh
                RequiresPrivilege: true
                Timeout: 90
                BootstrapOnRollback: true
              Install:
                Script: ./install.sh
                Skipif: onpath jq
                Timeout: 30
                Setenv: { STEP: install }
              Startup: ./startup.sh
              Run: ./run.sh
              Shutdown:
                Script: ./shutdown.sh
                Timeout: 5
              Recover: ./recover.sh
        """;

    private static ResolvedComponent Resolved(string name, params DependencyRequirement[] dependencies) =>
        new(name, SemanticVersion.Parse("1.0.0"), IsRoot: true, dependencies, ["fleet"]);

    private static PlannedComponent Plan(string recipeText, Func<ComponentArtifact, string>? uri = null)
    {
        var recipe = RecipeReader.Parse(recipeText);
        return RecipePlanMapper.ToPlanned(recipe, recipe.Manifests[0], Resolved(recipe.ComponentName), uri);
    }

    private static string ArtifactRecipe(string artifacts) => $$"""
        RecipeFormatVersion: 2020-01-25
        ComponentName: com.example.Art
        ComponentVersion: 1.0.0
        Manifests:
          - Platform: { os: all }
            Lifecycle: { Run: ./run.sh }
            Artifacts:
        {{artifacts}}
        """;

    [Fact]
    public void ToPlanned_FullLifecycle_MapsEveryStepField()
    {
        var lifecycle = Plan(FullLifecycleRecipe).Lifecycle;

        Assert.Equal(new Dictionary<string, string> { ["LEVEL"] = "top" }, lifecycle.Setenv);
        Assert.Equal(new Contracts.LifecycleStep { Script = "./bootstrap.sh", RequiresPrivilege = true, TimeoutSeconds = 90, BootstrapOnRollback = true }, lifecycle.Bootstrap);
        Assert.Equal(new Contracts.LifecycleStep
        {
            Script = "./install.sh",
            SkipIf = "onpath jq",
            TimeoutSeconds = 30,
            Setenv = new Dictionary<string, string> { ["STEP"] = "install" },
        }, lifecycle.Install);
        Assert.Equal("./startup.sh", lifecycle.Startup?.Script);
        Assert.Equal("./run.sh", lifecycle.Run?.Script);
        Assert.Equal(new Contracts.LifecycleStep { Script = "./shutdown.sh", TimeoutSeconds = 5 }, lifecycle.Shutdown);
        Assert.Equal("./recover.sh", lifecycle.Recover?.Script);
    }

    [Fact]
    public void StepOf_ShortForm_FlagsFalseAndTimeoutLeftToNucleus()
    {
        var step = RecipePlanMapper.StepOf(new ModelRecipes.LifecycleStep { Script = "./run.sh" });

        Assert.NotNull(step);
        Assert.False(step.RequiresPrivilege);
        Assert.False(step.BootstrapOnRollback);
        Assert.Null(step.TimeoutSeconds);
        Assert.Null(step.SkipIf);
        Assert.Null(step.Setenv);
    }

    [Fact]
    public void StepOf_ExplicitFalseFlags_StayFalse()
    {
        var step = RecipePlanMapper.StepOf(new ModelRecipes.LifecycleStep { Script = "x", RequiresPrivilege = false, BootstrapOnRollback = false });

        Assert.False(step!.RequiresPrivilege);
        Assert.False(step.BootstrapOnRollback);
    }

    [Fact]
    public void LifecycleOf_UndefinedSteps_StayNull()
    {
        var lifecycle = RecipePlanMapper.LifecycleOf(new ModelRecipes.LifecycleDefinition { Run = new ModelRecipes.LifecycleStep { Script = "./run.sh" } });

        Assert.Equal("./run.sh", lifecycle.Run?.Script);
        Assert.Null(lifecycle.Setenv);
        Assert.Null(lifecycle.Bootstrap);
        Assert.Null(lifecycle.Install);
        Assert.Null(lifecycle.Startup);
        Assert.Null(lifecycle.Shutdown);
        Assert.Null(lifecycle.Recover);
    }

    [Fact]
    public void ToPlanned_TopLevelLifecycleWithSelections_UsesTheManifestsSelection()
    {
        var plan = Plan("""
            RecipeFormatVersion: 2020-01-25
            ComponentName: com.example.Sel
            ComponentVersion: 1.0.0
            Manifests:
              - Platform: { os: linux }
                Selections: [linux]
            Lifecycle:
              linux: { Run: ./linux-run }
              all: { Run: ./any-run }
            """);

        Assert.Equal("./linux-run", plan.Lifecycle.Run?.Script);
    }

    [Theory]
    [InlineData(ModelRecipes.ComponentType.Generic, Contracts.ComponentType.Generic)]
    [InlineData(ModelRecipes.ComponentType.Lambda, Contracts.ComponentType.Lambda)]
    [InlineData(ModelRecipes.ComponentType.Plugin, Contracts.ComponentType.Plugin)]
    [InlineData(ModelRecipes.ComponentType.Nucleus, Contracts.ComponentType.Nucleus)]
    public void ComponentTypeOf_EachType_MapsToTheSameKind(ModelRecipes.ComponentType type, Contracts.ComponentType expected) =>
        Assert.Equal(expected, RecipePlanMapper.ComponentTypeOf(type));

    [Theory]
    [InlineData("aws.greengrass.plugin", Contracts.ComponentType.Plugin)]
    [InlineData("aws.greengrass.nucleus", Contracts.ComponentType.Nucleus)]
    [InlineData("aws.greengrass.lambda", Contracts.ComponentType.Lambda)]
    [InlineData(null, Contracts.ComponentType.Generic)]
    public void ToPlanned_RecipeComponentType_IsCarried(string? wire, Contracts.ComponentType expected)
    {
        var type = wire is null ? string.Empty : $"ComponentType: {wire}\n";
        var plan = Plan($"RecipeFormatVersion: 2020-01-25\nComponentName: com.example.T\nComponentVersion: 1.0.0\n{type}Manifests:\n  - Lifecycle: {{ Run: ./run.sh }}\n");

        Assert.Equal(expected, plan.ComponentType);
    }

    [Theory]
    [InlineData(PermissionLevel.None, ArtifactAccess.None)]
    [InlineData(PermissionLevel.Owner, ArtifactAccess.Owner)]
    [InlineData(PermissionLevel.All, ArtifactAccess.All)]
    public void AccessOf_EachLevel_MapsToTheSameAccess(PermissionLevel level, ArtifactAccess expected) =>
        Assert.Equal(expected, RecipePlanMapper.AccessOf(level));

    [Theory]
    [InlineData(null, null, ArtifactAccess.Owner, ArtifactAccess.None)]
    [InlineData("NONE", null, ArtifactAccess.None, ArtifactAccess.None)]
    [InlineData("ALL", null, ArtifactAccess.All, ArtifactAccess.None)]
    [InlineData("NONE", "OWNER", ArtifactAccess.Owner, ArtifactAccess.Owner)]
    [InlineData("OWNER", "ALL", ArtifactAccess.All, ArtifactAccess.All)]
    [InlineData("ALL", "OWNER", ArtifactAccess.All, ArtifactAccess.Owner)]
    public void ToPlanned_ArtifactPermission_IsEffectiveWithDefaultsAndExecuteImpliesRead(
        string? read, string? execute, ArtifactAccess expectedRead, ArtifactAccess expectedExecute)
    {
        var fields = string.Join(", ", new[] { read is null ? null : $"Read: {read}", execute is null ? null : $"Execute: {execute}" }.OfType<string>());
        var permission = fields.Length == 0 ? string.Empty : $"\n        Permission: {{ {fields} }}";
        var plan = Plan(ArtifactRecipe($"      - URI: s3://bucket/app.py{permission}"));

        var artifact = Assert.Single(plan.Artifacts);
        Assert.Equal(expectedRead, artifact.Permission.Read);
        Assert.Equal(expectedExecute, artifact.Permission.Execute);
    }

    [Fact]
    public void ToPlanned_ArtifactFields_DigestAlgorithmAndUnarchiveAreCarried()
    {
        var plan = Plan(ArtifactRecipe("""
                  - URI: s3://bucket/app.zip
                    Digest: q83vEjRWeJA=
                    Algorithm: SHA-256
                    Unarchive: ZIP
                  - URI: s3://bucket/plain.py
            """));

        Assert.Equal(2, plan.Artifacts.Count);
        Assert.Equal("q83vEjRWeJA=", plan.Artifacts[0].Digest);
        Assert.Equal("SHA-256", plan.Artifacts[0].Algorithm);
        Assert.Equal(ArtifactUnarchive.Zip, plan.Artifacts[0].Unarchive);
        Assert.Null(plan.Artifacts[1].Digest);
        Assert.Equal(ArtifactUnarchive.None, plan.Artifacts[1].Unarchive);
    }

    [Fact]
    public void ToPlanned_NoUriFunction_KeepsTheRecipesUri()
    {
        var plan = Plan(ArtifactRecipe("      - URI: s3://bucket/app.py\n      - URI: https://example.com/b.bin"));

        Assert.Equal(["s3://bucket/app.py", "https://example.com/b.bin"], plan.Artifacts.Select(a => a.Uri));
    }

    [Fact]
    public void ToPlanned_UriFunction_RewritesEachArtifactAndKeepsItsOtherFields()
    {
        var plan = Plan(
            ArtifactRecipe("      - URI: s3://bucket/app.py\n        Permission: { Execute: ALL }\n      - URI: https://example.com/b.bin"),
            a => "file:///srv/artifacts/" + ArtifactUris.FileNameOf(a.Uri));

        Assert.Equal(["file:///srv/artifacts/app.py", "file:///srv/artifacts/b.bin"], plan.Artifacts.Select(a => a.Uri));
        Assert.Equal(ArtifactAccess.All, plan.Artifacts[0].Permission.Execute);
    }

    [Fact]
    public void ArtifactOf_EmptyUri_IsRefusedNamingTheParameter()
    {
        var error = Assert.Throws<ArgumentException>(() => RecipePlanMapper.ArtifactOf(new ComponentArtifact { Uri = "s3://b/a" }, ""));

        Assert.Equal("uri", error.ParamName);
    }

    [Fact]
    public void DependenciesOf_HardAndSoft_KeepOrderAndKind()
    {
        var resolved = Resolved("com.example.App",
            new DependencyRequirement("com.example.Lib", VersionRange.Parse("^1.0.0")),
            new DependencyRequirement("com.example.Log", VersionRange.Parse(">=2.0.0"), DependencyKind.Soft));

        var dependencies = RecipePlanMapper.DependenciesOf(resolved);

        Assert.Equal(
            [new PlannedDependency { Name = "com.example.Lib", Type = Contracts.DependencyType.Hard }, new PlannedDependency { Name = "com.example.Log", Type = Contracts.DependencyType.Soft }],
            dependencies);
    }

    [Fact]
    public void ToPlanned_NameVersionAndDependencies_ComeFromRecipeAndResolution()
    {
        var recipe = RecipeReader.Parse(FullLifecycleRecipe);
        var resolved = Resolved(recipe.ComponentName, new DependencyRequirement("com.example.Lib", VersionRange.Parse("1.0.0")));

        var plan = RecipePlanMapper.ToPlanned(recipe, recipe.Manifests[0], resolved);

        Assert.Equal("com.example.Full", plan.Name);
        Assert.Equal("1.2.3", plan.Version);
        Assert.Equal("com.example.Lib", Assert.Single(plan.Dependencies).Name);
        Assert.Empty(plan.Configuration);
        Assert.Null(plan.RunWith);
    }

    [Fact]
    public void RecipeDigestOf_ChangedRecipeSameVersion_Differs()
    {
        var recipe = RecipeReader.Parse(FullLifecycleRecipe);
        var changed = RecipeReader.Parse(FullLifecycleRecipe.Replace("./run.sh", "./run2.sh", StringComparison.Ordinal));

        var digest = RecipePlanMapper.RecipeDigestOf(recipe);

        Assert.Matches("^[0-9a-f]{64}$", digest);
        Assert.Equal(digest, RecipePlanMapper.RecipeDigestOf(RecipeReader.Parse(FullLifecycleRecipe)));
        Assert.NotEqual(digest, RecipePlanMapper.RecipeDigestOf(changed));
        Assert.Equal(digest, Plan(FullLifecycleRecipe).RecipeDigest);
    }
}
