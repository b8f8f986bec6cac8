using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Greengrass.EdgeCluster.Resources;
using Greengrass.EdgeCluster.Store;

namespace Greengrass.EdgeCluster.Tests.Unit;

/// <summary>Committed objects as bytes plus a summary: what the summary holds, and that selectors read it like the object.</summary>
public sealed class StoredObjectTests
{
    private const string Pod = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"ns","uid":"u-1","labels":{"app":"web","tier":""},
         "finalizers":["keep"],"deletionTimestamp":"2026-01-01T00:00:00Z",
         "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"rs","uid":"owner-1"}]},
         "spec":{"nodeName":"node-1","restartPolicy":"Never","priority":5},"status":{"phase":"Running"}}
        """;

    private static StoredObject Stored(string json)
    {
        var obj = JsonNode.Parse(json)!.AsObject();
        return StoredObject.From(obj, JsonSerializer.SerializeToUtf8Bytes(obj), 7);
    }

    [Fact]
    public void From_Pod_SummarizesMetadataLabelsFieldsAndOwnership()
    {
        var pod = Stored(Pod);

        Assert.Equal(("v1", "p", "ns", "u-1", "7"), (pod.ApiVersion, pod.Name, pod.Namespace, pod.Uid, pod.ResourceVersionText));
        Assert.Equal([KeyValuePair.Create("app", "web"), KeyValuePair.Create("tier", "")], pod.Labels);
        Assert.True(pod.IsDeleting);
        Assert.True(pod.MattersToOwnership);
        Assert.Equal(["keep"], pod.Finalizers);
        Assert.Equal(new OwnerReference("owner-1", "ReplicaSet", "rs"), Assert.Single(pod.OwnerReferences));
        Assert.Equal("node-1", pod.Field("spec.nodeName"));
        Assert.Equal("Running", pod.Field("status.phase"));
    }

    [Fact]
    public void From_PlainObject_HasNoOwnershipAndNoIndexedFields()
    {
        var cm = Stored("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}""");

        Assert.Null(cm.Namespace);
        Assert.False(cm.IsDeleting);
        Assert.False(cm.MattersToOwnership);
        Assert.Empty(cm.Labels);
        Assert.Null(cm.Field("spec.nodeName"));
        Assert.Equal("", cm.IndexedField("status.phase")); // a missing field compares as "", as a selector reads it
        Assert.Equal("", cm.IndexedField("metadata.namespace"));
        Assert.Null(cm.IndexedField("spec.restartPolicy")); // not in the summary: only a parse can tell
    }

    [Fact]
    public void From_NewVersion_TakesUnchangedValuesFromThePreviousOne()
    {
        var first = Stored(Pod);
        var changed = JsonNode.Parse(Pod)!.AsObject();
        changed["status"]!["phase"] = "Succeeded";

        var second = StoredObject.From(changed, JsonSerializer.SerializeToUtf8Bytes(changed), 8, first);

        Assert.Same(first.Name, second.Name);
        Assert.Same(first.Uid, second.Uid);
        Assert.Same(first.Labels, second.Labels);
        Assert.Same(first.OwnerReferences, second.OwnerReferences);
        Assert.Equal("Succeeded", second.Field("status.phase"));
        Assert.Equal("Running", first.Field("status.phase"));
    }

    [Fact]
    public void Field_PathNotIndexed_ThrowsNamingIt()
    {
        var e = Assert.Throws<ArgumentException>(() => Stored(Pod).Field("spec.restartPolicy"));

        Assert.Contains("spec.restartPolicy", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Changed_LeavesTheStoredBytesAlone()
    {
        var pod = Stored(Pod);

        pod.Parse()["metadata"]!["name"] = "changed";

        Assert.Equal("p", (string?)pod.Parse()["metadata"]?["name"]);
    }

    [Theory]
    [InlineData("app=web", null, true)]
    [InlineData("app in (api, web),tier", null, true)]
    [InlineData("tier=x", null, false)]
    [InlineData("!missing,app!=api", null, true)]
    [InlineData(null, "spec.nodeName=node-1,status.phase=Running", true)]
    [InlineData(null, "metadata.name=p,metadata.namespace=ns", true)]
    [InlineData(null, "spec.restartPolicy=Never", true)] // outside the summary: read from a parse
    [InlineData(null, "spec.priority=5", true)] // a number compares as its JSON text
    [InlineData(null, "spec.restartPolicy!=Never", false)]
    [InlineData(null, "spec.schedulerName=", true)] // a missing field is ""
    [InlineData(null, "status.phase!=Running", false)]
    public void Selectors_OnStoredObject_MatchAsOnTheObject(string? labels, string? fields, bool expected)
    {
        var pod = Stored(Pod);

        Assert.Equal(expected, Selector.ParseLabels(labels).Matches(pod) && Selector.ParseFields(fields).Matches(pod));
    }

    [Fact]
    public void Create_Committed_StoreKeepsNoReferenceToTheWrittenTree()
    {
        var store = new ResourceStore(new ResourceRegistry(), TimeProvider.System, new StoreOptions());
        store.Create(store.Registry.Find("", "v1", "namespaces")!, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default" } }, new WriteContext());

        var (tree, stored) = CreateConfigMap(store);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.False(tree.IsAlive);
        Assert.Equal("v", (string?)stored.Parse()["data"]?["k"]);
        Assert.Equal("c", store.Get(store.Registry.Find("", "v1", "configmaps")!, "default", "c")?.Name);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Tree, StoredObject Stored) CreateConfigMap(ResourceStore store)
    {
        var obj = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "c" }, ["data"] = new JsonObject { ["k"] = "v" } };
        var stored = store.Create(store.Registry.Find("", "v1", "configmaps")!, "default", obj, new WriteContext());
        return (new WeakReference(obj["data"]), stored);
    }
}
