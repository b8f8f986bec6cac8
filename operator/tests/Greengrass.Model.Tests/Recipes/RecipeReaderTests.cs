using System.Text.Json.Nodes;
using Greengrass.Model.Recipes;

namespace Greengrass.Model.Tests.Recipes;

public sealed class RecipeReaderTests
{
    [Fact]
    public void Parse_HelloWorldYaml_ReadsEveryField()
    {
        var recipe = CorpusTests.Load("hello-world.yaml");

        Assert.Equal("2020-01-25", recipe.RecipeFormatVersion);
        Assert.Equal("com.example.HelloWorld", recipe.ComponentName);
        Assert.Equal("1.0.0", recipe.ComponentVersion);
        Assert.Equal("Amazon", recipe.ComponentPublisher);
        Assert.Null(recipe.ComponentType);
        Assert.Equal(ComponentType.Generic, recipe.EffectiveComponentType);
        Assert.Equal("world", recipe.ComponentConfiguration!.DefaultConfiguration!["Message"]!.GetValue<string>());
        Assert.Equal(2, recipe.Manifests.Count);
        Assert.Equal("windows", recipe.Manifests[1].Platform!["os"]);
        var artifact = Assert.Single(recipe.Manifests[0].Artifacts!);
        Assert.Equal("s3", artifact.Scheme);
        Assert.Equal("SHA-256", artifact.Algorithm);
        Assert.Equal("python3 -u {artifacts:path}/hello_world.py \"{configuration:/Message}\"\n",
            recipe.Manifests[0].Lifecycle!["Run"]!.GetValue<string>());
    }

    [Fact]
    public void Parse_LowercaseKeys_MatchesDocumentedFieldsAndCanonicalisesLifecycle()
    {
        var recipe = CorpusTests.Load("lowercase-keys.yaml");

        Assert.Equal("com.example.LowercaseKeys", recipe.ComponentName);
        Assert.Equal(ComponentType.Generic, recipe.ComponentType);
        Assert.Equal(DependencyType.Soft, recipe.ComponentDependencies!["aws.greengrass.TokenExchangeService"].DependencyType);
        var lifecycle = recipe.Manifests[0].Lifecycle!;
        Assert.Equal(["Setenv", "Install", "Run"], lifecycle.Select(p => p.Key));
        Assert.Equal(["Script", "RequiresPrivilege", "Timeout"], lifecycle["Install"]!.AsObject().Select(p => p.Key));
        var artifact = recipe.Manifests[0].Artifacts![0];
        Assert.Equal((UnarchiveType?)UnarchiveType.None, artifact.Unarchive);
        Assert.Equal(new ArtifactPermission { Read = PermissionLevel.All, Execute = PermissionLevel.Owner }, artifact.Permission);
    }

    [Fact]
    public void Parse_UnquotedFormatVersionAndVersions_StayStrings()
    {
        var recipe = RecipeReader.Parse("""
            RecipeFormatVersion: 2020-01-25
            ComponentName: com.example.Dates
            ComponentVersion: 1.0.0
            ComponentConfiguration:
              DefaultConfiguration:
                since: 2020-01-25
                enabled: yes
                ratio: 1.0
                port: 8080
                quoted: "8080"
            Manifests:
              - Name: main
            """);

        var config = recipe.ComponentConfiguration!.DefaultConfiguration!;
        Assert.Equal("2020-01-25", recipe.RecipeFormatVersion);
        Assert.Equal("2020-01-25", config["since"]!.GetValue<string>());
        Assert.Equal("yes", config["enabled"]!.GetValue<string>());
        Assert.Equal("1.0", config["ratio"]!.ToJsonString());
        Assert.Equal(System.Text.Json.JsonValueKind.Number, config["port"]!.GetValueKind());
        Assert.Equal(System.Text.Json.JsonValueKind.String, config["quoted"]!.GetValueKind());
    }

    [Fact]
    public void Read_UnknownTopLevelKeys_AreIgnoredWithWarnings()
    {
        var result = RecipeReader.Read("""
            RecipeFormatVersion: 2020-01-25
            ComponentName: com.example.Extra
            ComponentVersion: 1.0.0
            ComponentOwner: team-a
            Manifests:
              - Name: main
                Priority: 1
            """, "extra.yaml");

        Assert.Equal(["ComponentOwner", "Manifests[0].Priority"], result.Warnings.Select(w => w.Path));
        Assert.Equal((4, 1), (result.Warnings[0].Line, result.Warnings[0].Column));
        Assert.Equal("com.example.Extra", result.Recipe.ComponentName);
    }

    [Theory]
    [InlineData("aws.greengrass.plugin", ComponentType.Plugin)]
    [InlineData("AWS.Greengrass.Lambda", ComponentType.Lambda)]
    [InlineData("NUCLEUS", ComponentType.Nucleus)]
    [InlineData("aws.greengrass.generic", ComponentType.Generic)]
    public void Parse_ComponentType_IsCaseInsensitive(string text, ComponentType expected)
    {
        var recipe = RecipeReader.Parse($"RecipeFormatVersion: 2020-01-25\nComponentName: a\nComponentVersion: 1.0.0\nComponentType: {text}\nManifests:\n  - Name: m\n");

        Assert.Equal(expected, recipe.ComponentType);
    }

    [Fact]
    public void Parse_Defaults_AreAppliedByEffectiveProperties()
    {
        var recipe = CorpusTests.Load("zip-unarchive.yaml");

        var zip = recipe.Manifests[0].Artifacts![0];
        var script = recipe.Manifests[0].Artifacts![1];
        Assert.Equal(UnarchiveType.Zip, zip.EffectiveUnarchive);
        Assert.Equal(PermissionLevel.All, zip.EffectiveRead);
        Assert.Equal(PermissionLevel.Owner, zip.EffectiveExecute);
        Assert.Equal(UnarchiveType.None, script.EffectiveUnarchive);
        Assert.Equal(PermissionLevel.All, script.EffectiveRead); // execute ALL implies read ALL
        Assert.Equal(PermissionLevel.All, script.EffectiveExecute);
        var bare = new ComponentArtifact { Uri = "s3://b/k" };
        Assert.Equal((PermissionLevel.Owner, PermissionLevel.None), (bare.EffectiveRead, bare.EffectiveExecute));
    }

    [Fact]
    public void Parse_DependencyWithoutType_DefaultsToHard()
    {
        var recipe = CorpusTests.Load("docker-app.yaml");

        var manager = recipe.ComponentDependencies!["aws.greengrass.DockerApplicationManager"];
        Assert.Null(manager.DependencyType);
        Assert.Equal(DependencyType.Hard, manager.EffectiveDependencyType);
        Assert.Equal("~2.0.0", manager.VersionRequirement);
        Assert.All(recipe.Manifests[0].Artifacts!, a => Assert.Equal("docker", a.Scheme));
    }

    [Fact]
    public void Parse_YamlAlias_SharesTheAnchoredLifecycle()
    {
        var recipe = CorpusTests.Load("yaml-anchors.yaml");

        Assert.True(JsonNode.DeepEquals(recipe.Manifests[0].Lifecycle, recipe.Manifests[1].Lifecycle));
        Assert.Equal("{artifacts:path}/app", recipe.Manifests[1].Lifecycle!["Run"]!.GetValue<string>());
    }

    [Fact]
    public void Parse_JsonAndYamlOfSameRecipe_AreEqual()
    {
        var yaml = CorpusTests.Load("hello-world.yaml");

        var json = RecipeReader.Parse(RecipeWriter.ToJson(yaml));

        Assert.Equal(yaml, json);
        Assert.NotEqual(yaml, yaml with { ComponentVersion = "1.0.1" });
        Assert.NotEqual(yaml, yaml with { Manifests = [yaml.Manifests[0]] });
    }

    [Fact]
    public void Equals_DifferentDefaultConfiguration_IsNotEqual()
    {
        var recipe = CorpusTests.Load("config-types.json");
        var changed = (JsonObject)recipe.ComponentConfiguration!.DefaultConfiguration!.DeepClone();
        changed["integer"] = 43;

        var other = recipe with { ComponentConfiguration = new ComponentConfiguration { DefaultConfiguration = changed } };

        Assert.NotEqual(recipe, other);
    }

    [Fact]
    public void Parse_LambdaRecipe_ReadsSourceAndLowercaseGlobalLifecycle()
    {
        var recipe = CorpusTests.Load("lambda-function.json");

        Assert.Equal(ComponentType.Lambda, recipe.ComponentType);
        Assert.StartsWith("arn:aws:lambda:", recipe.ComponentSource, StringComparison.Ordinal);
        Assert.Equal(["Startup", "Setenv", "Shutdown"], recipe.Lifecycle!.Select(p => p.Key));
        Assert.Equal(["RequiresPrivilege", "Script"], recipe.Lifecycle!["Startup"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void Parse_ByteOrderMarkBeforeJson_IsReadAsJson()
    {
        var text = "\uFEFF" + RecipeWriter.ToJson(CorpusTests.Load("nucleus.json"));

        var recipe = RecipeReader.Parse(text);

        Assert.Equal(ComponentType.Nucleus, recipe.ComponentType);
    }

    [Fact]
    public void Parse_OptionalFieldsWithoutValue_AreAbsent()
    {
        var recipe = RecipeReader.Parse("""
            RecipeFormatVersion: 2020-01-25
            ComponentName: com.example.Empty
            ComponentVersion: 1.0.0
            ComponentDescription:
            ComponentConfiguration:
            Manifests:
              - Platform:
                Lifecycle:
                Artifacts:
            Lifecycle:
            """);

        Assert.Null(recipe.ComponentDescription);
        Assert.Null(recipe.ComponentConfiguration);
        Assert.Null(recipe.Lifecycle);
        Assert.Equal(new PlatformManifest(), recipe.Manifests[0]);
        Assert.Equal(recipe, RecipeReader.Parse(RecipeWriter.ToYaml(recipe)));
    }

    [Fact]
    public void Parse_DetectedPlatformKeysInAnyCase_AreStoredLowercase()
    {
        var recipe = RecipeReader.Parse("""
            RecipeFormatVersion: 2020-01-25
            ComponentName: com.example.Keys
            ComponentVersion: 1.0.0
            Manifests:
              - Platform:
                  OS: linux
                  Architecture: aarch64
                  Architecture.Detail: armv8l
                  Accelerator: npu
            """);

        Assert.Equal(["os", "architecture", "architecture.detail", "Accelerator"], recipe.Manifests[0].Platform!.Keys);
    }
}
