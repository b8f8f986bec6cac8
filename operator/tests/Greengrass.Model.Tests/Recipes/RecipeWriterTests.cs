using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Greengrass.Model.Recipes;

namespace Greengrass.Model.Tests.Recipes;

public sealed class RecipeWriterTests
{
    private static Recipe Minimal(JsonObject? defaults = null) => new()
    {
        RecipeFormatVersion = Recipe.SupportedFormatVersion,
        ComponentName = "com.example.Minimal",
        ComponentVersion = "1.0.0",
        ComponentConfiguration = defaults is null ? null : new ComponentConfiguration { DefaultConfiguration = defaults },
        Manifests = [new PlatformManifest { Platform = new Dictionary<string, string?> { ["os"] = "linux" } }],
    };

    [Fact]
    public void ToYaml_MinimalRecipe_WritesOnlyPresentFieldsInDocumentedOrder()
    {
        var yaml = RecipeWriter.ToYaml(Minimal());

        Assert.Equal("""
            RecipeFormatVersion: '2020-01-25'
            ComponentName: com.example.Minimal
            ComponentVersion: '1.0.0'
            Manifests:
            - Platform:
                os: linux

            """, yaml);
    }

    [Fact]
    public void ToJson_MinimalRecipe_WritesOnlyPresentFields()
    {
        var tree = JsonNode.Parse(RecipeWriter.ToJson(Minimal()))!.AsObject();

        Assert.Equal(["RecipeFormatVersion", "ComponentName", "ComponentVersion", "Manifests"], tree.Select(p => p.Key));
    }

    [Theory]
    [InlineData("2020-01-25")]
    [InlineData("yes")]
    [InlineData("No")]
    [InlineData("on")]
    [InlineData("1.0")]
    [InlineData("0x1F")]
    [InlineData(".5")]
    [InlineData("-1")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("true")]
    [InlineData("12:30")]
    [InlineData("")]
    [InlineData(" padded ")]
    public void ToYaml_StringYamlWouldMisread_IsQuotedAndReadBackAsString(string value)
    {
        var recipe = Minimal(new JsonObject { ["value"] = value });

        var yaml = RecipeWriter.ToYaml(recipe);
        var again = RecipeReader.Parse(yaml);

        Assert.DoesNotContain($"value: {value}\n", yaml, StringComparison.Ordinal);
        Assert.Equal(value, again.ComponentConfiguration!.DefaultConfiguration!["value"]!.GetValue<string>());
    }

    [Fact]
    public void ToYaml_MultiLineScript_UsesLiteralBlock()
    {
        var recipe = Minimal() with { Lifecycle = new JsonObject { ["Run"] = "set -e\n./start.sh\n" } };

        var yaml = RecipeWriter.ToYaml(recipe);

        Assert.Contains("  Run: |\n    set -e\n    ./start.sh\n", yaml, StringComparison.Ordinal);
        Assert.Equal(recipe, RecipeReader.Parse(yaml));
    }

    [Fact]
    public void ToYaml_EnumsAndTypes_UseWireStrings()
    {
        var recipe = CorpusTests.Load("lowercase-keys.yaml");

        var yaml = RecipeWriter.ToYaml(recipe);

        Assert.Contains("ComponentType: aws.greengrass.generic\n", yaml, StringComparison.Ordinal);
        Assert.Contains("DependencyType: SOFT\n", yaml, StringComparison.Ordinal);
        Assert.Contains("Read: ALL\n", yaml, StringComparison.Ordinal);
        Assert.Contains("URI: s3://", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_VersionRange_IsNotEscaped()
    {
        var json = RecipeWriter.ToJson(CorpusTests.Load("pubsub-publisher.yaml"));

        Assert.Contains("\"VersionRequirement\": \">=2.5.0 <2.14.0\"", json, StringComparison.Ordinal);
    }

    // Pieces YAML treats specially, so that generated strings hit quoting, block and escape rules often.
    private static readonly string[] TrickyPieces =
    [
        "a", "Z", " ", "  ", "\n", "\t", "\r", ":", ": ", " #", "#", "'", "\"", "-", "- ", "1", "0x", ".", "{", "}", "[", "]",
        ",", "&", "*", "!", "|", ">", "%", "@", "`", "~", "yes", "No", "null", "true", "2020-01-25", "1.0", "\u0085", "\u2028",
        "é", "°", "\\",
    ];

    [Fact]
    public void ToYaml_TrickyConfigurationStrings_RoundTripAsKeysAndValues()
    {
        var strings = Gen.ArrayOf(Gen.Elements(TrickyPieces)).Select(pieces => string.Concat(pieces));

        Prop.ForAll(Arb.From(strings), text =>
        {
            var recipe = Minimal(new JsonObject { ["value"] = text, [text] = "key" });
            return RecipeReader.Parse(RecipeWriter.ToYaml(recipe)).Equals(recipe)
                && RecipeReader.Parse(RecipeWriter.ToJson(recipe)).Equals(recipe);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(1000));
    }

    [Fact]
    public void ToYaml_ArbitraryConfigurationStrings_RoundTrip()
    {
        Prop.ForAll<string>(value =>
        {
            var recipe = Minimal(new JsonObject { ["value"] = value ?? string.Empty });
            return RecipeReader.Parse(RecipeWriter.ToYaml(recipe)).Equals(recipe)
                && RecipeReader.Parse(RecipeWriter.ToJson(recipe)).Equals(recipe);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(500));
    }
}
