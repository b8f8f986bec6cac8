using System.Reflection;
using Greengrass.EdgeCluster.Hosting;
using k8s;
using Xunit.Sdk;

namespace Greengrass.EdgeCluster.Tests.Support;

/// <summary>
/// The clusters the semantics suite runs against: always the embedded emulator, and a real
/// cluster when <c>EDGECLUSTER_TEST_KUBECONFIG</c> names its kubeconfig.
/// </summary>
public sealed class ClusterTargets : IAsyncLifetime
{
    public const string Emulator = "emulator";
    public const string Real = "real";
    public const string RealKubeconfigVariable = "EDGECLUSTER_TEST_KUBECONFIG";

    private EdgeClusterHandle? _cluster;

    public EdgeClusterHandle Cluster => _cluster ?? throw new InvalidOperationException("emulator not started");

    public static string? RealKubeconfig => Environment.GetEnvironmentVariable(RealKubeconfigVariable) is { Length: > 0 } p ? p : null;

    public async Task InitializeAsync() =>
        _cluster = await global::Greengrass.EdgeCluster.Hosting.EdgeCluster.StartAsync(new EdgeClusterOptions { BookmarkInterval = TimeSpan.FromSeconds(1), Kubelet = KubeletMode.None });

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    public string KubeconfigFor(string target) => target == Emulator ? Cluster.KubeconfigPath : RealKubeconfig!;

    public Kubernetes ClientFor(string target) =>
        new(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigFor(target)));
}

/// <summary>Runs a theory against the embedded emulator.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class EmulatorTargetAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[ClusterTargets.Emulator]];
}

/// <summary>Runs a theory against a real cluster; skipped, saying why, when no kubeconfig is given.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RealClusterTargetAttribute : DataAttribute
{
    public RealClusterTargetAttribute()
    {
        if (ClusterTargets.RealKubeconfig is null)
        {
            Skip = $"no real cluster: set {ClusterTargets.RealKubeconfigVariable} to a kubeconfig to run this case against one";
        }
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[ClusterTargets.Real]];
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterTargets>
{
    public const string Name = "cluster";
}
