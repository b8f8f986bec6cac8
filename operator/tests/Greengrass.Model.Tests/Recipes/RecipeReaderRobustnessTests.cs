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

    private static readonly string[] Values =
    [
        "x", "1", "-1", "1.5", "true", "null", "[a, b]", "{a: b}", "{}", "[]", "''", "'ten'", "ZIP", "ALL", "s3://b/k",
        "docker:alpine", "^1.0.0", ">=1 <2", "/re(/", "/li.*/", "'*'", "linux", "{Script: x}", "{Script: x, Timeout: ten}",
        "{linux: x, all: y}", "{Read: ALL}", "{VersionRequirement: 1.x}",
    ];

    private static readonly System.Text.CompositeFormat Template = System.Text.CompositeFormat.Parse("""
        RecipeFormatVersion: {0}
        ComponentName: com.example.Fuzz
        ComponentVersion: {1}
        ComponentType: {2}
        ComponentConfiguration:
          DefaultConfiguration: {3}
        ComponentDependencies:
          dep: {4}
        Manifests:
          - Platform:
              os: {5}
            Selections: {6}
            Lifecycle:
              Run: {7}
              Setenv: {8}
            Artifacts:
              - URI: {9}
                Unarchive: {10}
                Permission: {11}
        Lifecycle:
          Install: {12}
          linux: {13}
        """);

    [Fact]
    public void Parse_RecipeWithGeneratedValues_ReadsOrThrowsRecipeExceptionOnly()
    {
        var recipes = Gen.ArrayOf(Gen.Elements(Values), 14).Select(values => string.Format(System.Globalization.CultureInfo.InvariantCulture, Template, values.Cast<object?>().ToArray()));

        Prop.ForAll(Arb.From(recipes), ReadsOrReportsRecipeError).Check(Config.QuickThrowOnFailure.WithMaxTest(3000));
    }

    [Theory]
    [InlineData("{\"ComponentName\": \"\\uD800\"}")]
    [InlineData("{\"a\": 1e999999}")]
    [InlineData("[1, 2, 3]")]
    [InlineData("a: \"\\uD800\\uD800\"")]
    [InlineData("a: \"\\U99999999\"")]
    [InlineData("...\n*a!x b")]
    [InlineData("just a string")]
    [InlineData("- a\n- b\n")]
    [InlineData("RecipeFormatVersion: 2020-01-25\nManifests:\n  - Lifecycle: *missing\n")]
    public void Parse_OddDocuments_ThrowRecipeException(string text) =>
        Assert.Throws<RecipeException>(() => RecipeReader.Parse(text));
}
