using Greengrass.EdgeCluster.Hosting;
using Greengrass.EdgeCluster.Tests.Support;
using k8s;
using k8s.Models;
using static Greengrass.EdgeCluster.Tests.Support.TestObjects;

namespace Greengrass.EdgeCluster.Tests.Nodes;

/// <summary>Node registration and the scheduler: selectors, required affinity, taints and tolerations.</summary>
[Collection(NodeClusterCollection.Name)]
public sealed class SchedulingTests(NodeClusterFixture fixture)
{
    private Kubernetes K => fixture.Client;

    private static V1Pod Pod(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "shell", Args = ["sleep 600"] }] },
    };

    [Fact]
    public async Task Nodes_Registered_ReadyWithLabelsTaintsAndLease()
    {
        var nodes = await K.CoreV1.ListNodeAsync();

        Assert.Equal(["node-a", "node-b", "node-c"], nodes.Items.Select(n => n.Metadata.Name).Order());
        Assert.All(nodes.Items, n => Assert.Contains(n.Status.Conditions, c => c.Type == "Ready" && c.Status == "True"));
        Assert.Equal("b", nodes.Items.Single(n => n.Metadata.Name == "node-b").Metadata.Labels["zone"]);
        var taint = Assert.Single(nodes.Items.Single(n => n.Metadata.Name == "node-c").Spec.Taints);
        Assert.Equal(("dedicated", "edge", "NoSchedule"), (taint.Key, taint.Value, taint.Effect));
        var lease = await K.CoordinationV1.ReadNamespacedLeaseAsync("node-a", "kube-node-lease");
        Assert.Equal("node-a", lease.Spec.HolderIdentity);
    }

    [Fact]
    public async Task NodeSelector_PlacesOnMatchingNode()
    {
        var ns = await NamespaceAsync(K);
        var pod = Pod("zoned");
        pod.Spec.NodeSelector = new Dictionary<string, string> { ["zone"] = "b" };

        await K.CoreV1.CreateNamespacedPodAsync(pod, ns);

        Assert.Equal("node-b", await NodeOfAsync(ns, "zoned"));
    }

    [Fact]
    public async Task RequiredAffinity_PlacesOnMatchingNode()
    {
        var ns = await NamespaceAsync(K);
        var pod = Pod("affine");
        pod.Spec.Affinity = new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                {
                    NodeSelectorTerms =
                    [
                        new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "kubernetes.io/hostname", OperatorProperty = "In", Values = ["node-a"] }] },
                    ],
                },
            },
        };

        await K.CoreV1.CreateNamespacedPodAsync(pod, ns);

        Assert.Equal("node-a", await NodeOfAsync(ns, "affine"));
    }

    [Fact]
    public async Task Taint_WithToleration_SchedulesThere_WithoutIt_Unschedulable()
    {
        var ns = await NamespaceAsync(K);
        var tolerant = Pod("tolerant");
        tolerant.Spec.NodeSelector = new Dictionary<string, string> { ["kubernetes.io/hostname"] = "node-c" };
        tolerant.Spec.Tolerations = [new V1Toleration { Key = "dedicated", OperatorProperty = "Equal", Value = "edge", Effect = "NoSchedule" }];
        var intolerant = Pod("intolerant");
        intolerant.Spec.NodeSelector = new Dictionary<string, string> { ["kubernetes.io/hostname"] = "node-c" };

        await K.CoreV1.CreateNamespacedPodAsync(tolerant, ns);
        await K.CoreV1.CreateNamespacedPodAsync(intolerant, ns);

        Assert.Equal("node-c", await NodeOfAsync(ns, "tolerant"));
        var pending = await Eventually.Value(async () =>
        {
            var p = await K.CoreV1.ReadNamespacedPodAsync("intolerant", ns);
            return p.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled" && c.Status == "False") is not null ? p : null;
        }, "the intolerant pod to be reported unschedulable");
        Assert.Null(pending.Spec.NodeName);
        Assert.Equal("Unschedulable", pending.Status.Conditions.Single(c => c.Type == "PodScheduled").Reason);
    }

    [Fact]
    public async Task SimulatedKubelet_PodsRunWithoutProcesses()
    {
        await using var cluster = await global::Greengrass.EdgeCluster.Hosting.EdgeCluster.StartAsync(
            new EdgeClusterOptions { Http = true, Kubelet = KubeletMode.Simulated }.WithNodes(2));
        using var k = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.KubeconfigPath));
        for (var i = 0; i < 4; i++)
        {
            var pod = Pod($"sim-{i}");
            pod.Spec.Containers[0].Image = "not-mapped-anywhere";
            await k.CoreV1.CreateNamespacedPodAsync(pod, "default");
        }

        var pods = await Eventually.Value(async () =>
        {
            var list = await k.CoreV1.ListNamespacedPodAsync("default", fieldSelector: "status.phase=Running");
            return list.Items.Count == 4 ? list : null;
        }, "four running pods");

        Assert.Equal(2, pods.Items.Select(p => p.Spec.NodeName).Distinct().Count()); // spread over both nodes
        Assert.All(pods.Items, p => Assert.True(p.Status.ContainerStatuses.Single().Ready));
        await k.CoreV1.DeleteNamespacedPodAsync("sim-0", "default");
        await Eventually.True(async () => (await k.CoreV1.ListNamespacedPodAsync("default")).Items.Count == 3, "the deleted pod to go");
        Assert.Empty(cluster.LoggedErrors);
    }

    [Fact]
    public async Task CordonedNode_LeftOutUntilUncordoned_ThenPendingPodBindsThere()
    {
        await using var cluster = await global::Greengrass.EdgeCluster.Hosting.EdgeCluster.StartAsync(
            new EdgeClusterOptions { Http = true, Kubelet = KubeletMode.Simulated }.WithNodes(2));
        using var k = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.KubeconfigPath));
        await k.CoreV1.PatchNodeAsync(new V1Patch("""{"spec":{"unschedulable":true}}""", V1Patch.PatchType.MergePatch), "edge-node-1");
        var pinned = Pod("pinned");
        pinned.Spec.NodeSelector = new Dictionary<string, string> { ["kubernetes.io/hostname"] = "edge-node-1" };

        await k.CoreV1.CreateNamespacedPodAsync(pinned, "default");
        await Eventually.True(async () => (await k.CoreV1.ReadNamespacedPodAsync("pinned", "default")).Status?.Conditions?
            .Any(c => c.Type == "PodScheduled" && c.Status == "False" && c.Reason == "Unschedulable") == true, "the pinned pod to be unschedulable while its node is cordoned");
        await k.CoreV1.PatchNodeAsync(new V1Patch("""{"spec":{"unschedulable":false}}""", V1Patch.PatchType.MergePatch), "edge-node-1");

        var bound = await Eventually.Value(async () => (await k.CoreV1.ReadNamespacedPodAsync("pinned", "default")).Spec.NodeName, "the pinned pod to bind once its node is uncordoned");
        Assert.Equal("edge-node-1", bound);
        Assert.Empty(cluster.LoggedErrors);
    }

    private async Task<string> NodeOfAsync(string ns, string name) =>
        await Eventually.Value(async () => (await K.CoreV1.ReadNamespacedPodAsync(name, ns)).Spec.NodeName, $"{name} to be scheduled");
}
