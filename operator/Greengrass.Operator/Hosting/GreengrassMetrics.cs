using Greengrass.Api;
using Greengrass.Operator.Reconcilers;
using Prometheus;

namespace Greengrass.Operator.Hosting;

/// <summary>
/// Fleet gauges computed from the caches at scrape time: <c>greengrass_coredevices{health}</c>,
/// <c>greengrass_components{component,state}</c>, <c>greengrass_deployment_devices{deployment,status}</c> (with rollout
/// limits, <c>pending</c> counts the devices not admitted yet) and <c>greengrass_deployment_rollout_aborted{deployment}</c>.
/// </summary>
internal static class GreengrassMetrics
{
    public static void Register(CollectorRegistry registry, ClusterState state)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var devices = factory.CreateGauge("greengrass_coredevices", "Core devices by health.", new GaugeConfiguration { LabelNames = ["health"] });
        var components = factory.CreateGauge("greengrass_components", "Component instances on core devices by lifecycle state.",
            new GaugeConfiguration { LabelNames = ["component", "state"] });
        var deployments = factory.CreateGauge("greengrass_deployment_devices", "Devices targeted by a deployment, by status.",
            new GaugeConfiguration { LabelNames = ["deployment", "status"] });
        var aborted = factory.CreateGauge("greengrass_deployment_rollout_aborted", "1 while an abort criterion has stopped the rollout of a deployment's current revision.",
            new GaugeConfiguration { LabelNames = ["deployment"] });
        registry.AddBeforeCollectCallback(() =>
        {
            var all = state.CoreDevices.List();
            foreach (var health in new[] { DeviceHealth.Pending, DeviceHealth.Healthy, DeviceHealth.Unhealthy, DeviceHealth.Offline })
            {
                devices.WithLabels(health).Set(all.Count(d => (d.Status?.Health ?? DeviceHealth.Pending) == health));
            }

            foreach (var series in components.GetAllLabelValues().ToList())
            {
                components.WithLabels(series).Set(0);
            }

            foreach (var group in all.SelectMany(d => d.Status?.Components ?? []).GroupBy(c => (c.Name, c.State)))
            {
                components.WithLabels(group.Key.Name, group.Key.State).Set(group.Count());
            }

            foreach (var deployment in state.Deployments.List())
            {
                var counts = deployment.Status?.Devices;
                var name = $"{deployment.Metadata.NamespaceProperty}/{deployment.Metadata.Name}";
                deployments.WithLabels(name, "succeeded").Set(counts?.Succeeded ?? 0);
                deployments.WithLabels(name, "failed").Set(counts?.Failed ?? 0);
                deployments.WithLabels(name, "in_progress").Set(counts?.InProgress ?? 0);
                deployments.WithLabels(name, "pending").Set(counts?.Pending ?? 0);
                aborted.WithLabels(name).Set(deployment.Status?.Rollout?.Phase == RolloutPhases.Aborted ? 1 : 0);
            }
        });
    }
}
