using System.Net;
using Greengrass.EdgeCluster.Tests.Support;
using k8s;
using k8s.Autorest;
using k8s.Models;
using static Greengrass.EdgeCluster.Tests.Support.TestObjects;

namespace Greengrass.EdgeCluster.Tests.Semantics;

/// <summary>Owner-reference garbage collection with each propagation policy, and namespace deletion.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GarbageCollectionTests(ClusterTargets targets)
{
    [Theory, EmulatorTarget, RealClusterTarget]
    public async Task DeleteOwner_Background_DependentCollected(string target)
    {
        using var k = targets.ClientFor(target);
        var ns = await NamespaceAsync(k);
        var owner = await k.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("owner"), ns);
        await k.CoreV1.CreateNamespacedConfigMapAsync(Dependent("dep", owner), ns);

        await k.CoreV1.DeleteNamespacedConfigMapAsync("owner", ns, propagationPolicy: "Background");

        await Eventually.True(() => GoneAsync(k, "dep", ns), "the dependent to be garbage collected");
    }

    [Theory, EmulatorTarget, RealClusterTarget]
    public async Task DeleteOwner_Foreground_OwnerWaitsForDependents(string target)
    {
        using var k = targets.ClientFor(target);
        var ns = await NamespaceAsync(k);
        var owner = await k.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("owner"), ns);
        var dep = Dependent("dep", owner);
        dep.Metadata.Finalizers = ["example.com/hold"];
        await k.CoreV1.CreateNamespacedConfigMapAsync(dep, ns);

        await k.CoreV1.DeleteNamespacedConfigMapAsync("owner", ns, propagationPolicy: "Foreground");

        var held = await Eventually.Value(async () =>
        {
            var o = await k.CoreV1.ReadNamespacedConfigMapAsync("owner", ns);
            var d = await k.CoreV1.ReadNamespacedConfigMapAsync("dep", ns);
            return d.Metadata.DeletionTimestamp is not null ? o : null;
        }, "the dependent to be marked for deletion");
        Assert.Contains("foregroundDeletion", held.Metadata.Finalizers);
        Assert.NotNull(held.Metadata.DeletionTimestamp);

        await k.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), "dep", ns);
        await Eventually.True(() => GoneAsync(k, "owner", ns), "the owner to go once its dependent is gone");
    }

    [Theory, EmulatorTarget, RealClusterTarget]
    public async Task DeleteOwner_Orphan_DependentKeptWithoutOwnerReference(string target)
    {
        using var k = targets.ClientFor(target);
        var ns = await NamespaceAsync(k);
        var owner = await k.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("owner"), ns);
        await k.CoreV1.CreateNamespacedConfigMapAsync(Dependent("dep", owner), ns);

        await k.CoreV1.DeleteNamespacedConfigMapAsync("owner", ns, propagationPolicy: "Orphan");

        await Eventually.True(() => GoneAsync(k, "owner", ns), "the owner to be deleted");
        var orphan = await k.CoreV1.ReadNamespacedConfigMapAsync("dep", ns);
        Assert.True(orphan.Metadata.OwnerReferences is null || orphan.Metadata.OwnerReferences.Count == 0);
    }

    [Theory, EmulatorTarget, RealClusterTarget]
    public async Task DeleteNamespace_RemovesContentsThenNamespace(string target)
    {
        using var k = targets.ClientFor(target);
        var ns = await NamespaceAsync(k);
        await k.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("c1"), ns);

        await k.CoreV1.DeleteNamespaceAsync(ns);

        await Eventually.True(async () =>
        {
            try
            {
                await k.CoreV1.ReadNamespaceAsync(ns);
                return false;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                return true;
            }
        }, "the namespace to be gone", TimeSpan.FromSeconds(90));
        Assert.Empty((await k.CoreV1.ListNamespacedConfigMapAsync(ns)).Items);
    }

    private static V1ConfigMap Dependent(string name, V1ConfigMap owner)
    {
        var cm = ConfigMap(name);
        cm.Metadata.OwnerReferences =
        [
            new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = owner.Metadata.Name, Uid = owner.Metadata.Uid },
        ];
        return cm;
    }

    private static async Task<bool> GoneAsync(Kubernetes k, string name, string ns)
    {
        try
        {
            await k.CoreV1.ReadNamespacedConfigMapAsync(name, ns);
            return false;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return true;
        }
    }
}
