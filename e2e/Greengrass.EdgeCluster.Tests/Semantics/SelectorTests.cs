using System.Net;
using Greengrass.EdgeCluster.Tests.Support;
using k8s;
using static Greengrass.EdgeCluster.Tests.Support.TestObjects;

namespace Greengrass.EdgeCluster.Tests.Semantics;

/// <summary>Label and field selectors on list, and pagination with limit/continue.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SelectorTests(ClusterTargets targets)
{
    [Theory]
    [InlineData("tier=web", "a")]
    [InlineData("tier==web", "a")]
    [InlineData("tier!=web", "b,c")]
    [InlineData("tier in (web,db)", "a,b")]
    [InlineData("tier notin (web)", "b,c")]
    [InlineData("tier", "a,b")]
    [InlineData("!tier", "c")]
    [InlineData("tier=web,env=prod", "a")]
    [InlineData("env in (prod),tier notin (db)", "a")]
    public async Task List_LabelSelector_MatchesKubernetesSemantics(string selector, string expected)
    {
        using var k = targets.ClientFor(ClusterTargets.Emulator);
        var ns = await SeedAsync(k);

        var list = await k.CoreV1.ListNamespacedConfigMapAsync(ns, labelSelector: selector);

        Assert.Equal(expected.Split(','), list.Items.Select(i => i.Metadata.Name).Order());
    }

    [Theory, EmulatorTarget, RealClusterTarget]
    public async Task List_SetBasedSelector_SameOnEveryTarget(string target)
    {
        using var k = targets.ClientFor(target);
        var ns = await SeedAsync(k);

        var list = await k.CoreV1.ListNamespacedConfigMapAsync(ns, labelSelector: "tier in (web,db),env!=test");

        Assert.Equal(["a", "b"], list.Items.Select(i => i.Metadata.Name).Order());
    }

    [Theory, EmulatorTarget, RealClusterTarget]
    public async Task List_FieldSelectorOnName_ReturnsOnlyThatObject(string target)
    {
        using var k = targets.ClientFor(target);
        var ns = await SeedAsync(k);

        var byName = await k.CoreV1.ListNamespacedConfigMapAsync(ns, fieldSelector: "metadata.name=b");
        var notName = await k.CoreV1.ListNamespacedConfigMapAsync(ns, fieldSelector: "metadata.name!=b");
        var byNamespace = await k.CoreV1.ListConfigMapForAllNamespacesAsync(fieldSelector: $"metadata.namespace={ns}");

        Assert.Equal(["b"], byName.Items.Select(i => i.Metadata.Name));
        Assert.Equal(["a", "c"], notName.Items.Select(i => i.Metadata.Name).Order());
        Assert.Equal(3, byNamespace.Items.Count(i => i.Metadata.Name is "a" or "b" or "c"));
    }

    [Theory, EmulatorTarget, RealClusterTarget]
    public async Task List_BadLabelSelector_BadRequest400(string target)
    {
        using var k = targets.ClientFor(target);
        var ns = await NamespaceAsync(k);

        var e = await FailsAsync(() => k.CoreV1.ListNamespacedConfigMapAsync(ns, labelSelector: "tier in web"));

        Assert.Equal(HttpStatusCode.BadRequest, e.Response.StatusCode);
        Assert.Equal("BadRequest", (string?)StatusOf(e)["reason"]);
    }

    [Theory, EmulatorTarget, RealClusterTarget]
    public async Task List_LimitAndContinue_PagesThroughEveryItemOnce(string target)
    {
        using var k = targets.ClientFor(target);
        var ns = await SeedAsync(k);

        var first = await k.CoreV1.ListNamespacedConfigMapAsync(ns, limit: 2, labelSelector: "seed=yes");
        var second = await k.CoreV1.ListNamespacedConfigMapAsync(ns, limit: 2, continueParameter: first.Metadata.ContinueProperty, labelSelector: "seed=yes");

        Assert.Equal(2, first.Items.Count);
        Assert.NotNull(first.Metadata.ContinueProperty);
        Assert.Single(second.Items);
        Assert.True(string.IsNullOrEmpty(second.Metadata.ContinueProperty));
        Assert.Equal(["a", "b", "c"], first.Items.Concat(second.Items).Select(i => i.Metadata.Name).Order());
    }

    private static async Task<string> SeedAsync(Kubernetes k)
    {
        var ns = await NamespaceAsync(k);
        await k.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a", new() { ["tier"] = "web", ["env"] = "prod", ["seed"] = "yes" }), ns);
        await k.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("b", new() { ["tier"] = "db", ["seed"] = "yes" }), ns);
        await k.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("c", new() { ["env"] = "test", ["seed"] = "yes" }), ns);
        return ns;
    }
}
