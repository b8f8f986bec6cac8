using System.Text.Json.Nodes;
using Greengrass.Model.Platforms;
using Greengrass.Model.Recipes;
using Greengrass.Model.Tests.Recipes;

namespace Greengrass.Model.Tests.Platforms;

public sealed class LifecycleSelectorTests
{
    private static LifecycleDefinition SelectFor(Recipe recipe, DevicePlatform device)
    {
        var manifest = PlatformMatcher.SelectManifest(recipe, device);
        Assert.NotNull(manifest);
        return LifecycleSelector.Select(recipe, manifest);
    }

    [Fact]
    public void Select_ManifestLifecycle_IsUsedVerbatimAndGlobalIgnored()
    {
        var recipe = RecipeReader.Parse("""
            RecipeFormatVersion: 2020-01-25
            ComponentName: com.example.Both
            ComponentVersion: 1.0.0
            Manifests:
              - Platform: { os: linux }
                Selections: [linux]
                Lifecycle:
                  Run: ./manifest-run
            Lifecycle:
              linux:
                Install: ./global-install
                Run: ./global-run
            """);

        var lifecycle = LifecycleSelector.Select(recipe, recipe.Manifests[0]);

        Assert.Equal(new LifecycleDefinition { Run = new LifecycleStep { Script = "./manifest-run" } }, lifecycle);
    }

    [Theory]
    [InlineData("linux", "apt-get install -y jq", "./serve --port 8080")]
    [InlineData("windows", null, "serve.exe --port 8080")]
    [InlineData("darwin", null, "echo \"unsupported platform\" && exit 1")]
    public void Select_TopLevelSelectionKeys_PickFirstSelectorElseAll(string os, string? install, string run)
    {
        var recipe = CorpusTests.Load("global-lifecycle-selections.yaml");

        var lifecycle = SelectFor(recipe, DevicePlatform.Create(os, "amd64"));

        Assert.Equal(install, lifecycle.Install?.Script);
        Assert.Equal(run, lifecycle.Run?.Script);
    }

    [Fact]
    public void Select_NestedSelectionLevels_ResolveAtStepAndScriptLevel()
    {
        var recipe = CorpusTests.Load("nested-selections.yaml");

        var arm = SelectFor(recipe, DevicePlatform.Create("linux", "aarch64"));
        var linux = SelectFor(recipe, DevicePlatform.Create("linux", "amd64"));
        var windows = SelectFor(recipe, DevicePlatform.Create("windows", "amd64"));

        Assert.Equal(new LifecycleDefinition
        {
            Setenv = new Dictionary<string, string> { ["LOG_LEVEL"] = "info" },
            Install = new LifecycleStep { Script = "./install.sh", RequiresPrivilege = true },
            Run = new LifecycleStep { Script = "./serve --arch arm64", Timeout = 3600 },
        }, arm);
        Assert.Equal("./serve", linux.Run!.Script);
        Assert.Equal("./install.sh", linux.Install!.Script);
        Assert.Equal(new LifecycleStep { Script = "install.cmd" }, windows.Install);
        Assert.Equal(new LifecycleStep { Script = "serve.exe", Timeout = 3600 }, windows.Run);
    }

    [Fact]
    public void SelectTree_SelectionLevelWithoutMatch_IsDropped()
    {
        var recipe = RecipeReader.Parse("""
            RecipeFormatVersion: 2020-01-25
            ComponentName: com.example.Drop
            ComponentVersion: 1.0.0
            Manifests:
              - Platform: { os: darwin }
                Selections: [macos]
              - Selections: [linux]
            Lifecycle:
              Install:
                linux: ./install.sh
                windows: install.cmd
              Run: ./run
            """);

        var tree = LifecycleSelector.SelectTree(recipe, recipe.Manifests[0]);

        Assert.Equal("""{"Run":"./run"}""", tree.ToJsonString());
    }

    [Fact]
    public void SelectTree_KeywordOfAnotherManifest_StillMarksASelectionLevel()
    {
        // "gpu" is listed by the first manifest only, yet it makes Install a selection level for every manifest.
        var recipe = CorpusTests.Load("edge-inference-selections.yaml");
        var generic = recipe.Manifests.Single(m => m.Name == "generic-linux");
        var jetson = recipe.Manifests.Single(m => m.Name == "jetson");

        var genericLifecycle = LifecycleSelector.Select(recipe, generic);
        var jetsonLifecycle = LifecycleSelector.Select(recipe, jetson);

        Assert.Equal("pip3 install --user tflite-runtime", genericLifecycle.Install!.Script);
        Assert.Equal("python3 {artifacts:path}/infer.py", genericLifecycle.Run!.Script);
        Assert.Equal("pip3 install --user tflite-runtime[gpu]", jetsonLifecycle.Install!.Script);
        Assert.Equal("python3 {artifacts:path}/infer.py --delegate gpu", jetsonLifecycle.Run!.Script);
        Assert.Equal("{configuration:/ImageDirectory}", jetsonLifecycle.Setenv!["IMAGE_DIR"]);
    }

    [Fact]
    public void Filter_AllWithoutAnyManifestListingIt_IsTheLastResort()
    {
        var lifecycle = JsonNode.Parse("""{"Run":{"special":"./special","all":"./default"}}""")!;
        var keywords = new HashSet<string>(["special", "all"], StringComparer.OrdinalIgnoreCase);

        var chosen = LifecycleSelector.Filter(lifecycle, ["other", "all"], keywords);
        var special = LifecycleSelector.Filter(lifecycle, ["special", "all"], keywords);

        Assert.Equal("""{"Run":"./default"}""", chosen!.ToJsonString());
        Assert.Equal("""{"Run":"./special"}""", special!.ToJsonString());
    }

    [Fact]
    public void Filter_NonSelectorKeysAtSelectionLevel_AreIgnoredAndNullsDropped()
    {
        var lifecycle = JsonNode.Parse("""{"Install":null,"Run":{"linux":"./run","Timeout":5},"Setenv":{"A":"1","B":null}}""")!;
        var keywords = new HashSet<string>(["linux", "all"], StringComparer.OrdinalIgnoreCase);

        var filtered = LifecycleSelector.Filter(lifecycle, ["linux", "all"], keywords);

        Assert.Equal("""{"Run":"./run","Setenv":{"A":"1"}}""", filtered!.ToJsonString());
    }

    [Fact]
    public void Filter_SelectedValue_IsFilteredAgain()
    {
        var lifecycle = JsonNode.Parse("""{"linux":{"Run":{"arm":"./arm","all":"./any"}}}""")!;
        var keywords = new HashSet<string>(["linux", "arm", "all"], StringComparer.OrdinalIgnoreCase);

        var filtered = LifecycleSelector.Filter(lifecycle, ["linux", "arm", "all"], keywords);

        Assert.Equal("""{"Run":"./arm"}""", filtered!.ToJsonString());
    }

    [Fact]
    public void Select_NoLifecycleAnywhere_IsEmpty()
    {
        var plugin = CorpusTests.Load("plugin-component.yaml");
        var library = CorpusTests.Load("library-no-lifecycle.yaml");

        Assert.Equal(LifecycleDefinition.Empty, LifecycleSelector.Select(plugin, plugin.Manifests[0]));
        Assert.Equal(LifecycleDefinition.Empty, LifecycleSelector.Select(library, library.Manifests[0]));
    }

    [Fact]
    public void Select_StepObject_ReadsEveryField()
    {
        var recipe = CorpusTests.Load("bootstrap-kernel-module.yaml");

        var lifecycle = LifecycleSelector.Select(recipe, recipe.Manifests[0]);

        Assert.Equal(true, lifecycle.Bootstrap!.RequiresPrivilege);
        Assert.Equal(300, lifecycle.Bootstrap.Timeout);
        Assert.Equal(true, lifecycle.Bootstrap.BootstrapOnRollback);
        Assert.EndsWith("exit 101\n", lifecycle.Bootstrap.Script, StringComparison.Ordinal);
        Assert.Equal(new LifecycleStep { Script = "modprobe sensor && sleep infinity", RequiresPrivilege = true }, lifecycle.Run);
    }

    [Fact]
    public void Select_StringValuedFields_AreCoerced()
    {
        var recipe = CorpusTests.Load("privilege-strings.yaml");

        var lifecycle = LifecycleSelector.Select(recipe, recipe.Manifests[0]);

        Assert.Equal(new LifecycleStep
        {
            Script = "apt-get update && apt-get install -y --no-install-recommends can-utils",
            RequiresPrivilege = true,
            Timeout = 600,
            Skipif = "onpath candump",
        }, lifecycle.Install);
        Assert.Equal(false, lifecycle.Run!.RequiresPrivilege);
    }

    [Fact]
    public void Select_StartupShutdownRecoverAndSetenv_AreTyped()
    {
        var recipe = CorpusTests.Load("shutdown-recover.json");

        var lifecycle = LifecycleSelector.Select(recipe, recipe.Manifests[0]);

        Assert.Equal("/dev/ttyUSB0", lifecycle.Setenv!["SERIAL_PORT"]);
        Assert.Equal(45, lifecycle.Startup!.Timeout);
        Assert.Equal(10, lifecycle.Shutdown!.Timeout);
        Assert.Equal(true, lifecycle.Recover!.RequiresPrivilege);
        Assert.Null(lifecycle.Run);
    }

    [Fact]
    public void Select_HandBuiltMalformedLifecycle_ThrowsNamingTheField()
    {
        var recipe = new Recipe
        {
            RecipeFormatVersion = Recipe.SupportedFormatVersion,
            ComponentName = "com.example.Handmade",
            ComponentVersion = "1.0.0",
            Manifests = [new PlatformManifest { Lifecycle = new JsonObject { ["Run"] = new JsonObject { ["Script"] = "x", ["Timeout"] = "ten" } } }],
        };

        var exception = Assert.Throws<RecipeException>(() => LifecycleSelector.Select(recipe, recipe.Manifests[0]));

        var error = Assert.Single(exception.Errors);
        Assert.Equal("Lifecycle.Run.Timeout", error.Path);
        Assert.Equal("com.example.Handmade", error.Source);
    }

    [Theory]
    [InlineData(LifecycleStepNames.Bootstrap, 120)]
    [InlineData(LifecycleStepNames.Install, 120)]
    [InlineData(LifecycleStepNames.Startup, 120)]
    [InlineData(LifecycleStepNames.Shutdown, 15)]
    [InlineData(LifecycleStepNames.Recover, 60)]
    [InlineData(LifecycleStepNames.Run, null)]
    public void DefaultTimeoutSeconds_MatchesTheNucleusDefaults(string step, int? seconds) =>
        Assert.Equal(seconds, LifecycleDefinition.DefaultTimeoutSeconds(step));
}
