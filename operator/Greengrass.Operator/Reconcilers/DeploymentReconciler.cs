using Greengrass.Api;
using Greengrass.Nucleus.Contracts;
using DeploymentStatus = Greengrass.Api.DeploymentStatus;
using Greengrass.Operator.Devices;
using Greengrass.Operator.Rollouts;
using Greengrass.Operator.Runtime;
using Greengrass.Operator.Runtime.Cache;
using Greengrass.Operator.Runtime.Controllers;
using Greengrass.Operator.Runtime.Writes;
using Microsoft.Extensions.Logging;
using ApiDeployment = Greengrass.Api.Deployment;

namespace Greengrass.Operator.Reconcilers;

/// <summary>
/// Reconciles one Deployment: resolves its targets, advances its rollout (which devices are admitted to which
/// revision, kept in <c>status.rollout</c>) and aggregates their progress from the CoreDevice statuses. The devices'
/// plans are computed by the CoreDevice reconciler, which every Deployment change, status included, triggers.
/// </summary>
internal sealed partial class DeploymentReconciler(
    ClusterState state,
    ResourceClient client,
    StatusWriter statusWriter,
    EventRecorder events,
    TimeProvider time,
    ILogger<DeploymentReconciler> logger) : IReconciler<ResourceKey>
{
    private const int MaxNamesInEvent = 10;

    public async Task<ReconcileResult> ReconcileAsync(ResourceKey key, CancellationToken cancellationToken)
    {
        var deployment = await client.GetAsync<ApiDeployment>(ResourceTypes.Deployments, key.Namespace, key.Name, cancellationToken);
        if (deployment is null || deployment.Metadata.DeletionTimestamp is not null)
        {
            return ReconcileResult.Done;
        }

        var devices = state.DevicesTargetedBy(deployment).ToList();
        var progress = DeploymentProgress.Compute(deployment, devices);
        var now = time.GetUtcNow();
        RolloutResult? rollout = null;
        var written = await statusWriter.UpdateAsync<ApiDeployment, DeploymentStatus>(ResourceTypes.Deployments, key.Namespace, key.Name,
            (fresh, status) =>
            {
                // Status is re-read on a conflict: the rollout advances from the fresh record every time.
                rollout = RolloutPlanner.Advance(new RolloutInput(fresh, [.. devices.Select(d => d.Metadata.Name)], Reported(fresh, devices), now));
                status.Rollout = rollout.Status;
                DeploymentProgress.Apply(fresh, status, fresh.Spec.Rollout is null ? progress : progress.WithRollout(rollout.Status), now);
                if (rollout.SpecError is { } error)
                {
                    Conditions.Set(status.Conditions!, ConditionTypes.Stalled, ConditionStatuses.True, ConditionReasons.InvalidSpec, error, fresh.Metadata.Generation, now);
                    Conditions.Set(status.Conditions!, ConditionTypes.Ready, ConditionStatuses.False, ConditionReasons.InvalidSpec, error, fresh.Metadata.Generation, now);
                    Conditions.Remove(status.Conditions!, ConditionTypes.Progressing);
                    Conditions.Remove(status.Conditions!, ConditionTypes.Reconciling);
                }
            }, cancellationToken);
        if (written == StatusWriteOutcome.Written && rollout is not null)
        {
            await RecordAsync(deployment, rollout, devices.Count, cancellationToken);
        }

        return rollout?.NextTimeout is { } next ? ReconcileResult.RequeueAfter(next) : ReconcileResult.Done;
    }

    /// <summary>The finished outcome each targeted device reported for the Deployment's current revision.</summary>
    private Dictionary<string, string> Reported(ApiDeployment deployment, List<CoreDevice> devices)
    {
        var reported = new Dictionary<string, string>();
        if (deployment.Spec.Rollout is null)
        {
            return reported;
        }

        foreach (var device in devices)
        {
            var plan = state.ConfigMaps.Get(device.Metadata.NamespaceProperty, DeviceNames.PlanConfigMap(device.Metadata.Name));
            if (DeviceOutcomes.Read(deployment.Metadata.Name, deployment.Metadata.Generation ?? 0, device, ReadPlan(plan?.Data)) is { } outcome)
            {
                reported[device.Metadata.Name] = outcome;
            }
        }

        return reported;
    }

    private static DevicePlan? ReadPlan(IDictionary<string, string>? data)
    {
        if (data?.TryGetValue(DeviceNames.PlanKey, out var json) != true || json is null)
        {
            return null;
        }

        try
        {
            return ContractJson.DeserializePlan(json);
        }
        catch (ContractFormatException)
        {
            return null; // the CoreDevice reconciler rewrites a damaged plan
        }
    }

    private async Task RecordAsync(ApiDeployment deployment, RolloutResult rollout, int targeted, CancellationToken cancellationToken)
    {
        var record = rollout.Status;
        var name = deployment.Metadata.Name;
        if (rollout.Started)
        {
            LogRolloutStarted(logger, name, record.Revision ?? 0, targeted);
            await events.NormalAsync(deployment, "RolloutStarted", $"rollout of revision {record.Revision} to {targeted} devices started", cancellationToken);
        }

        if (rollout.Admitted.Count > 0)
        {
            // Event messages are short (the API caps them at 1 KiB): a big wave names its first devices only.
            var admitted = string.Join(", ", rollout.Admitted.Take(MaxNamesInEvent))
                + (rollout.Admitted.Count > MaxNamesInEvent ? $" and {rollout.Admitted.Count - MaxNamesInEvent} more" : string.Empty);
            LogWaveAdmitted(logger, name, record.Revision ?? 0, admitted);
            await events.NormalAsync(deployment, "RolloutWave",
                $"revision {record.Revision} admitted to {admitted} ({record.Admitted}/{targeted} devices admitted)", cancellationToken);
        }

        if (rollout.AbortMessage is { } aborted)
        {
            LogRolloutAborted(logger, name, aborted);
            await events.WarningAsync(deployment, ConditionReasons.RolloutAborted, aborted, cancellationToken);
        }

        if (rollout.Completed)
        {
            await events.NormalAsync(deployment, "RolloutCompleted",
                $"revision {record.Revision}: {record.Succeeded} succeeded, {record.Failed} failed, {record.Rejected} rejected, {record.TimedOut} timed out", cancellationToken);
        }
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Rollout of {Deployment} revision {Revision} to {Count} devices started")]
    private static partial void LogRolloutStarted(ILogger logger, string deployment, long revision, int count);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Information, Message = "Rollout of {Deployment} revision {Revision} admitted {Devices}")]
    private static partial void LogWaveAdmitted(ILogger logger, string deployment, long revision, string devices);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Warning, Message = "Rollout of {Deployment} aborted: {Reason}")]
    private static partial void LogRolloutAborted(ILogger logger, string deployment, string reason);
}
