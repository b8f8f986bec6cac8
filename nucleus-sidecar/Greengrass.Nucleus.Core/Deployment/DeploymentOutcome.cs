using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Core.Dependencies;

namespace Greengrass.Nucleus.Core.Deployment;

/// <summary>Which half of a deployment is being watched.</summary>
internal enum DeploymentPhase
{
    /// <summary>The new plan is applied; waiting for its new and changed components.</summary>
    Applying,

    /// <summary>The deployment failed with ROLLBACK and the previous plan is being restored.</summary>
    RollingBack,
}

/// <summary>What the host should do next with a deployment.</summary>
internal enum OutcomeKind
{
    /// <summary>Keep waiting: there is no device-side timeout (§13 #3).</summary>
    Waiting,

    /// <summary>Done; report the status.</summary>
    Completed,

    /// <summary>Failed with ROLLBACK: plan the previous set (<c>DeploymentPlanner.Plan(previous, current)</c>), apply it, and watch it in phase RollingBack.</summary>
    RollBack,
}

/// <summary>
/// Inputs of <see cref="DeploymentOutcome.Decide"/>. <paramref name="Awaited"/> are the components that must reach
/// RUNNING or FINISHED (new and changed ones while applying; the previous set while rolling back).
/// <paramref name="BrokenBeforeDeployment"/> were BROKEN before the deployment started.
/// </summary>
internal sealed record DeploymentProgress(
    DeploymentPhase Phase,
    FailureHandlingPolicy FailureHandling,
    IReadOnlyCollection<string> Awaited,
    IReadOnlyDictionary<string, ComponentState> States,
    IReadOnlySet<string> BrokenBeforeDeployment,
    DependencyGraph Graph);

/// <summary>The decision: keep waiting, roll back, or the final status with its Greengrass error details.</summary>
internal sealed record OutcomeDecision(
    OutcomeKind Kind,
    DeploymentStatus Status,
    string? DetailedStatus,
    IReadOnlyList<string> ErrorStack,
    IReadOnlyList<string> ErrorTypes,
    string? FailureCause,
    IReadOnlyList<string> BrokenComponents);

/// <summary>
/// Decides a deployment's status from component states (GREENGRASS.md §4.6, §4.7, §5.5): it waits with no timeout
/// until every awaited component is RUNNING or FINISHED; a component that became BROKEN fails it; the failure either
/// rolls back (ROLLBACK) or ends FAILED_ROLLBACK_NOT_REQUESTED (DO_NOTHING); a rollback ends FAILED_ROLLBACK_COMPLETE,
/// or FAILED_UNABLE_TO_ROLLBACK when something breaks while restoring.
/// </summary>
internal static class DeploymentOutcome
{
    private static readonly IReadOnlyList<string> BrokenStack = ["DEPLOYMENT_FAILURE", "COMPONENT_UPDATE_ERROR", "COMPONENT_BROKEN"];

    public static OutcomeDecision Decide(DeploymentProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var excluded = Excluded(progress);
        var broken = progress.States
            .Where(kv => kv.Value == ComponentState.Broken && !excluded.Contains(kv.Key))
            .Select(kv => kv.Key)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (broken.Count > 0)
        {
            return Failed(progress, broken);
        }

        var done = progress.Awaited
            .Where(name => !excluded.Contains(name))
            .All(name => progress.States.TryGetValue(name, out var state) && state is ComponentState.Running or ComponentState.Finished);
        if (!done)
        {
            return Waiting();
        }

        return progress.Phase == DeploymentPhase.Applying
            ? Final(DeploymentStatus.Succeeded, "SUCCESSFUL", [], [], null, [])
            : Final(DeploymentStatus.FailedRollbackComplete, "FAILED_ROLLBACK_COMPLETE", BrokenStack, ["COMPONENT_ERROR"],
                "The deployment failed and the previous components were restored.", []);
    }

    /// <summary>A deployment that failed before changing anything (bad plan, artifact download, validation).</summary>
    public static OutcomeDecision FailedBeforeChange(string errorCode, string errorType, string cause) =>
        Final(DeploymentStatus.FailedNoStateChange, "FAILED_NO_STATE_CHANGE", ["DEPLOYMENT_FAILURE", errorCode], [errorType], cause, []);

    /// <summary>
    /// Rejects a plan older than the last one applied for the same group (§4.3: REJECTED_STALE_DEPLOYMENT);
    /// null when the plan is not stale.
    /// </summary>
    public static OutcomeDecision? RejectIfStale(DevicePlan plan, DateTimeOffset? lastAppliedForGroup)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (lastAppliedForGroup is not { } last || plan.CreationTimestamp >= last)
        {
            return null;
        }

        return Final(DeploymentStatus.Rejected, "REJECTED", ["DEPLOYMENT_REJECTED", "REJECTED_STALE_DEPLOYMENT"], ["REQUEST_ERROR"],
            $"The deployment was created at {plan.CreationTimestamp:O}, before the last deployment applied for {plan.GroupId} ({last:O}).", []);
    }

    /// <summary>UNHEALTHY only when some component is BROKEN; ERRORED alone stays HEALTHY (§4.7).</summary>
    public static DeviceHealth Health(IEnumerable<ComponentState> states) =>
        states.Any(s => s == ComponentState.Broken) ? DeviceHealth.Unhealthy : DeviceHealth.Healthy;

    private static OutcomeDecision Failed(DeploymentProgress progress, List<string> broken)
    {
        var cause = $"Components are broken: {string.Join(", ", broken)}.";
        var types = ErrorTypesFor(broken);
        if (progress.Phase == DeploymentPhase.RollingBack)
        {
            return Final(DeploymentStatus.FailedUnableToRollback, "FAILED_UNABLE_TO_ROLLBACK", BrokenStack, types,
                $"Rollback failed. {cause}", broken);
        }

        return progress.FailureHandling == FailureHandlingPolicy.Rollback
            ? new OutcomeDecision(OutcomeKind.RollBack, DeploymentStatus.InProgress, null, BrokenStack, types, cause, broken)
            : Final(DeploymentStatus.FailedRollbackNotRequested, "FAILED_ROLLBACK_NOT_REQUESTED", BrokenStack, types, cause, broken);
    }

    /// <summary>
    /// Components already BROKEN before the deployment are not held against it; while rolling back neither are
    /// their HARD dependents, which cannot start anyway (§4.6).
    /// </summary>
    private static HashSet<string> Excluded(DeploymentProgress progress)
    {
        var excluded = new HashSet<string>(progress.BrokenBeforeDeployment, StringComparer.Ordinal);
        if (progress.Phase == DeploymentPhase.RollingBack)
        {
            foreach (var name in progress.BrokenBeforeDeployment)
            {
                excluded.UnionWith(progress.Graph.HardDependentsOf(name));
            }
        }

        return excluded;
    }

    private static List<string> ErrorTypesFor(List<string> broken)
    {
        // Greengrass tells AWS-provided components from the user's own by the name prefix.
        var types = new List<string> { "COMPONENT_ERROR" };
        if (broken.Any(n => !n.StartsWith("aws.greengrass.", StringComparison.Ordinal)))
        {
            types.Add("USER_COMPONENT_ERROR");
        }

        if (broken.Any(n => n.StartsWith("aws.greengrass.", StringComparison.Ordinal)))
        {
            types.Add("AWS_COMPONENT_ERROR");
        }

        return types;
    }

    private static OutcomeDecision Waiting() =>
        new(OutcomeKind.Waiting, DeploymentStatus.InProgress, null, [], [], null, []);

    private static OutcomeDecision Final(
        DeploymentStatus status, string detailed, IReadOnlyList<string> stack, IReadOnlyList<string> types, string? cause, IReadOnlyList<string> broken) =>
        new(OutcomeKind.Completed, status, detailed, stack, types, cause, broken);
}
