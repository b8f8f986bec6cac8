using System.Text.Json;
using System.Text.Json.Nodes;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Core.Dependencies;
using Greengrass.Nucleus.Core.Deployment;
using Greengrass.Nucleus.Core.Lifecycle;
using Greengrass.Nucleus.Core.Planning;
using Greengrass.Nucleus.Ipc.Services;

namespace Greengrass.Nucleus.Runtime;

/// <summary>Applying plans (GREENGRASS.md §4.6–4.7): diff, stop and remove, install, start, wait, roll back.</summary>
internal sealed partial class NucleusRuntime
{
    private async Task RunDeploymentsAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var job in _deploymentQueue.Reader.ReadAllAsync(ct))
            {
                if (ExitRequested.IsCompleted)
                {
                    // Restarting: later plans are offered again to the next start.
                    return;
                }

                if (!BeginJob(job, ct))
                {
                    continue; // cancelled while queued, and recorded so then
                }

                try
                {
                    await DeployAsync(job, ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    // A fault of the nucleus itself (disk full, unwritable root) fails this deployment, not the next ones.
                    RuntimeLog.DeploymentFaulted(_logger, job.Plan.DeploymentId, ex);
                    await RecordFaultAsync(job.Plan, ex, ct);
                }
                finally
                {
                    EndJob();
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping: the deployment in progress stays where it is; the applied plan on disk resumes it.
        }
    }

    private async Task DeployAsync(DeploymentJob job, CancellationToken ct)
    {
        var plan = job.Plan;
        var previous = AppliedPlan;
        Volatile.Write(ref _activeDeployment, job.Resume ? _activeDeployment : plan);
        RuntimeLog.DeploymentStarted(_logger, plan.DeploymentId, plan.Revision);
        if (job.Restart is { } stage)
        {
            await ResumeRestartAsync(stage, ct);
            return;
        }

        if (!job.Resume)
        {
            await SetDeploymentAsync(plan, InProgress(plan), ct);
            if (Validate(plan, previous) is { } refused)
            {
                await FinishAsync(plan, refused, ct);
                return;
            }

            var restartReasons = await PostAsync(() => NucleusRestart.Reasons(plan, CurrentComponents()));
            if (await PrepareAsync(plan, previous, restartReasons.Count > 0, ct) is not { } prepared)
            {
                await FinishCanceledAsync(plan, ct);
                return;
            }

            if (prepared.Refused is { } invalid)
            {
                await FinishAsync(plan, invalid, ct);
                return;
            }

            if (restartReasons.Count > 0)
            {
                await BeginRestartAsync(plan, previous, restartReasons, ct);
                return;
            }
        }

        var (awaited, brokenBefore) = await ApplyPlanAsync(plan, job.Resume, ct);
        if (job.Resume)
        {
            return;
        }

        var decision = await WaitForOutcomeAsync(DeploymentPhase.Applying, plan, awaited, brokenBefore, ct);
        if (decision.BrokenComponents.Count > 0)
        {
            // Say why each component broke: "Components are broken: X." alone does not tell an operator what to fix.
            var reasons = Report().Components.Where(c => decision.BrokenComponents.Contains(c.Name)).Select(c => $"{c.Name}: {c.Message}");
            decision = decision with { FailureCause = $"{decision.FailureCause} {string.Join(" ", reasons)}" };
        }

        if (decision.Kind == OutcomeKind.RollBack)
        {
            var target = previous ?? plan with { Components = [], Revision = plan.Revision - 1 };
            var (back, _) = await ApplyPlanAsync(target, resume: false, ct, rollingBack: true);
            var rollback = await WaitForOutcomeAsync(DeploymentPhase.RollingBack, target, back, brokenBefore, ct);
            // A completed rollback still reports why the deployment failed in the first place.
            decision = rollback.Status == DeploymentStatus.FailedRollbackComplete
                ? rollback with { FailureCause = $"{decision.FailureCause} The previous components were restored.", ErrorTypes = decision.ErrorTypes }
                : rollback;
        }

        await FinishAsync(plan, decision, ct);
        _ipc.Updates?.NotifyUpdateFinished(plan.DeploymentId);
    }

    private async Task RecordFaultAsync(DevicePlan plan, Exception fault, CancellationToken ct)
    {
        var decision = new OutcomeDecision(OutcomeKind.Completed, DeploymentStatus.FailedUnableToRollback, "FAILED_UNABLE_TO_ROLLBACK",
            ["DEPLOYMENT_FAILURE", "NUCLEUS_ERROR"], ["NUCLEUS_ERROR"], $"The nucleus could not apply the deployment: {fault.Message}", []);
        try
        {
            await FinishAsync(plan, decision, ct);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or InvalidOperationException)
        {
            // The history could not be saved either; the in-memory report still carries the failure.
            RuntimeLog.DeploymentFaulted(_logger, plan.DeploymentId, ex);
        }
    }

    /// <summary>Applies <paramref name="plan"/> to the running components; returns the components to wait for.</summary>
    private async Task<(IReadOnlyList<string> Awaited, IReadOnlySet<string> BrokenBefore)> ApplyPlanAsync(
        DevicePlan plan, bool resume, CancellationToken ct, bool rollingBack = false)
    {
        // Resuming re-applies the plan over itself: nothing counts as changed, so values written over IPC stay.
        var previous = resume ? plan : AppliedPlan;
        var (steps, brokenBefore) = await PostAsync(() =>
        {
            var current = CurrentState.From(_slots.Values.Select(s => new CurrentComponent(s.Component, _coordinator[s.Component.Name].State)));
            IReadOnlySet<string> broken = _slots.Keys.Where(n => _coordinator[n].State == ComponentState.Broken).ToHashSet(StringComparer.Ordinal);
            var planned = DeploymentPlanner.Plan(plan, current);
            foreach (var step in planned.Where(s => s.Kind == PlanStepKind.Stop))
            {
                Execute(_coordinator.Handle(step.Component, new DesiredStateChanged(DesiredRequest.Stop), _time.GetUtcNow()));
            }

            return (planned, broken);
        });
        var leaving = steps.Where(s => s.Kind == PlanStepKind.Remove).Select(s => s.Component).ToList();
        foreach (var name in leaving)
        {
            await WaitUntilClosableAsync(name, ct);
        }

        // Configuration first: should the nucleus die between the two, the plan is not yet recorded as applied and is
        // applied again, against the same previous plan, so the configuration still converges.
        await MergeConfigurationAsync(plan, previous, rollingBack, ct);
        await PersistPlanAsync(plan, ct);
        await PostAsync(async () =>
        {
            foreach (var name in leaving)
            {
                RemoveComponent(name);
                await _ipc.Configuration.RemoveComponentAsync(name, ct);
            }

            foreach (var step in steps.Where(s => s.Kind is not (PlanStepKind.Stop or PlanStepKind.Remove)))
            {
                ApplyStep(step);
            }

            return true;
        });
        return (DeploymentPlanner.ComponentsToAwait(steps), brokenBefore);
    }

    private void ApplyStep(PlanStep step)
    {
        var now = _time.GetUtcNow();
        if (step.Target is { } target)
        {
            if (!_slots.TryGetValue(step.Component, out var slot))
            {
                _slots[step.Component] = slot = new ComponentSlot(target);
                _ipc.Register(slot);
            }

            slot.Component = target;
            _ipc.Refresh(slot);
            Execute(_coordinator.Upsert(target, now));
        }

        if (step.Kind == PlanStepKind.Reinstall)
        {
            ForgetInstalled(step.Component);
        }

        if (step.Kind == PlanStepKind.UpdateResourceLimits)
        {
            ApplyResourceLimits(step.Component, step.Target?.RunWith?.SystemResourceLimits);
        }

        if (PlanStepActions.RequestFor(step.Kind) is { } request)
        {
            Execute(_coordinator.Handle(step.Component, new DesiredStateChanged(request), now));
        }
    }

    /// <summary>
    /// Rewrites the limits of the component's cgroup, which its running processes are already in, so the change applies
    /// without a restart (§2.7). Lifting every limit takes effect at the next start, when no cgroup is used.
    /// </summary>
    private void ApplyResourceLimits(string component, SystemResourceLimits? limits)
    {
        var (_, status) = _cgroups.Prepare(component, limits is null ? null : new Supervision.ResourceLimits(limits.Cpus, limits.Memory));
        RuntimeLog.LimitsUpdated(_logger, component, status.Description);
    }

    private void RemoveComponent(string name)
    {
        if (!_slots.Remove(name, out var slot))
        {
            return;
        }

        KillAll(slot);
        foreach (var timer in slot.Timers.Values)
        {
            timer.Dispose();
        }

        _ipc.Unregister(slot);
        ForgetInstalled(name);
        Execute(_coordinator.Remove(name, _time.GetUtcNow()));
    }

    /// <summary>
    /// Applies each component's planned configuration to the store (and through it to disk) relative to the plan it
    /// replaces (<see cref="RuntimeConfigurationStore.ApplyDeploymentAsync"/>), stamped with the deployment's creation
    /// time as Greengrass does by default. A rollback restores the previous values whatever was written since, as the
    /// Greengrass snapshot restore does, so it writes with the current time.
    /// </summary>
    private async Task MergeConfigurationAsync(DevicePlan plan, DevicePlan? previous, bool rollingBack, CancellationToken ct)
    {
        var timestamp = rollingBack ? _time.GetUtcNow() : plan.CreationTimestamp;
        foreach (var component in plan.Components)
        {
            var before = previous?.Components.FirstOrDefault(c => c.Name == component.Name)?.Configuration;
            await _ipc.Configuration.ApplyDeploymentAsync(component.Name, before, component.Configuration, timestamp, ct);
        }
    }

    private async Task PersistPlanAsync(DevicePlan plan, CancellationToken ct)
    {
        using var document = JsonDocument.Parse(ContractJson.SerializePlan(plan));
        await _plans.SaveAppliedAsync(plan.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture), document.RootElement.Clone(), ct);
        Volatile.Write(ref _applied, plan);
    }

    private async Task<OutcomeDecision> WaitForOutcomeAsync(
        DeploymentPhase phase, DevicePlan plan, IReadOnlyList<string> awaited, IReadOnlySet<string> brokenBefore, CancellationToken ct)
    {
        var graph = DependencyGraph.From(plan.Components);
        while (true)
        {
            var decision = await PostAsync(() => DeploymentOutcome.Decide(new DeploymentProgress(
                phase, plan.Policies.FailureHandling, awaited, States(), brokenBefore, graph)));
            if (decision.Kind != OutcomeKind.Waiting)
            {
                return decision;
            }

            // Woken by every published state change; the timeout only guards against a missed wake-up.
            await _stateChanged.WaitAsync(TimeSpan.FromSeconds(1), ct);
        }
    }

    private async Task WaitUntilClosableAsync(string name, CancellationToken ct)
    {
        var deadline = _time.GetUtcNow() + _options.ComponentStopTimeout;
        while (await PostAsync(() => _coordinator.Contains(name) && !IsClosable(_coordinator[name].State)))
        {
            if (_time.GetUtcNow() > deadline)
            {
                RuntimeLog.StopTimedOut(_logger, name, _options.ComponentStopTimeout.TotalSeconds);
                return;
            }

            await _stateChanged.WaitAsync(TimeSpan.FromMilliseconds(500), ct);
        }
    }

    private static bool IsClosable(ComponentState state) =>
        state is ComponentState.Finished or ComponentState.Broken or ComponentState.New or ComponentState.Installed;

    private Dictionary<string, ComponentState> States() =>
        _slots.Keys.ToDictionary(n => n, n => _coordinator[n].State, StringComparer.Ordinal);
}
