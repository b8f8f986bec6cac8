using Greengrass.EdgeCluster.Hosting;
using Greengrass.EdgeCluster.Tests.Support;
using k8s;
using k8s.Autorest;
using k8s.Models;
using static Greengrass.EdgeCluster.Tests.Support.TestObjects;

namespace Greengrass.EdgeCluster.Tests.Semantics;

/// <summary>Watch semantics: resume from a resourceVersion, 410 Gone, bookmarks, selector transitions.</summary>
[Collection(ClusterCollection.Name)]
public sealed class WatchTests(ClusterTargets targets)
{
    [Theory, EmulatorTarget, RealClusterTarget]
    public async Task Watch_FromResourceVersion_ReplaysLaterEventsInOrder(string target)
    {
        using var k = targets.ClientFor(target);
        var ns = await NamespaceAsync(k);
        var c1 = await k.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("c1"), ns);
        c1.Data["k"] = "v2";
        await k.CoreV1.ReplaceNamespacedConfigMapAsync(c1, "c1", ns);
        await k.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("c2"), ns);
        await k.CoreV1.DeleteNamespacedConfigMapAsync("c1", ns);

        var events = await CollectAsync(k, ns, c1.Metadata.ResourceVersion, count: 3);

        Assert.Equal(
            ["Modified c1", "Added c2", "Deleted c1"],
            events.Select(e => $"{e.Type} {e.Object.Metadata.Name}"));
        var versions = events.Select(e => long.Parse(e.Object.Metadata.ResourceVersion)).ToList();
        Assert.Equal(versions.Order(), versions);
    }

    [Theory, EmulatorTarget, RealClusterTarget]
    public async Task Watch_ObjectLeavesSelector_DeliveredAsDeleted(string target)
    {
        using var k = targets.ClientFor(target);
        var ns = await NamespaceAsync(k);
        var c1 = await k.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("c1", new() { ["watched"] = "yes" }), ns);
        var patch = new V1Patch("""{"metadata":{"labels":{"watched":"no"}}}""", V1Patch.PatchType.MergePatch);
        await k.CoreV1.PatchNamespacedConfigMapAsync(patch, "c1", ns);

        var events = await CollectAsync(k, ns, c1.Metadata.ResourceVersion, count: 1, labelSelector: "watched=yes");

        Assert.Equal(WatchEventType.Deleted, events[0].Type);
    }

    [Theory, EmulatorTarget, RealClusterTarget]
    public async Task Watch_AllowBookmarks_ReceivesBookmarkWithCurrentVersion(string target)
    {
        using var k = targets.ClientFor(target);
        var ns = await NamespaceAsync(k);
        var c1 = await k.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("c1"), ns);

        // A real API server sends a bookmark about once a minute; the emulator under test every second.
        var events = await CollectAsync(k, ns, c1.Metadata.ResourceVersion, count: 1, bookmarks: true, timeout: TimeSpan.FromSeconds(120));

        Assert.Equal(WatchEventType.Bookmark, events[0].Type);
        Assert.True(long.Parse(events[0].Object.Metadata.ResourceVersion) >= long.Parse(c1.Metadata.ResourceVersion));
    }

    [Theory, EmulatorTarget]
    public async Task Watch_SendInitialEvents_EndsInitialListWithMarkedBookmark(string target)
    {
        using var k = targets.ClientFor(target);
        var ns = await NamespaceAsync(k);
        await k.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("c1"), ns);
        await k.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("c2"), ns);

        var events = await CollectAsync(k, ns, null, count: 3, bookmarks: true, sendInitialEvents: true);

        Assert.Equal(["Added c1", "Added c2"], events.Take(2).Select(e => $"{e.Type} {e.Object.Metadata.Name}"));
        Assert.Equal(WatchEventType.Bookmark, events[2].Type);
        Assert.Equal("true", events[2].Object.Metadata.Annotations["k8s.io/initial-events-end"]);
    }

    [Fact]
    public async Task Watch_VersionOlderThanWindow_Gone410()
    {
        await using var cluster = await global::Greengrass.EdgeCluster.Hosting.EdgeCluster.StartAsync(new EdgeClusterOptions { WatchWindow = 5, Http = true, Kubelet = KubeletMode.None });
        using var k = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.KubeconfigPath));
        var first = await k.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("c0"), "default");
        for (var i = 1; i <= 10; i++)
        {
            await k.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap($"c{i}"), "default");
        }

        var errors = new List<Exception>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var watch = k.CoreV1.WatchListNamespacedConfigMapAsync("default", resourceVersion: first.Metadata.ResourceVersion, onError: errors.Add, cancellationToken: cts.Token);
        await foreach (var _ in watch)
        {
            Assert.Fail("no event may be delivered from a compacted version");
        }

        var gone = Assert.IsType<KubernetesException>(Assert.Single(errors));
        Assert.Equal(410, gone.Status.Code);
        Assert.Equal("Expired", gone.Status.Reason);
        Assert.Contains("too old resource version", gone.Status.Message);

        // A list at an exact old version is refused the same way; the current state is always listable.
        var e = await FailsAsync(() => k.CoreV1.ListNamespacedConfigMapAsync("default", resourceVersion: first.Metadata.ResourceVersion, resourceVersionMatch: "Exact"));
        Assert.Equal(410, (int)e.Response.StatusCode);
        Assert.Equal(11, (await k.CoreV1.ListNamespacedConfigMapAsync("default")).Items.Count);
        Assert.Empty(cluster.LoggedErrors);
    }

    private static async Task<List<(WatchEventType Type, V1ConfigMap Object)>> CollectAsync(Kubernetes k, string ns, string? resourceVersion, int count,
        string? labelSelector = null, bool bookmarks = false, bool? sendInitialEvents = null, TimeSpan? timeout = null)
    {
        var events = new List<(WatchEventType, V1ConfigMap)>();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        var watch = k.CoreV1.WatchListNamespacedConfigMapAsync(ns, resourceVersion: resourceVersion,
            labelSelector: labelSelector, allowWatchBookmarks: bookmarks, sendInitialEvents: sendInitialEvents,
            resourceVersionMatch: sendInitialEvents == true ? "NotOlderThan" : null, onError: e => throw e, cancellationToken: cts.Token);
        try
        {
            await foreach (var (type, item) in watch)
            {
                events.Add((type, item));
                if (events.Count == count)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException)
        {
            throw new TimeoutException($"watch ended after {events.Count} of {count} events", e);
        }
        return events;
    }
}
