using Greengrass.EdgeCluster.Hosting;
using k8s;

namespace Greengrass.EdgeCluster.Tests.Nodes;

/// <summary>A cluster with three process-kubelet nodes: plain, labelled zone=b, and tainted dedicated=edge:NoSchedule.</summary>
public sealed class NodeClusterFixture : IAsyncLifetime
{
    public EdgeClusterHandle Cluster { get; private set; } = null!;

    public Kubernetes Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await global::Greengrass.EdgeCluster.Hosting.EdgeCluster.StartAsync(new EdgeClusterOptions
        {
            Http = true,
            Kubelet = KubeletMode.Process,
            ImageMap = { ["shell"] = ["/bin/sh", "-c"] },
            RestartBackoff = TimeSpan.FromMilliseconds(200),
            RestartBackoffMax = TimeSpan.FromSeconds(1),
            Nodes =
            [
                new NodeSpec { Name = "node-a" },
                new NodeSpec { Name = "node-b", Labels = { ["zone"] = "b" } },
                new NodeSpec { Name = "node-c", Taints = { "dedicated=edge:NoSchedule" } },
            ],
        });
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Cluster.KubeconfigPath));
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Cluster.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class NodeClusterCollection : ICollectionFixture<NodeClusterFixture>
{
    public const string Name = "node cluster";
}
