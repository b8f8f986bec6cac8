using System.Text.Json.Nodes;
using Greengrass.Model.Configuration;

namespace Greengrass.Model.Tests.Configuration;

/// <summary>GREENGRASS.md §4.5 "Configuration resolution per component (exact order)", rule by rule.</summary>
public sealed class ConfigurationMergerTests
{
    private static readonly JsonObject Defaults = Json("""{"port": 8080, "mode": "normal", "tls": {"enabled": true, "ciphers": ["a", "b"]}}""");

    [Fact]
    public void Apply_NewComponent_StartsFromDefaults()
    {
        // §4.5.1/3: no current configuration; DefaultConfiguration fills every key.
        var result = ConfigurationMerger.Apply(Defaults, null, null);

        AssertJson("""{"port":8080,"mode":"normal","tls":{"enabled":true,"ciphers":["a","b"]}}""", result.Configuration);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Apply_CurrentValues_WinOverDefaults()
    {
        // §4.5.3: defaults are merged with timestamp 1, "i.e. only fills keys that do not exist (existing values ... win)".
        var current = Json("""{"port": 9000, "tls": {"enabled": false}, "extra": "kept"}""");

        var result = ConfigurationMerger.Apply(Defaults, current, null);

        AssertJson("""{"port":9000,"tls":{"enabled":false,"ciphers":["a","b"]},"extra":"kept","mode":"normal"}""", result.Configuration);
    }

    [Fact]
    public void Apply_ResetWholeDocument_WipesBackToDefaults()
    {
        // §4.5.2: `""` ⇒ wipe the whole configuration; §13.4: `reset: [""]` wipes everything (then defaults flow back in).
        var current = Json("""{"port": 9000, "extra": "gone"}""");

        var result = ConfigurationMerger.Apply(Defaults, current, new ConfigurationUpdate([""], null));

        AssertJson("""{"port":8080,"mode":"normal","tls":{"enabled":true,"ciphers":["a","b"]}}""", result.Configuration);
    }

    [Fact]
    public void Apply_ResetKeyWithDefault_ComesBackWithDefault()
    {
        // §4.5.3: "Reset keys therefore come back with their default".
        var current = Json("""{"port": 9000, "mode": "debug"}""");

        var result = ConfigurationMerger.Apply(Defaults, current, new ConfigurationUpdate(["/port"], null));

        Assert.Equal(8080, result.Configuration["port"]!.GetValue<int>());
        Assert.Equal("debug", result.Configuration["mode"]!.GetValue<string>());
    }

    [Fact]
    public void Apply_ResetKeyWithoutDefault_Disappears()
    {
        // §4.5.3: "keys with no default disappear".
        var current = Json("""{"port": 9000, "extra": {"a": 1}}""");

        var result = ConfigurationMerger.Apply(Defaults, current, new ConfigurationUpdate(["/extra"], null));

        Assert.False(result.Configuration.ContainsKey("extra"));
        Assert.Equal(9000, result.Configuration["port"]!.GetValue<int>());
    }

    [Fact]
    public void Apply_ResetObject_RemovesItAndDefaultsRefillIt()
    {
        // §4.5.2: "pointer to an object/leaf ⇒ remove it", then §4.5.3 refills the default subtree.
        var current = Json("""{"tls": {"enabled": false, "ciphers": ["x"], "custom": 1}}""");

        var result = ConfigurationMerger.Apply(Defaults, current, new ConfigurationUpdate(["/tls"], null));

        AssertJson("""{"enabled":true,"ciphers":["a","b"]}""", result.Configuration["tls"]!);
    }

    [Fact]
    public void Apply_ResetNestedLeaf_RestoresOnlyThatLeaf()
    {
        // §4.5.2: "pointer to an object/leaf ⇒ remove it"; §4.5.3: "Reset keys therefore come back with their default".
        var current = Json("""{"tls": {"enabled": false, "ciphers": ["x"]}}""");

        var result = ConfigurationMerger.Apply(Defaults, current, new ConfigurationUpdate(["/tls/enabled"], null));

        AssertJson("""{"ciphers":["x"],"enabled":true}""", result.Configuration["tls"]!);
    }

    [Fact]
    public void Apply_ResetArrayElement_IsSkippedWithWarning()
    {
        // §4.5.2: "pointer into an array element ⇒ error logged, skipped".
        var current = Json("""{"tls": {"ciphers": ["x", "y"]}}""");

        var result = ConfigurationMerger.Apply(Defaults, current, new ConfigurationUpdate(["/tls/ciphers/0", "/port"], null));

        AssertJson("""["x","y"]""", result.Configuration["tls"]!["ciphers"]!);
        Assert.Equal(["reset[0]: \"/tls/ciphers/0\" points into an array element; resetting array elements is not supported, skipped"], result.Warnings);
    }

    [Fact]
    public void Apply_ResetMissingKey_ChangesNothing()
    {
        // §4.5.2: reset removes what the pointer designates; where nothing is, nothing is removed (and nothing is logged).
        var result = ConfigurationMerger.Apply(Defaults, Json("""{"port": 1}"""), new ConfigurationUpdate(["/nope/deeper"], null));

        Assert.Equal(1, result.Configuration["port"]!.GetValue<int>());
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Apply_MergeObjects_MergesRecursively()
    {
        // §4.5.4: "recursive object merge".
        var result = ConfigurationMerger.Apply(Defaults, null, new ConfigurationUpdate([], Json("""{"tls": {"enabled": false, "new": "x"}}""")));

        AssertJson("""{"enabled":false,"ciphers":["a","b"],"new":"x"}""", result.Configuration["tls"]!);
    }

    [Fact]
    public void Apply_MergeArray_ReplacesWholesaleNeverAppends()
    {
        // §4.5.4: "arrays and scalars are replaced wholesale (no list append)".
        var result = ConfigurationMerger.Apply(Defaults, null, new ConfigurationUpdate([], Json("""{"tls": {"ciphers": ["c"]}}""")));

        AssertJson("""["c"]""", result.Configuration["tls"]!["ciphers"]!);
    }

    [Fact]
    public void Apply_MergeTypeChanges_AreAllowed()
    {
        // §4.5.4: "type changes allowed".
        var update = Json("""{"port": {"http": 80}, "tls": "off", "mode": 3}""");

        var result = ConfigurationMerger.Apply(Defaults, null, new ConfigurationUpdate([], update));

        AssertJson("""{"port":{"http":80},"mode":3,"tls":"off"}""", result.Configuration);
    }

    [Fact]
    public void Apply_MergeNullAndEmptyValues_AreStored()
    {
        // §4.5.4: "nulls and empty values allowed": null is stored as a value, it does not delete the key.
        var update = Json("""{"mode": null, "port": "", "tls": {"ciphers": []}, "extra": {}}""");

        var result = ConfigurationMerger.Apply(Defaults, null, new ConfigurationUpdate([], update));

        AssertJson("""{"port":"","mode":null,"tls":{"enabled":true,"ciphers":[]},"extra":{}}""", result.Configuration);
        Assert.True(result.Configuration.ContainsKey("mode"));
    }

    [Fact]
    public void Apply_ResetAndMergeSameKey_MergeComesLast()
    {
        // §4.5 order: reset (2), defaults (3), merge (4).
        var result = ConfigurationMerger.Apply(Defaults, Json("""{"port": 9000}"""),
            new ConfigurationUpdate(["/port"], Json("""{"port": 7000}""")));

        Assert.Equal(7000, result.Configuration["port"]!.GetValue<int>());
    }

    [Fact]
    public void Apply_NonRootComponent_OnlyDefaultsFlowIn()
    {
        // §4.5.6: "Configuration of non-root (dependency-only) components cannot be changed by this deployment (only defaults flow in)".
        var result = ConfigurationMerger.Apply(Defaults, Json("""{"port": 9000}"""), ConfigurationUpdate.None);

        AssertJson("""{"port":9000,"mode":"normal","tls":{"enabled":true,"ciphers":["a","b"]}}""", result.Configuration);
    }

    [Fact]
    public void Apply_KeysDifferingOnlyInCase_AreTheSameKey()
    {
        // §8.3: child names are case-insensitive (stored with original case).
        var result = ConfigurationMerger.Apply(Defaults, Json("""{"Port": 9000}"""),
            new ConfigurationUpdate(["/MODE"], Json("""{"TLS": {"ENABLED": false}}""")));

        AssertJson("""{"Port":9000,"mode":"normal","tls":{"enabled":false,"ciphers":["a","b"]}}""", result.Configuration);
    }

    [Theory]
    [InlineData("port", "reset[1]: invalid JSON pointer \"port\": a JSON pointer must be empty or start with '/' (at position 0)")]
    [InlineData("/a~3", "reset[1]: invalid JSON pointer \"/a~3\": '~' must be followed by '0' or '1' (at position 2)")]
    public void Apply_MalformedResetPointer_ThrowsNamingTheField(string pointer, string message)
    {
        // §4.1: reset is a list of "<json pointer>"; a string that is not one is bad input and names its field.
        var error = Assert.Throws<FormatException>(() =>
            ConfigurationMerger.Apply(Defaults, null, new ConfigurationUpdate(["/port", pointer], null)));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Apply_AnyInputs_AreLeftUnchanged()
    {
        // §4.5 describes a resolution per deployment; the recipe defaults and the deployment document must survive it intact.
        var current = Json("""{"port": 9000}""");
        var merge = Json("""{"tls": {"enabled": false}}""");

        var result = ConfigurationMerger.Apply(Defaults, current, new ConfigurationUpdate(["/port"], merge));
        result.Configuration["tls"]!["enabled"] = true;

        AssertJson("""{"port":9000}""", current);
        AssertJson("""{"tls":{"enabled":false}}""", merge);
        AssertJson("""{"port":8080,"mode":"normal","tls":{"enabled":true,"ciphers":["a","b"]}}""", Defaults);
    }

    internal static JsonObject Json(string json) => JsonNode.Parse(json)!.AsObject();

    internal static void AssertJson(string expected, JsonNode actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}, got {actual.ToJsonString()}");
}
