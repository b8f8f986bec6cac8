using FsCheck;
using FsCheck.Fluent;
using Greengrass.Model.Recipes;

namespace Greengrass.Model.Tests.Recipes;

public sealed class RecipeReaderRobustnessTests
{
    private static readonly string[] Pieces =
    [
        "{", "}", "[", "]", ",", ":", ": ", "\"", "'", "\\", "\\u", "\\uD800", "\n", "  ", "- ", "&a ", "*a", "!!str ", "!x ",
        "? ", "|", ">", "#", "%YAML 1.2\n", "---\n", "...\n", "\t", "1", "1e999", "-", "null", "true", "\uD800", "é",
        "RecipeFormatVersion", "ComponentName", "Manifests", "Lifecycle", "Run", "Script", "Timeout", "2020-01-25",
    ];

    private static bool ReadsOrReportsRecipeError(string text)
    {
        try
        {
            RecipeReader.Parse(text, "fuzz");
            return true;
        }
        catch (RecipeException e)
        {
            return e.Errors.Count > 0;
        }
    }

    [Fact]
    public void Parse_GeneratedText_ReadsOrThrowsRecipeExceptionOnly()
    {
        var texts = Gen.ArrayOf(Gen.Elements(Pieces)).Select(pieces => string.Concat(pieces));

        Prop.ForAll(Arb.From(texts), ReadsOrReportsRecipeError).Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
    }

    [Fact]
    public void Parse_ArbitraryText_ReadsOrThrowsRecipeExceptionOnly()
    {
        Prop.ForAll<string>(text => ReadsOrReportsRecipeError(text ?? string.Empty))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(1000));
    }

    [Theory]
    [InlineData("{\"ComponentName\": \"\\uD800\"}")]
    [InlineData("{\"a\": 1e999999}")]
    [InlineData("[1, 2, 3]")]
    [InlineData("just a string")]
    [InlineData("- a\n- b\n")]
    [InlineData("RecipeFormatVersion: 2020-01-25\nManifests:\n  - Lifecycle: *missing\n")]
    public void Parse_OddDocuments_ThrowRecipeException(string text) =>
        Assert.Throws<RecipeException>(() => RecipeReader.Parse(text));
}
