using System.Text.Json.Nodes;
using Greengrass.Model.Configuration;
using static Greengrass.Model.Tests.Configuration.ConfigurationMergerTests;

namespace Greengrass.Model.Tests.Configuration;

/// <summary>GREENGRASS.md §8.3 (config store timestamps) and the timestamp parts of §4.5.</summary>
public sealed class TimestampedConfigurationTests
{
    [Fact]
    public void Merge_OlderTimestamp_DoesNotOverwriteNewerLeaf()
    {
        // §8.3: "a proposed value is applied only if proposedTime >= currentModtime (older timestamps are ignored)".
        var config = TimestampedConfiguration.FromJson(Json("""{"port": 9000}"""), 2_000);

        var changed = config.Merge(Json("""{"port": 7000, "fresh": true}"""), 1_000);

        Assert.True(changed);
        Assert.Equal(2_000, config.Lookup("port")!.Timestamp);
        Assert.Equal(9000, config.Lookup("port")!.Value!.GetValue<int>());
        Assert.True(config.Lookup("fresh")!.Value!.GetValue<bool>());
    }

    [Fact]
    public void Merge_EqualTimestamp_Applies()
    {
        var config = TimestampedConfiguration.FromJson(Json("""{"port": 9000}"""), 2_000);

        config.Merge(Json("""{"port": 7000}"""), 2_000);

        Assert.Equal(7000, config.Lookup("port")!.Value!.GetValue<int>());
    }

    [Fact]
    public void Merge_EqualValueNewerTimestamp_IsNoChangeButTakesTheTimestamp()
    {
        // §8.3: "equal values are no-ops" for the value; the newer write still owns the leaf.
        var config = TimestampedConfiguration.FromJson(Json("""{"port": 9000}"""), 2_000);

        Assert.False(config.Merge(Json("""{"port": 9000}"""), 3_000));
        Assert.Equal(3_000, config.Lookup("port")!.Timestamp);
    }

    [Fact]
    public void ApplyDeployment_OlderGroupDeployment_CannotOverwriteNewerGroupsValues()
    {
        // §4.5.4: "an older deployment cannot overwrite values written by a newer one (this is how 'apply config updates in
        // creation-time order across groups' works)".
        var config = new TimestampedConfiguration();
        var defaults = Json("""{"level": "info", "target": "local"}""");
        ConfigurationMerger.ApplyDeployment(config, defaults, new ConfigurationUpdate([], Json("""{"level": "debug"}""")), 5_000);

        ConfigurationMerger.ApplyDeployment(config, defaults,
            new ConfigurationUpdate([], Json("""{"level": "warn", "target": "cloud"}""")), 4_000);

        AssertJson("""{"level":"debug","target":"cloud"}""", config.ToJson());
        Assert.Equal(5_000, config.Lookup("level")!.Timestamp);
        Assert.Equal(4_000, config.Lookup("target")!.Timestamp);
    }

    [Fact]
    public void MergeDefaults_CustomisedValue_IsKept()
    {
        // §4.5.3 / §13.4: "defaults are merged with timestamp 1 (existing values always win, even stale ones)".
        var config = new TimestampedConfiguration();
        config.MergeDefaults(Json("""{"port": 8080}"""));
        config.Merge(Json("""{"port": 9000}"""), 10);

        config.MergeDefaults(Json("""{"port": 8181}"""));

        Assert.Equal(9000, config.Lookup("port")!.Value!.GetValue<int>());
    }

    [Fact]
    public void MergeDefaults_ValueStillAtDefaultTimestamp_TakesTheNewDefault()
    {
        // §8.3: the rule is proposedTime >= currentModtime, and a value nobody customised still carries timestamp 1,
        // so a new recipe version's default replaces the old default.
        var config = new TimestampedConfiguration();
        config.MergeDefaults(Json("""{"port": 8080}"""));

        config.MergeDefaults(Json("""{"port": 8181}"""));

        Assert.Equal(TimestampedConfiguration.DefaultsTimestamp, config.Lookup("port")!.Timestamp);
        Assert.Equal(8181, config.Lookup("port")!.Value!.GetValue<int>());
    }

    [Fact]
    public void ApplyDeployment_ResetKey_ComesBackWithDefaultTimestampOne()
    {
        // §4.5.2-3: reset removes the key whatever its timestamp; the default refills it with timestamp 1.
        var config = TimestampedConfiguration.FromJson(Json("""{"port": 9000}"""), 50);

        ConfigurationMerger.ApplyDeployment(config, Json("""{"port": 8080}"""), new ConfigurationUpdate(["/port"], null), 40);

        Assert.Equal(TimestampedConfiguration.DefaultsTimestamp, config.Lookup("port")!.Timestamp);
        Assert.Equal(8080, config.Lookup("port")!.Value!.GetValue<int>());
    }

    [Fact]
    public void Merge_ObjectOverLeaf_ReplacesOnlyWhenNotOlder()
    {
        // §4.5.4: "type changes allowed", under §8.3's rule "applied only if proposedTime >= currentModtime".
        var config = TimestampedConfiguration.FromJson(Json("""{"a": "leaf", "b": "leaf"}"""), 10);

        config.Merge(Json("""{"a": {"x": 1}}"""), 5);
        config.Merge(Json("""{"b": {"x": 1}}"""), 10);

        AssertJson("""{"a":"leaf","b":{"x":1}}""", config.ToJson());
    }

    [Fact]
    public void Merge_LeafOverObject_NeedsTimestampOfNewestLeafInside()
    {
        // §4.5.4 / §8.3: replacing an object must not discard a value written later than the replacing write.
        var config = TimestampedConfiguration.FromJson(Json("""{"a": {"old": 1}}"""), 10);
        config.Merge(Json("""{"a": {"new": 2}}"""), 20);

        config.Merge(Json("""{"a": "flat"}"""), 15);
        AssertJson("""{"a":{"old":1,"new":2}}""", config.ToJson());

        config.Merge(Json("""{"a": "flat"}"""), 20);
        AssertJson("""{"a":"flat"}""", config.ToJson());
    }

    [Fact]
    public void Lookup_PathAndPointer_MatchKeysCaseInsensitively()
    {
        // §8.3: "child names are case-insensitive (stored with original case); each leaf holds a value ... and a modtime".
        var config = TimestampedConfiguration.FromJson(Json("""{"Server": {"Port": 1883, "list": [1, 2]}}"""), 7);

        Assert.Equal(1883, config.Lookup("server", "PORT")!.Value!.GetValue<int>());
        Assert.Equal(7, config.Lookup(JsonPointer.Parse("/SERVER"))!.Timestamp);
        Assert.Null(config.Lookup("server", "list", "0"));
        Assert.Null(config.Lookup("missing"));
        AssertJson("""{"Server":{"Port":1883,"list":[1,2]}}""", config.Lookup()!.Value!);
    }

    [Theory]
    [InlineData("", ResetOutcome.Cleared, "{}")]
    [InlineData("/a/b", ResetOutcome.Removed, """{"a":{"c":[1,2]},"7":"x"}""")]
    [InlineData("/A", ResetOutcome.Removed, """{"7":"x"}""")]
    [InlineData("/a/c/1", ResetOutcome.SkippedArrayElement, """{"a":{"b":1,"c":[1,2]},"7":"x"}""")]
    [InlineData("/7", ResetOutcome.SkippedArrayElement, """{"a":{"b":1,"c":[1,2]},"7":"x"}""")]
    [InlineData("/a/zz", ResetOutcome.NotFound, """{"a":{"b":1,"c":[1,2]},"7":"x"}""")]
    [InlineData("/a/b/deeper", ResetOutcome.NotFound, """{"a":{"b":1,"c":[1,2]},"7":"x"}""")]
    public void Reset_Pointers_RemoveClearOrSkip(string pointer, ResetOutcome outcome, string expected)
    {
        // §4.5.2. A segment that reads as an index ("/7") is treated as an array element, as the Java nucleus does.
        var config = TimestampedConfiguration.FromJson(Json("""{"a": {"b": 1, "c": [1, 2]}, "7": "x"}"""), 3);

        Assert.Equal(outcome, config.Reset(JsonPointer.Parse(pointer)));
        AssertJson(expected, config.ToJson());
    }

    [Fact]
    public void Clone_ThenMerge_LeavesOriginalUnchanged()
    {
        // §4.5 resolves into a copy of the running configuration ("Start from the component's current configuration").
        var config = TimestampedConfiguration.FromJson(Json("""{"a": {"b": [1]}}"""), 3);
        var copy = config.Clone();

        copy.Merge(Json("""{"a": {"b": [2]}}"""), 4);

        AssertJson("""{"a":{"b":[1]}}""", config.ToJson());
        AssertJson("""{"a":{"b":[2]}}""", copy.ToJson());
    }
}
