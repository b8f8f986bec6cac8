using System.Text.Json.Nodes;
using Greengrass.Api;
using Greengrass.Model.Recipes;
using Greengrass.Operator.Cli;
using Greengrass.Operator.Components;
using Greengrass.Operator.Tests.Chart;
using k8s;

namespace Greengrass.Operator.Tests.Components;

public sealed class ComponentRecipeMapperTests
{
    private static string CorpusDirectory => Path.Combine(Repository.Root, "operator", "tests", "Greengrass.Model.Tests", "Recipes", "Corpus");

    public static TheoryData<string> CorpusFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(CorpusDirectory).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Fact]
    public void Corpus_HasAtLeast25Recipes() => Assert.True(CorpusFiles().Count >= 25);

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Corpus_ImportsToAComponentAndExportsBackToAnEqualRecipe(string file)
    {
        var original = RecipeReader.Parse(File.ReadAllText(Path.Combine(CorpusDirectory, file)), file);

        var component = ComponentRecipeMapper.ToComponent(original, "demo", file);
        // Through the wire and through YAML, as kubectl and GitOps tools carry it.
        var reread = ResourceYaml.Deserialize<Component>(ResourceYaml.Serialize(component));
        var exported = ComponentRecipeMapper.ToRecipe(reread.Spec, file);

        Assert.Equal(original, exported);
        Assert.Equal(original.ComponentName, reread.Spec.ComponentName);
        Assert.Equal(file, reread.Metadata.Annotations[Annotations.RecipeSource]);
    }

    [Theory]
    [InlineData("com.example.HelloWorld", "1.0.0", "com.example.helloworld-1.0.0")]
    [InlineData("My_Component", "2.1.0-beta.1+build.5", "my-component-2.1.0-beta.1-build.5")]
    public void ObjectName_IsAValidKubernetesName(string name, string version, string expected) =>
        Assert.Equal(expected, ComponentRecipeMapper.ObjectName(name, version));

    [Fact]
    public void ToRecipe_InvalidComponent_NamesTheRecipeField()
    {
        var component = ComponentRecipeMapper.ToComponent(RecipeReader.Parse(File.ReadAllText(Path.Combine(CorpusDirectory, "hello-world.yaml"))));
        component.Spec.ComponentVersion = "1.0";

        var error = Assert.Throws<RecipeException>(() => ComponentRecipeMapper.ToRecipe(component.Spec, "hello"));
        Assert.Contains(error.Errors, e => e.Path == "ComponentVersion");
    }

    [Fact]
    public async Task Cli_ImportThenExport_RoundTripsAFile()
    {
        var file = Path.Combine(CorpusDirectory, "dependency-ranges.yaml");
        var imported = new StringWriter();
        var code = await new RecipeImportCommand().RunAsync(["--namespace", "demo", file], new CliContext(imported, TextWriter.Null), CancellationToken.None);
        Assert.Equal(ExitCodes.Success, code);

        var input = Path.GetTempFileName();
        await File.WriteAllTextAsync(input, imported.ToString());
        var exported = new StringWriter();
        code = await new RecipeExportCommand().RunAsync([input, "--format", "json"], new CliContext(exported, TextWriter.Null), CancellationToken.None);
        File.Delete(input);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal(RecipeReader.Parse(await File.ReadAllTextAsync(file)), RecipeReader.Parse(exported.ToString()));
    }

    [Fact]
    public async Task Cli_Export_AcceptsTheListKubectlPrints()
    {
        var component = ComponentRecipeMapper.ToComponent(RecipeReader.Parse(File.ReadAllText(Path.Combine(CorpusDirectory, "hello-world.yaml"))), "demo");
        var list = new System.Text.Json.Nodes.JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "List",
            ["items"] = new System.Text.Json.Nodes.JsonArray(JsonNode.Parse(KubernetesJson.Serialize(component)), JsonNode.Parse(KubernetesJson.Serialize(component))),
        };
        var input = Path.GetTempFileName();
        await File.WriteAllTextAsync(input, ResourceYaml.FromJson(list));
        var exported = new StringWriter();
        var code = await new RecipeExportCommand().RunAsync([input], new CliContext(exported, TextWriter.Null), CancellationToken.None);
        File.Delete(input);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal(2, exported.ToString().Split("ComponentName: com.example.HelloWorld").Length - 1);
    }

    [Fact]
    public async Task Cli_ImportOfABadRecipe_PrintsFileLineAndFieldAndFails()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "RecipeFormatVersion: '2020-01-25'\nComponentName: a\nComponentVersion: x.y\nManifests: []\n");
        var error = new StringWriter();
        var code = await new RecipeImportCommand().RunAsync([file], new CliContext(TextWriter.Null, error), CancellationToken.None);
        File.Delete(file);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("ComponentVersion", error.ToString());
        Assert.Contains(":3:", error.ToString());
    }
}
