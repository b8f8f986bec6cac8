using Greengrass.Model.Recipes;

namespace Greengrass.Model.Tests.Recipes;

public sealed class CorpusTests
{
    private static readonly string CorpusDirectory = Path.Combine(AppContext.BaseDirectory, "Recipes", "Corpus");

    public static TheoryData<string> CorpusFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(CorpusDirectory).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    internal static Recipe Load(string fileName) =>
        RecipeReader.Parse(File.ReadAllText(Path.Combine(CorpusDirectory, fileName)), fileName);

    [Fact]
    public void Corpus_Size_HasAtLeastTwentyEightRecipesInBothSyntaxes()
    {
        var files = Directory.GetFiles(CorpusDirectory);

        Assert.True(files.Length >= 28, $"only {files.Length} corpus recipes");
        Assert.Contains(files, f => f.EndsWith(".json", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith(".yaml", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Parse_CorpusRecipe_ReadsWithoutWarnings(string fileName)
    {
        var text = File.ReadAllText(Path.Combine(CorpusDirectory, fileName));

        var result = RecipeReader.Read(text, fileName);

        Assert.Empty(result.Warnings);
        Assert.Equal(Recipe.SupportedFormatVersion, result.Recipe.RecipeFormatVersion);
        Assert.NotEmpty(result.Recipe.Manifests);
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void ToYaml_CorpusRecipe_ParsesBackToEqualRecipe(string fileName)
    {
        var recipe = Load(fileName);

        var yaml = RecipeWriter.ToYaml(recipe);
        var again = RecipeReader.Parse(yaml, fileName + ".out.yaml");

        Assert.False(RecipeReader.IsJson(yaml));
        Assert.Equal(recipe, again);
        Assert.Equal(yaml, RecipeWriter.ToYaml(again));
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void ToJson_CorpusRecipe_ParsesBackToEqualRecipe(string fileName)
    {
        var recipe = Load(fileName);

        var json = RecipeWriter.ToJson(recipe);
        var again = RecipeReader.Parse(json, fileName + ".out.json");

        Assert.True(RecipeReader.IsJson(json));
        Assert.Equal(recipe, again);
        Assert.Equal(json, RecipeWriter.ToJson(again));
    }
}
