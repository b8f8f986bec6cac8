using Greengrass.Nucleus.Contracts;

namespace Greengrass.Nucleus.Runtime;

/// <summary>
/// The nucleus as the outside sees it: plans go in, a report comes out. The standalone mode, the local
/// CLI and the Kubernetes mode (plan from a ConfigMap, report to CoreDevice status) all drive it through
/// this surface.
/// </summary>
internal interface IDeviceRuntime
{
    /// <summary>The plan currently applied (restored from disk after a restart), or null.</summary>
    DevicePlan? AppliedPlan { get; }

    /// <summary>Raised, from any thread, whenever <see cref="Report"/> would return something different.</summary>
    event Action? ReportChanged;

    /// <summary>Queues a plan for application (deployments apply one at a time, in order); returns once accepted.</summary>
    Task ApplyAsync(DevicePlan plan, CancellationToken cancellationToken);

    /// <summary>
    /// A snapshot of the device: per-component state, version, last transition, message and restart
    /// count; the applied revision; the last deployment's status.
    /// </summary>
    DeviceReport Report();
}
