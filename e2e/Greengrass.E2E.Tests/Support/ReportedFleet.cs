using Greengrass.Api;
using k8s.Models;

namespace Greengrass.E2E.Tests.Support;

/// <summary>
/// One cluster shared by the observability scenarios: a leader-elected operator, the small fleet with
/// both devices reporting every component RUNNING, and a ClientDevice, so every kind has an object.
/// </summary>
public sealed class ReportedFleet : IAsyncLifetime
{
    internal const string Ns = "observed";

    internal GreengrassCluster Cluster { get; private set; } = null!;

    internal ChildProcess Operator { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await GreengrassCluster.StartAsync();
        Operator = Cluster.StartOperator("observed-operator", leaderElection: true);
        await Fleet.ArrangeAsync(Cluster, Ns);
        foreach (var device in new[] { "edge-a", "edge-b" })
        {
            var plan = await Fleet.PlanAsync(Cluster, Ns, device);
            await Fleet.ReportAsync(Cluster, Ns, device, plan.Revision, [.. plan.Components.Select(c => (c.Name, c.Version, ComponentStates.Running))]);
        }

        await Cluster.CreateAsync(new ClientDevice
        {
            Metadata = new V1ObjectMeta { Name = "sensor-1", NamespaceProperty = Ns },
            Spec = new ClientDeviceSpec { ThingName = "Sensor1", CoreDevices = new CoreDeviceSelection { Names = ["edge-a"] } },
        }, GreengrassApi.ClientDevicePlural);
        await Eventually.True(async () =>
        {
            var d = await Cluster.GetAsync<CoreDevice>(Ns, GreengrassApi.CoreDevicePlural, "edge-b");
            return d?.Status?.Health == DeviceHealth.Healthy && Conditions.IsTrue(d.Status.Conditions, ConditionTypes.Ready);
        }, "edge-b HEALTHY and Ready");
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>The scenarios that share <see cref="ReportedFleet"/>.</summary>
[CollectionDefinition(Name)]
public sealed class ReportedFleetCollection : ICollectionFixture<ReportedFleet>
{
    public const string Name = "reported fleet";
}
