using Greengrass.Api;
using k8s.Models;

namespace Greengrass.Operator.Devices;

/// <summary>What the CoreDevice reconciler learned this round, beyond the CoreDevice itself.</summary>
internal sealed record DeviceObservation(
    V1Pod? Pod,
    long? DesiredRevision,
    string? PlanErrorReason,
    string? PlanErrorMessage,
    DateTimeOffset Now,
    TimeSpan HeartbeatTimeout)
{
    /// <summary>Why the nucleus pod cannot start for want of a Secret it mounts (naming the field and the Secret), or null.</summary>
    public string? MissingSecret { get; init; }
}

/// <summary>
/// The operator's half of <c>CoreDevice.status</c> (the nucleus writes components, appliedRevision,
/// nucleusVersion and lastStatusUpdate): health, placement, desired revision, the components summary
/// and the Ready / Reconciling / Stalled conditions. Ready comes from an ordered chain of checks whose
/// first failure gives the reason. Pure: mutates only the status it is given.
/// </summary>
internal static class CoreDeviceStatusBuilder
{
    public static void Apply(CoreDevice device, CoreDeviceStatus status, DeviceObservation seen)
    {
        var generation = device.Metadata.Generation;
        status.ObservedGeneration = generation;
        status.Pod = seen.Pod?.Metadata.Name;
        status.Node = seen.Pod?.Spec?.NodeName;
        status.DesiredRevision = seen.DesiredRevision;
        status.ComponentsSummary = Summary(status.Components);
        status.Health = Health(status, seen);
        status.Conditions ??= [];

        var (ready, reason, message, stalled) = ReadyChain(status, seen);
        Conditions.Set(status.Conditions, ConditionTypes.Ready, ready ? ConditionStatuses.True : ConditionStatuses.False, reason, message, generation, seen.Now);
        if (stalled)
        {
            Conditions.Set(status.Conditions, ConditionTypes.Stalled, ConditionStatuses.True, reason, message, generation, seen.Now);
            Conditions.Remove(status.Conditions, ConditionTypes.Reconciling);
        }
        else if (!ready)
        {
            Conditions.Set(status.Conditions, ConditionTypes.Reconciling, ConditionStatuses.True, reason, message, generation, seen.Now);
            Conditions.Remove(status.Conditions, ConditionTypes.Stalled);
        }
        else
        {
            Conditions.Remove(status.Conditions, ConditionTypes.Reconciling);
            Conditions.Remove(status.Conditions, ConditionTypes.Stalled);
        }
    }

    /// <summary>Greengrass health: UNHEALTHY only when a component is BROKEN (ERRORED alone stays HEALTHY).</summary>
    public static string Health(CoreDeviceStatus status, DeviceObservation seen)
    {
        if (seen.Pod is null || seen.Pod.Status?.Phase is not "Running")
        {
            return DeviceHealth.Pending;
        }

        if (status.LastStatusUpdate is null)
        {
            return DeviceHealth.Pending;
        }

        if (seen.Now - new DateTimeOffset(DateTime.SpecifyKind(status.LastStatusUpdate.Value, DateTimeKind.Utc)) > seen.HeartbeatTimeout)
        {
            return DeviceHealth.Offline;
        }

        return status.Components?.Any(c => c.State == ComponentStates.Broken) == true ? DeviceHealth.Unhealthy : DeviceHealth.Healthy;
    }

    private static (bool Ready, string Reason, string Message, bool Stalled) ReadyChain(CoreDeviceStatus status, DeviceObservation seen)
    {
        if (seen.PlanErrorReason is not null)
        {
            return (false, seen.PlanErrorReason, seen.PlanErrorMessage ?? string.Empty, true);
        }

        if (seen.MissingSecret is { } missing)
        {
            // Stalled: the kubelet starts the pod once the Secret exists, but only the user can create it.
            return (false, ConditionReasons.SecretNotFound, missing, true);
        }

        if (seen.Pod?.Spec?.NodeName is null)
        {
            return (false, "PodPending", "the nucleus pod is not scheduled on an edge node yet", false);
        }

        if (status.Health == DeviceHealth.Offline)
        {
            return (false, "NucleusOffline", $"no status from the nucleus for more than {seen.HeartbeatTimeout.TotalSeconds:F0} s", false);
        }

        if (status.Health == DeviceHealth.Pending)
        {
            return (false, "NucleusStarting", "the nucleus has not reported yet", false);
        }

        if (status.LastDeployment is { } last && last.Revision == seen.DesiredRevision
            && (last.Status.StartsWith("FAILED", StringComparison.Ordinal) || last.Status == "REJECTED"))
        {
            return (false, "DeploymentFailed",
                $"plan revision {last.Revision}: {last.Status}" + (string.IsNullOrEmpty(last.FailureCause) ? string.Empty : $": {last.FailureCause}"), true);
        }

        if (status.LastDeployment is { Status: "IN_PROGRESS", DetailedStatus: { Length: > 0 } stage } restarting && restarting.Revision == seen.DesiredRevision)
        {
            // A deployment with Bootstrap steps or a plugin change: the nucleus container exits and the kubelet starts it again.
            var restarts = seen.Pod?.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == "nucleus")?.RestartCount;
            return (false, ConditionReasons.NucleusRestarting,
                $"plan revision {restarting.Revision}: the nucleus restarts to apply it (stage {stage})"
                + (restarts is { } count ? $"; nucleus container restarts: {count}" : string.Empty), false);
        }

        if (status.AppliedRevision != seen.DesiredRevision)
        {
            return (false, "ApplyingPlan", $"plan revision {seen.DesiredRevision} not applied yet (applied: {status.AppliedRevision?.ToString() ?? "none"})", false);
        }

        var notReady = (status.Components ?? []).Where(c => c.State is not (ComponentStates.Running or ComponentStates.Finished)).ToList();
        if (notReady.Count > 0)
        {
            var broken = notReady.Any(c => c.State == ComponentStates.Broken);
            var list = string.Join(", ", notReady.Select(c => $"{c.Name} is {c.State}" + (string.IsNullOrEmpty(c.Message) ? string.Empty : $" ({c.Message})")));
            return (false, broken ? "ComponentBroken" : "ComponentsNotReady", list, broken);
        }

        return (true, ConditionReasons.Succeeded, $"{status.ComponentsSummary} components running or finished", false);
    }

    private static string Summary(IList<ComponentRuntimeStatus>? components)
    {
        var all = components ?? [];
        var ready = all.Count(c => c.State is ComponentStates.Running or ComponentStates.Finished);
        return $"{ready}/{all.Count}";
    }
}
