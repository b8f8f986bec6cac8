using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Greengrass.EdgeCluster.Store;

namespace Greengrass.EdgeCluster.Tests.Unit;

/// <summary>
/// Drafts serialize outside the store lock and get their resourceVersion at commit: the committed bytes must be exactly
/// what serializing the object with that version set would give.
/// </summary>
public sealed class ObjectDraftTests
{
    private const string Pod = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"ns","resourceVersion":"12","uid":"u-1",
         "labels":{"app":"web <&>","ünï":"\u0001"},"annotations":{"resourceVersion":"not this one"}},
         "spec":{"nodeName":"node-1","containers":[{"name":"c","image":"app","args":["a\"b",null,1.5e3,true]}]},
         "status":{"phase":"Running","metadata":{"resourceVersion":"nor this"}}}
        """;

    /// <summary>What the store wrote before drafts: the object with the version set, serialized whole.</summary>
    private static string Expected(string json, long resourceVersion)
    {
        var obj = JsonNode.Parse(json)!.AsObject();
        Meta.Of(obj)["resourceVersion"] = resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(obj));
    }

    private static string Committed(string json, long expected, long actual) =>
        Encoding.UTF8.GetString(ObjectDraft.Of(JsonNode.Parse(json)!.AsObject(), null, expected).Commit(actual).Bytes.Span);

    [Theory]
    [InlineData(7, 7)]
    [InlineData(9, 10)] // the counter crossed a power of ten after the draft was made
    [InlineData(99_999, 100_000)]
    [InlineData(123_456_789_012, 123_456_789_012)]
    [InlineData(100, 99)] // fewer digits than expected
    public void Commit_AnyVersion_BytesEqualTheObjectSerializedWithIt(long expected, long actual)
    {
        Assert.Equal(Expected(Pod, actual), Committed(Pod, expected, actual));
    }

    [Fact]
    public void Commit_ObjectWithoutVersion_AddsItAtTheEndOfMetadataAsSettingItWould()
    {
        const string json = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","labels":{"a":"b"}},"data":{"k":"v"}}""";

        var committed = Committed(json, 41, 42);

        Assert.Equal(Expected(json, 42), committed);
        Assert.Contains("\"labels\":{\"a\":\"b\"},\"resourceVersion\":\"42\"},\"data\"", committed, StringComparison.Ordinal);
    }

    [Fact]
    public void Commit_ObjectWithoutMetadata_GetsMetadataWithTheVersion()
    {
        const string json = """{"apiVersion":"v1","kind":"ConfigMap"}""";

        Assert.Equal(Expected(json, 3), Committed(json, 3, 3));
    }

    [Fact]
    public void Commit_StoredObject_CarriesVersionAndSummary()
    {
        var stored = ObjectDraft.Of(JsonNode.Parse(Pod)!.AsObject(), null, 5).Commit(5);

        Assert.Equal((5L, "p", "ns", "node-1"), (stored.ResourceVersion, stored.Name, stored.Namespace, stored.Field("spec.nodeName")));
        Assert.Equal("5", Meta.ResourceVersion(stored.Parse()));
    }

    [Fact]
    public void Of_UnchangedSummary_SharesThePreviousVersionsSummary()
    {
        var first = ObjectDraft.Of(JsonNode.Parse(Pod)!.AsObject(), null, 5).Commit(5);
        var changed = JsonNode.Parse(Pod)!.AsObject();
        changed["spec"]!["containers"]![0]!["image"] = "app:2";
        var relabelled = JsonNode.Parse(Pod)!.AsObject();
        relabelled["metadata"]!["labels"]!["app"] = "db";

        var second = ObjectDraft.Of(changed, first, 6).Commit(6);
        var third = ObjectDraft.Of(relabelled, second, 7).Commit(7);

        Assert.Same(first.Summary, second.Summary);
        Assert.NotSame(second.Summary, third.Summary);
        Assert.Same(second.Name, third.Name);
        Assert.Equal("db", third.Labels[0].Value);
    }

    [Fact]
    public void Commit_Twice_Throws()
    {
        var draft = ObjectDraft.Of(JsonNode.Parse(Pod)!.AsObject(), null, 5);
        draft.Commit(5);

        Assert.Throws<InvalidOperationException>(() => draft.Commit(6));
    }

    [Fact]
    public void Of_NextVersionOfAPod_SharesItsSummaryNodeNameAndKnownPhase()
    {
        var pending = JsonNode.Parse("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"ns"},"spec":{"nodeName":"node-1"},"status":{"phase":"Pending"}}""")!.AsObject();
        var first = ObjectDraft.Of(pending, null, 5).Commit(5);
        var running = pending.DeepClone().AsObject();
        running["status"]!["phase"] = "Running";

        var second = ObjectDraft.Of(running, first, 6).Commit(6);

        Assert.Same(first.Summary, second.Summary);
        Assert.Same(first.Field("spec.nodeName"), second.Field("spec.nodeName"));
        Assert.Equal(("ns/p", "Running"), (second.Summary.Key, second.Field("status.phase")));
        Assert.Same(string.IsInterned("Running"), second.Field("status.phase")); // one instance for every pod's phase
    }
}
