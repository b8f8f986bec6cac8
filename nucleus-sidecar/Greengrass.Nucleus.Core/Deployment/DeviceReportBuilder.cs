using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Core.Lifecycle;

namespace Greengrass.Nucleus.Core.Deployment;

/// <summary>Builds the <see cref="DeviceReport"/> the nucleus publishes from its state machines and the deployment decision.</summary>
internal static class DeviceReportBuilder
{
    /// <summary>One component's entry; status codes only for ERRORED and BROKEN, as the Greengrass fleet status does (§4.7).</summary>
    public static ComponentReport BuildComponent(ComponentLifecycle lifecycle, string version)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        var failed = lifecycle.State is ComponentState.Errored or ComponentState.Broken;
        return new ComponentReport
        {
            Name = lifecycle.Name,
            Version = version,
            State = lifecycle.State,
            LastTransitionTime = lifecycle.LastTransitionTime,
            Message = lifecycle.StatusReason,
            RestartCount = lifecycle.RestartCount,
            StatusCodes = failed && lifecycle.StatusCode is { } code ? [code] : [],
        };
    }

    public static DeploymentReport BuildDeployment(string deploymentId, long revision, OutcomeDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return new DeploymentReport
        {
            DeploymentId = deploymentId,
            Revision = revision,
            Status = decision.Status,
            DetailedStatus = decision.DetailedStatus,
            ErrorStack = decision.ErrorStack,
            ErrorTypes = decision.ErrorTypes,
            FailureCause = decision.FailureCause,
        };
    }

    /// <summary>The whole report; components sorted by name, health derived from their states.</summary>
    public static DeviceReport Build(
        string thingName, string nucleusVersion, long? appliedRevision, IEnumerable<ComponentReport> components, DeploymentReport? deployment)
    {
        var sorted = components.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        return new DeviceReport
        {
            SchemaVersion = DeviceReport.CurrentSchemaVersion,
            ThingName = thingName,
            NucleusVersion = nucleusVersion,
            AppliedRevision = appliedRevision,
            OverallHealth = DeploymentOutcome.Health(sorted.Select(c => c.State)),
            Components = sorted,
            Deployment = deployment,
        };
    }
}
