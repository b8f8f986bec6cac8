using System.Text.Json.Nodes;
using Greengrass.EdgeCluster.Diagnostics;
using Greengrass.EdgeCluster.Resources;
using Greengrass.EdgeCluster.Store;

namespace Greengrass.EdgeCluster.Tests.Unit;

/// <summary>The store's cheaper write tail: released versions, mirrors that follow the log, lock metrics.</summary>
public sealed class StoreTailTests
{
    private static (ResourceStore Store, ResourceType ConfigMaps) NewStore(int watchWindow = 10_000)
    {
        var store = new ResourceStore(new ResourceRegistry(), TimeProvider.System, new StoreOptions { WatchWindow = watchWindow });
        store.Create(store.Registry.Find("", "v1", "namespaces")!, null, Obj("default"), new WriteContext());
        return (store, store.Registry.Find("", "v1", "configmaps")!);
    }

    private static JsonObject Obj(string name, string? value = null) =>
        new() { ["metadata"] = new JsonObject { ["name"] = name }, ["data"] = value is null ? null : new JsonObject { ["k"] = value } };

    [Fact]
    public void StoredObject_ReplacedByNewerVersion_StillReadsItsOwnContent()
    {
        var (store, cms) = NewStore();
        var first = store.Create(cms, "default", Obj("c", "v1"), new WriteContext());

        var second = store.Update(cms, "default", "c", Obj("c", "v2"), false, new WriteContext());

        Assert.Equal("v1", (string?)first.Parse()["data"]?["k"]);
        Assert.Equal(first.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), Meta.ResourceVersion(first.Parse()));
        Assert.Equal("v2", (string?)second.Parse()["data"]?["k"]);
    }

    [Fact]
    public void StatusWrite_OnlyStatusChanged_KeepsEverythingElseAndBumpsVersion()
    {
        var (store, _) = NewStore();
        var pods = store.Registry.Find("", "v1", "pods")!;
        var pod = JsonNode.Parse("""{"metadata":{"name":"p","labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"i"}]}}""")!.AsObject();
        var created = store.Create(pods, "default", pod, new WriteContext());

        var updated = store.Mutate(pods, "default", "p", p =>
        {
            p["status"] = new JsonObject { ["phase"] = "Running" };
            p["metadata"]!["labels"]!["a"] = "ignored on a status write";
            return p;
        }, true, new WriteContext());

        Assert.Equal("Running", (string?)updated.Parse()["status"]?["phase"]);
        Assert.Equal("b", (string?)updated.Parse()["metadata"]?["labels"]?["a"]);
        Assert.True(updated.ResourceVersion > created.ResourceVersion);
        Assert.Equal(Meta.Long(created.Parse()["metadata"]?["generation"]), Meta.Long(updated.Parse()["metadata"]?["generation"]));
    }

    [Fact]
    public void Mutate_AnotherWriteWinsMeanwhile_StartsOverFromTheNewVersion()
    {
        var (store, cms) = NewStore();
        store.Create(cms, "default", Obj("c", "v1"), new WriteContext());
        var calls = 0;

        var result = store.Mutate(cms, "default", "c", o =>
        {
            if (++calls == 1)
            {
                store.Update(cms, "default", "c", Obj("c", "theirs"), false, new WriteContext()); // lands between this parse and its commit
            }
            o["data"]!["mine"] = "x";
            return o;
        }, false, new WriteContext());

        Assert.Equal(2, calls);
        Assert.Equal("theirs", (string?)result.Parse()["data"]?["k"]);
        Assert.Equal("x", (string?)result.Parse()["data"]?["mine"]);
    }

    [Fact]
    public void Mutate_RaceLostEveryTime_FinishesUnderTheLock()
    {
        var (store, cms) = NewStore();
        store.Create(cms, "default", Obj("c", "0"), new WriteContext());
        var calls = 0;

        var result = store.Mutate(cms, "default", "c", o =>
        {
            if (++calls <= 3)
            {
                store.Update(cms, "default", "c", Obj("c", calls.ToString(System.Globalization.CultureInfo.InvariantCulture)), false, new WriteContext());
            }
            o["data"]!["mine"] = "x";
            return o;
        }, false, new WriteContext());

        Assert.Equal(4, calls);
        Assert.Equal("3", (string?)result.Parse()["data"]?["k"]);
        Assert.Equal(result.ResourceVersion, store.Get(cms, "default", "c")!.ResourceVersion);
    }

    [Fact]
    public void Update_VersionGivenAndAnotherWriteWinsMeanwhile_Conflict()
    {
        var (store, cms) = NewStore();
        var created = store.Create(cms, "default", Obj("c", "v1"), new WriteContext());
        var calls = 0;

        var e = Assert.Throws<ApiException>(() => store.Mutate(cms, "default", "c", o =>
        {
            if (++calls == 1)
            {
                store.Update(cms, "default", "c", Obj("c", "theirs"), false, new WriteContext());
            }
            var mine = Obj("c", "mine");
            mine["metadata"]!["resourceVersion"] = created.ResourceVersionText; // written against the version read first
            return mine;
        }, false, new WriteContext()));

        Assert.Equal(409, e.Code);
        Assert.Equal("theirs", (string?)store.Get(cms, "default", "c")!.Parse()["data"]?["k"]);
    }

    [Fact]
    public void BucketMirror_FollowsChanges_AddsUpdatesAndRemoves()
    {
        var (store, cms) = NewStore();
        var mirror = new BucketMirror(store, cms.StorageKey);
        Assert.Empty(mirror.Refresh());
        store.Create(cms, "default", Obj("a", "1"), new WriteContext());
        store.Create(cms, "default", Obj("b", "1"), new WriteContext());
        store.Update(cms, "default", "a", Obj("a", "2"), false, new WriteContext());

        var changed = mirror.Refresh();
        store.Delete(cms, "default", "b", new DeleteOptions());
        var afterDelete = mirror.Refresh();

        Assert.Equal(["default/a", "default/b"], changed.Order(StringComparer.Ordinal));
        Assert.Equal(["default/b"], afterDelete);
        Assert.Equal("2", (string?)mirror.Items["default/a"].Parse()["data"]?["k"]);
        Assert.False(mirror.Items.ContainsKey("default/b"));
    }

    [Fact]
    public void BucketMirror_LogCompactedPastIt_RelistsAndMatchesTheStore()
    {
        var (store, cms) = NewStore(watchWindow: 2);
        var mirror = new BucketMirror(store, cms.StorageKey);
        store.Create(cms, "default", Obj("gone", "1"), new WriteContext());
        mirror.Refresh();
        store.Delete(cms, "default", "gone", new DeleteOptions());
        for (var i = 0; i < 5; i++)
        {
            store.Create(cms, "default", Obj($"c{i}", "1"), new WriteContext());
        }

        var changed = mirror.Refresh();

        Assert.Null(store.ChangesSince(cms.StorageKey, 1));
        Assert.Contains("default/gone", changed);
        Assert.Equal(store.Snapshot(cms.StorageKey).Select(o => o.Name).Order(), mirror.Items.Values.Select(o => o.Name).Order());
    }

    [Fact]
    public void MetricsText_AfterCreates_CountsThemUnderTheStoreLock()
    {
        var (store, cms) = NewStore();
        var pauses = GcPauses.Shared;
        store.Create(cms, "default", Obj("a"), new WriteContext());
        store.Create(cms, "default", Obj("b"), new WriteContext());

        var text = new MetricsText(store, pauses).Render();

        // The namespace counts too: three creates in all.
        Assert.Contains("edgecluster_store_lock_hold_seconds_count{op=\"create\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("edgecluster_store_lock_wait_seconds_bucket{op=\"create\",le=\"+Inf\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_collections_total{generation=\"0\"}", text, StringComparison.Ordinal);
    }
}
