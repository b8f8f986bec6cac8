using Greengrass.Api;
using Greengrass.Operator.Rollouts;
using ApiDeployment = Greengrass.Api.Deployment;

namespace Greengrass.Operator.Reconcilers;

/// <summary>How far a Deployment has come on each targeted device: pure, from the CoreDevice statuses.</summary>
internal sealed record DeploymentProgress(int Targeted, int Succeeded, int Failed, int InProgress, int Pending, IReadOnlyList<string> Conflicts,
    string? AbortMessage = null, bool Rolling = false)
{
    /// <summary>With rollout limits the counts are the rollout's: devices not admitted yet are pending, a failure is final only once nothing is left to do.</summary>
    public DeploymentProgress WithRollout(DeploymentRolloutStatus rollout)
    {
        int admitted = rollout.Admitted ?? 0, succeeded = rollout.Succeeded ?? 0;
        var failed = (rollout.Failed ?? 0) + (rollout.Rejected ?? 0) + (rollout.TimedOut ?? 0);
        return this with
        {
            Succeeded = succeeded, Failed = failed, InProgress = admitted - succeeded - failed, Pending = Math.Max(0, Targeted - admitted),
            AbortMessage = rollout.Phase == RolloutPhases.Aborted ? rollout.Message : null, Rolling = true,
        };
    }

    public static DeploymentProgress Compute(ApiDeployment deployment, IReadOnlyList<CoreDevice> devices)
    {
        int succeeded = 0, failed = 0, inProgress = 0, pending = 0;
        var conflicts = new List<string>();
        foreach (var device in devices)
        {
            var status = device.Status;
            var stalled = Conditions.Find(status?.Conditions, ConditionTypes.Stalled);
            if (stalled?.Status == ConditionStatuses.True && Involves(stalled.Message, deployment.Metadata.Name))
            {
                failed++;
                conflicts.Add($"{device.Metadata.Name}: {stalled.Message}");
                continue;
            }

            var components = deployment.Spec.Components ?? new Dictionary<string, DeploymentComponent>();
            var reported = status?.Components ?? [];
            if (reported.Count == 0 && status?.AppliedRevision is null)
            {
                pending++;
            }
            else if (components.All(c => reported.Any(r => r.Name == c.Key && r.Version == c.Value.Version
                         && r.State is ComponentStates.Running or ComponentStates.Finished)))
            {
                succeeded++;
            }
            else if (components.Any(c => reported.Any(r => r.Name == c.Key && r.State == ComponentStates.Broken)))
            {
                failed++;
            }
            else
            {
                inProgress++;
            }
        }

        return new DeploymentProgress(devices.Count, succeeded, failed, inProgress, pending, conflicts);
    }

    public static void Apply(ApiDeployment deployment, DeploymentStatus status, DeploymentProgress progress, DateTimeOffset now)
    {
        var generation = deployment.Metadata.Generation;
        status.ObservedGeneration = generation;
        status.Revision = generation;
        status.Target = DeploymentTargets.Describe(deployment.Spec);
        status.Devices = new DeploymentDeviceCounts
        {
            Targeted = progress.Targeted, Succeeded = progress.Succeeded, Failed = progress.Failed,
            InProgress = progress.InProgress, Pending = progress.Pending,
        };
        status.Conflicts = progress.Conflicts.Count == 0 ? null : [.. progress.Conflicts];
        status.Conditions ??= [];

        var done = progress.Succeeded == progress.Targeted;
        var failedForGood = progress.Failed > 0 && (!progress.Rolling || progress.InProgress + progress.Pending == 0);
        status.Phase = progress.AbortMessage is not null ? DeploymentPhases.Aborted
            : failedForGood ? DeploymentPhases.Failed : done ? DeploymentPhases.Succeeded : DeploymentPhases.InProgress;
        var summary = $"{progress.Succeeded}/{progress.Targeted} devices succeeded, {progress.Failed} failed, {progress.InProgress + progress.Pending} in progress";
        if (progress.AbortMessage is { } aborted)
        {
            // Stays until a new spec (a new generation) starts a new rollout.
            Conditions.Set(status.Conditions, ConditionTypes.Ready, ConditionStatuses.False, ConditionReasons.RolloutAborted, aborted, generation, now);
            Conditions.Set(status.Conditions, ConditionTypes.Stalled, ConditionStatuses.True, ConditionReasons.RolloutAborted, aborted, generation, now);
            Conditions.Remove(status.Conditions, ConditionTypes.Progressing);
            Conditions.Remove(status.Conditions, ConditionTypes.Reconciling);
        }
        else if (failedForGood)
        {
            var reason = progress.Conflicts.Count > 0 ? ConditionReasons.VersionConflict : "DeviceFailed";
            var message = progress.Conflicts.Count > 0 ? string.Join("; ", progress.Conflicts) : summary;
            Conditions.Set(status.Conditions, ConditionTypes.Ready, ConditionStatuses.False, reason, message, generation, now);
            Conditions.Set(status.Conditions, ConditionTypes.Stalled, ConditionStatuses.True, reason, message, generation, now);
            Conditions.Remove(status.Conditions, ConditionTypes.Progressing);
            Conditions.Remove(status.Conditions, ConditionTypes.Reconciling);
        }
        else if (done)
        {
            Conditions.Set(status.Conditions, ConditionTypes.Ready, ConditionStatuses.True, ConditionReasons.Succeeded, summary, generation, now);
            Conditions.Remove(status.Conditions, ConditionTypes.Stalled);
            Conditions.Remove(status.Conditions, ConditionTypes.Progressing);
            Conditions.Remove(status.Conditions, ConditionTypes.Reconciling);
        }
        else
        {
            Conditions.Set(status.Conditions, ConditionTypes.Ready, ConditionStatuses.False, ConditionReasons.Progressing, summary, generation, now);
            Conditions.Set(status.Conditions, ConditionTypes.Progressing, ConditionStatuses.True, ConditionReasons.Progressing, summary, generation, now);
            Conditions.Set(status.Conditions, ConditionTypes.Reconciling, ConditionStatuses.True, ConditionReasons.Progressing, summary, generation, now);
            Conditions.Remove(status.Conditions, ConditionTypes.Stalled);
        }
    }

    private static bool Involves(string? message, string deployment)
    {
        var start = message?.LastIndexOf(CoreDeviceReconciler.DeploymentsMarker, StringComparison.Ordinal) ?? -1;
        if (start < 0)
        {
            // A plan error that names no deployment (say, a component with no manifest for the node) fails every deployment of the device.
            return true;
        }

        // Items are name@revision; a name cannot contain '@'.
        return DeviceOutcomes.InvolvedTags(message).Any(tag => tag == deployment || tag.StartsWith(deployment + "@", StringComparison.Ordinal));
    }
}
