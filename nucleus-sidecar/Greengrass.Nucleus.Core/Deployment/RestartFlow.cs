using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Core.Dependencies;
using Greengrass.Nucleus.Core.Planning;

namespace Greengrass.Nucleus.Core.Deployment;

/// <summary>Where a deployment that restarts the nucleus stands (the Greengrass deployment stages of §5.2).</summary>
internal enum RestartStage
{
    /// <summary>Components stopped; Bootstrap steps of the new plan run (stage <c>BOOTSTRAP</c>).</summary>
    Bootstrap,

    /// <summary>Bootstraps done; the next start applies the new plan and waits for it (<c>KERNEL_ACTIVATION</c>).</summary>
    Activation,

    /// <summary>Rolling back; Bootstrap steps of the previous plan that opted in run first (<c>ROLLBACK_BOOTSTRAP</c>).</summary>
    RollbackBootstrap,

    /// <summary>The next start restores the previous plan (<c>KERNEL_ROLLBACK</c>).</summary>
    Rollback,

    /// <summary>Finished; the record only remembers the outcome so the same plan is not applied twice.</summary>
    Done,
}

/// <summary>
/// Everything a restarting deployment must remember across a nucleus exit, a crash or a kill: the plan, the one it
/// replaces, the stage, the Bootstrap tasks still to run (in order), the ones that started, and how often the nucleus
/// started in the activation stage.
/// </summary>
internal sealed record RestartRecord
{
    public required DevicePlan Plan { get; init; }

    public DevicePlan? Previous { get; init; }

    public required RestartStage Stage { get; init; }

    /// <summary>Components whose Bootstrap still has to run, in order; the head runs next.</summary>
    public IReadOnlyList<string> Remaining { get; init; } = [];

    /// <summary>Components whose Bootstrap of the new plan was started (for BootstrapOnRollback, §5.5).</summary>
    public IReadOnlyList<string> Started { get; init; } = [];

    /// <summary>Starts of the nucleus in the activation stage so far.</summary>
    public int ActivationStarts { get; init; }

    /// <summary>Why the deployment failed, once it did; carried into the rollback's final report.</summary>
    public RestartFailure? Failure { get; init; }

    /// <summary>Why the nucleus restarts (§5.1), for the log and the report.</summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];
}

/// <summary>Why a restarting deployment failed, in Greengrass terms (§4.7); <see cref="RollbackFailed"/> once restoring failed too.</summary>
internal sealed record RestartFailure(string Cause, IReadOnlyList<string> ErrorStack, IReadOnlyList<string> ErrorTypes, bool RollbackFailed = false);

/// <summary>What the host does after one Bootstrap step ended.</summary>
internal enum BootstrapVerdict
{
    /// <summary>Exit 0: run the next task, or restart once none is left.</summary>
    Continue,

    /// <summary>Exit 100 (or 101): restart now; the remaining tasks run after the restart.</summary>
    RestartNow,

    /// <summary>Any other code, a timeout or a step that could not run: the deployment fails.</summary>
    Failed,
}

/// <summary>What a starting nucleus does with the record it finds.</summary>
internal enum ResumeAction
{
    /// <summary>No deployment in flight: resume the applied plan as usual.</summary>
    None,

    /// <summary>Run the remaining Bootstrap tasks (new plan or rollback), then restart.</summary>
    RunBootstraps,

    /// <summary>Apply the new plan and wait for its components.</summary>
    Activate,

    /// <summary>Restore the previous plan and report the failure.</summary>
    RollBack,
}

/// <summary>The pure rules of the nucleus-restart path (GREENGRASS.md §5.2, §5.5); the runtime does the I/O.</summary>
internal static class RestartFlow
{
    /// <summary>Launches in the activation stage before the new configuration counts as never coming up (the loader's 3 tries).</summary>
    public const int MaxActivationStarts = 3;

    public const int RestartExitCode = 100;

    public const int RebootExitCode = 101;

    /// <summary>The record of a deployment entering the bootstrap path: Bootstrap targets in dependency order.</summary>
    public static RestartRecord Begin(DevicePlan desired, DevicePlan? previous, CurrentState current, IReadOnlyList<string> reasons)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(current);
        var tasks = Ordered(desired, NucleusRestart.BootstrapTargets(desired, current).Select(c => c.Name));
        return new RestartRecord
        {
            Plan = desired,
            Previous = previous,
            // A plugin change alone has no Bootstrap step to run: the restart itself is the point.
            Stage = tasks.Count > 0 ? RestartStage.Bootstrap : RestartStage.Activation,
            Remaining = tasks,
            Reasons = reasons,
        };
    }

    /// <summary>The subset <paramref name="names"/> in the plan's start order: dependencies bootstrap first (§5.2 step 3).</summary>
    public static IReadOnlyList<string> Ordered(DevicePlan plan, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var wanted = names.ToHashSet(StringComparer.Ordinal);
        var graph = DependencyGraph.From(plan.Components);
        var order = graph.Cycle is null ? graph.StartOrder() : [.. plan.Components.Select(c => c.Name)];
        return [.. order.Where(wanted.Contains)];
    }

    /// <summary>§2.2: 0 continues, 100 and 101 restart now, anything else fails.</summary>
    public static BootstrapVerdict Judge(int? exitCode) => exitCode switch
    {
        0 => BootstrapVerdict.Continue,
        RestartExitCode or RebootExitCode => BootstrapVerdict.RestartNow,
        _ => BootstrapVerdict.Failed,
    };

    /// <summary>Marks the head task as started (before it runs: a kill during it runs it again after the restart).</summary>
    public static RestartRecord Starting(RestartRecord record, string component) =>
        record.Stage == RestartStage.Bootstrap && !record.Started.Contains(component)
            ? record with { Started = [.. record.Started, component] }
            : record;

    /// <summary>The record after the head task ended well: it leaves the list; with none left the next stage follows.</summary>
    public static RestartRecord Completed(RestartRecord record, string component)
    {
        ArgumentNullException.ThrowIfNull(record);
        var remaining = record.Remaining.Where(n => n != component).ToList();
        if (remaining.Count > 0)
        {
            return record with { Remaining = remaining };
        }

        var next = record.Stage == RestartStage.RollbackBootstrap ? RestartStage.Rollback : RestartStage.Activation;
        return record with { Remaining = [], Stage = next };
    }

    /// <summary>
    /// The deployment failed. ROLLBACK restores the previous plan, after the Bootstrap of its components that opted in
    /// with BootstrapOnRollback and whose new Bootstrap started (§5.5). DO_NOTHING keeps the new plan: a failed
    /// Bootstrap still activates it, a failed activation is final. A failed rollback Bootstrap still restores the
    /// previous plan, but the deployment ends FAILED_UNABLE_TO_ROLLBACK.
    /// </summary>
    public static RestartRecord Fail(RestartRecord record, RestartFailure failure)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(failure);
        if (record.Stage == RestartStage.RollbackBootstrap)
        {
            var first = record.Failure ?? failure;
            return record with
            {
                Stage = RestartStage.Rollback,
                Remaining = [],
                Failure = first with { RollbackFailed = true, Cause = $"{first.Cause} Rollback: {failure.Cause}" },
            };
        }

        if (record.Plan.Policies.FailureHandling == FailureHandlingPolicy.DoNothing)
        {
            var next = record.Stage == RestartStage.Bootstrap ? RestartStage.Activation : RestartStage.Done;
            return record with { Stage = next, Remaining = [], Failure = failure };
        }

        var again = RollbackBootstraps(record);
        return record with
        {
            Stage = again.Count > 0 ? RestartStage.RollbackBootstrap : RestartStage.Rollback,
            Remaining = again,
            Failure = failure,
        };
    }

    /// <summary>The status a restarting deployment ends with once its last stage is over.</summary>
    public static OutcomeDecision Final(RestartRecord record, OutcomeDecision? rollback)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Failure is not { } failure)
        {
            return new OutcomeDecision(OutcomeKind.Completed, DeploymentStatus.Succeeded, "SUCCESSFUL", [], [], null, []);
        }

        if (rollback is null)
        {
            return new OutcomeDecision(OutcomeKind.Completed, DeploymentStatus.FailedRollbackNotRequested, "FAILED_ROLLBACK_NOT_REQUESTED",
                failure.ErrorStack, failure.ErrorTypes, failure.Cause, []);
        }

        if (failure.RollbackFailed || rollback.Status != DeploymentStatus.FailedRollbackComplete)
        {
            var cause = rollback.Status == DeploymentStatus.FailedRollbackComplete ? failure.Cause : $"{failure.Cause} {rollback.FailureCause}";
            return new OutcomeDecision(OutcomeKind.Completed, DeploymentStatus.FailedUnableToRollback, "FAILED_UNABLE_TO_ROLLBACK",
                failure.ErrorStack, failure.ErrorTypes, cause, rollback.BrokenComponents);
        }

        return new OutcomeDecision(OutcomeKind.Completed, DeploymentStatus.FailedRollbackComplete, "FAILED_ROLLBACK_COMPLETE",
            failure.ErrorStack, failure.ErrorTypes, $"{failure.Cause} The previous components were restored.", []);
    }

    /// <summary>A Bootstrap step that failed or timed out (§2.2: COMPONENT_BOOTSTRAP_ERROR / _TIMEOUT).</summary>
    public static RestartFailure BootstrapFailed(string component, string description, bool timedOut) => new(
        $"The Bootstrap step of {component} failed: {description}.",
        ["DEPLOYMENT_FAILURE", "COMPONENT_UPDATE_ERROR", timedOut ? "COMPONENT_BOOTSTRAP_TIMEOUT" : "COMPONENT_BOOTSTRAP_ERROR"],
        ["COMPONENT_ERROR"]);

    /// <summary>Components of the previous plan whose Bootstrap runs again during the rollback (§5.5).</summary>
    public static IReadOnlyList<string> RollbackBootstraps(RestartRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Previous is not { } previous)
        {
            return [];
        }

        var failed = CurrentState.From(record.Plan.Components.Select(c => new CurrentComponent(c, ComponentState.Finished)));
        var targets = NucleusRestart.BootstrapTargets(previous, failed)
            .Where(c => c.Lifecycle.Bootstrap!.BootstrapOnRollback && record.Started.Contains(c.Name))
            .Select(c => c.Name);
        return Ordered(previous, targets);
    }

    /// <summary>
    /// What a starting nucleus does, and the record to persist before doing it: a start in the activation stage is
    /// counted, and one start too many turns into a rollback, as the loader's launch-directory flip does.
    /// </summary>
    public static (ResumeAction Action, RestartRecord? Record) OnStart(RestartRecord? record)
    {
        if (record is null || record.Stage == RestartStage.Done)
        {
            return (ResumeAction.None, record);
        }

        switch (record.Stage)
        {
            case RestartStage.Bootstrap or RestartStage.RollbackBootstrap:
                return (ResumeAction.RunBootstraps, record);
            case RestartStage.Rollback:
                return (ResumeAction.RollBack, record);
        }

        var starts = record.ActivationStarts + 1;
        if (starts <= MaxActivationStarts)
        {
            return (ResumeAction.Activate, record with { ActivationStarts = starts });
        }

        // The new configuration never came up: whatever the policy, the previous one is restored, as the loader does.
        var failure = new RestartFailure(
            $"The nucleus started {record.ActivationStarts} times without bringing the new configuration up.",
            ["DEPLOYMENT_FAILURE", "NUCLEUS_RESTART_FAILURE"], ["NUCLEUS_ERROR"]);
        var again = RollbackBootstraps(record);
        var rolling = record with
        {
            ActivationStarts = starts,
            Failure = record.Failure is { } earlier ? earlier with { Cause = $"{earlier.Cause} {failure.Cause}" } : failure,
            Stage = again.Count > 0 ? RestartStage.RollbackBootstrap : RestartStage.Rollback,
            Remaining = again,
        };
        return (again.Count > 0 ? ResumeAction.RunBootstraps : ResumeAction.RollBack, rolling);
    }
}
