using System.Text;
using System.Text.Json.Nodes;
using Greengrass.Nucleus.Shadows;

namespace Greengrass.Nucleus.Tests.Shadows;

/// <summary>The AWS IoT shadow document rules as ShadowManager applies them: merge, delta, versions, limits.</summary>
public sealed class ShadowRulesTests
{
    private const long Now = 1_700_000_000;

    private static ShadowUpdate Parse(string json, int limit = ShadowRules.DefaultDocumentSizeLimit) =>
        ShadowRules.ParseUpdate(Encoding.UTF8.GetBytes(json), limit);

    private static ShadowDocument Apply(ShadowDocument current, string json, long now = Now) =>
        ShadowRules.Apply(current, Parse(json), now, ShadowRules.DefaultDocumentSizeLimit).Next;

    private static JsonNode Json(string text) => JsonNode.Parse(text)!;

    private static JsonNode Stamped(string text) => Json(text
        .Replace("T0", Now.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("T5", (Now + 5).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

    private static string Blob(string section, int length) =>
        new JsonObject { ["state"] = new JsonObject { [section] = new JsonObject { ["blob"] = new string('x', length) } } }.ToJsonString();

    [Fact]
    public void Apply_FirstUpdate_CreatesVersionOneWithMetadataPerLeaf()
    {
        var next = Apply(new ShadowDocument(), """{"state":{"desired":{"color":"red","light":{"on":true}}}}""");

        Assert.True(next.Exists);
        Assert.Equal(1, next.Version);
        Assert.True(JsonNode.DeepEquals(Json("""{"color":"red","light":{"on":true}}"""), next.Desired));
        Assert.True(JsonNode.DeepEquals(
            Stamped("""{"color":{"timestamp":T0},"light":{"on":{"timestamp":T0}}}"""), next.DesiredMetadata));
        Assert.Null(next.Reported);
    }

    [Fact]
    public void Apply_NestedObjects_MergeKeyByKeyAndNullDeletes()
    {
        var first = Apply(new ShadowDocument(), """{"state":{"reported":{"a":1,"b":{"x":1,"y":2},"c":3}}}""");

        var next = Apply(first, """{"state":{"reported":{"a":null,"b":{"y":null,"z":3}}}}""", Now + 5);

        Assert.Equal(2, next.Version);
        Assert.True(JsonNode.DeepEquals(Json("""{"b":{"x":1,"z":3},"c":3}"""), next.Reported));
        Assert.True(JsonNode.DeepEquals(
            Stamped("""{"b":{"x":{"timestamp":T0},"z":{"timestamp":T5}},"c":{"timestamp":T0}}"""), next.ReportedMetadata));
    }

    [Fact]
    public void Apply_Array_ReplacesWholeArray()
    {
        var first = Apply(new ShadowDocument(), """{"state":{"desired":{"list":[1,2,3]}}}""");

        var next = Apply(first, """{"state":{"desired":{"list":[9]}}}""");

        Assert.True(JsonNode.DeepEquals(Json("""{"list":[9]}"""), next.Desired));
        Assert.True(JsonNode.DeepEquals(Stamped("""{"list":[{"timestamp":T0}]}"""), next.DesiredMetadata));
    }

    [Fact]
    public void Apply_SectionNull_RemovesWholeSection()
    {
        var first = Apply(new ShadowDocument(), """{"state":{"desired":{"a":1},"reported":{"a":2}}}""");

        var next = Apply(first, """{"state":{"desired":null}}""");

        Assert.Null(next.Desired);
        Assert.Null(next.DesiredMetadata);
        Assert.True(JsonNode.DeepEquals(Json("""{"a":2}"""), next.Reported));
    }

    [Fact]
    public void Apply_LastKeyRemoved_SectionDisappears()
    {
        var first = Apply(new ShadowDocument(), """{"state":{"desired":{"a":{"b":1}}}}""");

        var next = Apply(first, """{"state":{"desired":{"a":{"b":null}}}}""");

        Assert.Null(next.Desired);
        Assert.False(next.StateNode(withDelta: true).ContainsKey("desired"));
    }

    [Fact]
    public void Apply_MatchingVersion_Accepted()
    {
        var first = Apply(new ShadowDocument(), """{"state":{"desired":{"a":1}}}""");

        var next = Apply(first, """{"state":{"desired":{"a":2}},"version":1}""");

        Assert.Equal(2, next.Version);
    }

    [Fact]
    public void Apply_StaleVersion_ConflictWithClientToken()
    {
        var first = Apply(Apply(new ShadowDocument(), """{"state":{"desired":{"a":1}}}"""), """{"state":{"desired":{"a":2}}}""");

        var ex = Assert.Throws<ShadowException>(() => Apply(first, """{"state":{"desired":{"a":3}},"version":1,"clientToken":"t-1"}"""));

        Assert.Equal(ShadowErrorKind.Conflict, ex.Kind);
        Assert.Equal("Version conflict", ex.Message);
        Assert.Equal("t-1", ex.ClientToken);
    }

    [Fact]
    public void Apply_AfterDelete_VersionContinues()
    {
        var tombstone = new ShadowDocument { Version = 4, Deleted = true };

        var next = Apply(tombstone, """{"state":{"reported":{"a":1}}}""");

        Assert.Equal(5, next.Version);
        Assert.False(next.Deleted);
        Assert.True(JsonNode.DeepEquals(Json("""{"a":1}"""), next.Reported));
    }

    [Fact]
    public void Apply_StateOverSizeLimit_PayloadTooLarge()
    {
        var update = Parse(Blob("reported", 5000));
        var first = ShadowRules.Apply(new ShadowDocument(), update, Now, 8192).Next;
        var second = Parse(Blob("desired", 5000));

        var ex = Assert.Throws<ShadowException>(() => ShadowRules.Apply(first, second, Now, 8192));

        Assert.Equal(ShadowErrorKind.PayloadTooLarge, ex.Kind);
        Assert.Contains("8192", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "payload is required")]
    [InlineData("[1]", "payload must be a JSON object")]
    [InlineData("{nope", "payload is not valid JSON")]
    [InlineData("""{"desired":{}}""", "unknown field 'desired'")]
    [InlineData("""{"state":{}}""", "state must hold desired and/or reported")]
    [InlineData("""{"state":{"delta":{"a":1}}}""", "state.delta is not allowed")]
    [InlineData("""{"state":{"desired":[1]}}""", "state.desired must be an object or null")]
    [InlineData("""{"state":{"desired":{"a":1}},"version":"3"}""", "version must be a whole number")]
    [InlineData("""{"state":{"desired":{"a":1}},"version":1.5}""", "version must be a whole number")]
    [InlineData("""{"state":{"desired":{"a":1}},"clientToken":7}""", "clientToken must be a string")]
    public void ParseUpdate_BadPayload_InvalidArgumentsNamingTheField(string payload, string expected)
    {
        var ex = Assert.Throws<ShadowException>(() => Parse(payload));

        Assert.Equal(ShadowErrorKind.InvalidArguments, ex.Kind);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseUpdate_LongClientToken_Rejected()
    {
        var ex = Assert.Throws<ShadowException>(() => Parse("""{"state":{"desired":{"a":1}},"clientToken":"TOKEN"}""".Replace("TOKEN", new string('t', 65), StringComparison.Ordinal)));

        Assert.Contains("clientToken has a maximum length of 64", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseUpdate_SixLevels_AcceptedSevenRejected()
    {
        Parse("""{"state":{"desired":{"1":{"2":{"3":{"4":{"5":{"6":true}}}}}}}}""");

        var ex = Assert.Throws<ShadowException>(() => Parse("""{"state":{"reported":{"1":{"2":{"3":{"4":{"5":{"6":{"7":1}}}}}}}}}"""));

        Assert.Equal(ShadowErrorKind.InvalidArguments, ex.Kind);
        Assert.Contains("state.reported: JSON contains too many levels of nesting; maximum is 6", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseUpdate_PayloadLargerThanLimit_PayloadTooLarge()
    {
        var ex = Assert.Throws<ShadowException>(() => Parse(Blob("desired", 200), limit: 100));

        Assert.Equal(ShadowErrorKind.PayloadTooLarge, ex.Kind);
    }

    [Fact]
    public void Delta_DifferentAndMissingKeys_OnlyThoseRemainWithNestedObjectsComparedPerKey()
    {
        var desired = Json("""{"color":"red","size":2,"light":{"on":true,"level":5},"tags":["a","b"]}""").AsObject();
        var reported = Json("""{"color":"red","size":3,"light":{"on":true,"level":4},"tags":["a"],"extra":1}""").AsObject();

        var delta = ShadowRules.Delta(desired, reported);

        Assert.True(JsonNode.DeepEquals(Json("""{"size":2,"light":{"level":5},"tags":["a","b"]}"""), delta));
    }

    [Fact]
    public void Delta_ReportedMatchesDesired_Null()
    {
        var both = Json("""{"a":{"b":[1,2]},"c":"x"}""").AsObject();

        Assert.Null(ShadowRules.Delta(both, (JsonObject)both.DeepClone()));
        Assert.Null(ShadowRules.Delta(null, both));
    }

    [Theory]
    [InlineData("thing-1")]
    [InlineData("My:Thing_2")]
    public void ValidateThingName_Allowed_NoError(string name) => ShadowRules.ValidateThingName(name);

    [Theory]
    [InlineData(null, "thingName is required")]
    [InlineData("", "thingName is required")]
    [InlineData("a/b", "thingName must match [a-zA-Z0-9:_-]+")]
    [InlineData("a b", "thingName must match")]
    public void ValidateThingName_Invalid_NamesTheField(string? name, string expected)
    {
        var ex = Assert.Throws<ShadowException>(() => ShadowRules.ValidateThingName(name));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateShadowName_TooLongOrBadCharacter_Rejected()
    {
        ShadowRules.ValidateShadowName("");
        ShadowRules.ValidateShadowName(new string('s', 64));

        Assert.Contains("shadowName has a maximum length of 64",
            Assert.Throws<ShadowException>(() => ShadowRules.ValidateShadowName(new string('s', 65))).Message, StringComparison.Ordinal);
        Assert.Contains("shadowName must match",
            Assert.Throws<ShadowException>(() => ShadowRules.ValidateShadowName("$shadow")).Message, StringComparison.Ordinal);
        Assert.Contains("thingName has a maximum length of 128",
            Assert.Throws<ShadowException>(() => ShadowRules.ValidateThingName(new string('t', 129))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromStored_RoundTrip_KeepsEverything()
    {
        var document = Apply(new ShadowDocument(), """{"state":{"desired":{"a":1},"reported":{"a":0}}}""");

        var copy = ShadowDocument.FromStored(document.ToStored());

        Assert.True(JsonNode.DeepEquals(document.ToStored(), copy.ToStored()));
        Assert.Throws<FormatException>(() => ShadowDocument.FromStored(Json("""{"version":"x"}""")));
        Assert.Throws<FormatException>(() => ShadowDocument.FromStored(Json("""{"version":1,"state":{"desired":3}}""")));
    }

    [Theory]
    [InlineData(null, 8192)]
    [InlineData("4096", 4096)]
    [InlineData("\"30720\"", 30720)]
    [InlineData("30721", null)]
    [InlineData("0", null)]
    [InlineData("\"big\"", null)]
    [InlineData("{}", null)]
    public void ParseDocumentSizeLimit_Values_DefaultLimitOrInvalid(string? json, int? expected) =>
        Assert.Equal(expected, ShadowRules.ParseDocumentSizeLimit(json is null ? null : JsonNode.Parse(json)));
}
