using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Core.Deployment;
using Greengrass.Nucleus.Core.Lifecycle;
using Greengrass.Nucleus.Core.Planning;
using Greengrass.Nucleus.Storage;
using Greengrass.Nucleus.Supervision;

namespace Greengrass.Nucleus.Runtime;

/// <summary>
/// Deployments that restart the nucleus (GREENGRASS.md §5.2): stop every component, run the Bootstrap steps in
/// dependency order, then ask the host to exit with 100 so the supervisor (the kubelet, <c>run --supervise</c>)
/// starts the nucleus again; the next start resumes by stage. Every step is persisted first (<see cref="RestartStateStore"/>).
/// </summary>
internal sealed partial class NucleusRuntime
{
    private static readonly Prometheus.Gauge RestartsGauge = Observability.NucleusMetrics.Factory.CreateGauge(
        "greengrass_nucleus_deployment_restarts",
        "Times this nucleus exited to be restarted for a deployment (Bootstrap steps, plugin or nucleus changes), over the life of its root.");

    private readonly TaskCompletionSource<int> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private RestartStateStore? _restartStore;
    private RestartRecord? _restart;
    private long _restarts;

    /// <summary>
    /// Completes with the exit code the process must end with (always 100, "restart me") once a deployment needs the
    /// nucleus to restart; the host then stops the runtime and exits with it.
    /// </summary>
    public Task<int> ExitRequested => _exit.Task;

    /// <summary>Times the nucleus exited to be restarted for a deployment, over the life of its root.</summary>
    public long DeploymentRestarts => Interlocked.Read(ref _restarts);

    private RestartStateStore RestartStore => _restartStore ??= new RestartStateStore(_paths, _logger);

    /// <summary>Reads the restart record at start; returns the job that resumes it, or null to resume the applied plan.</summary>
    private async Task<DeploymentJob?> LoadRestartAsync(CancellationToken ct)
    {
        Interlocked.Exchange(ref _restarts, await RestartStore.LoadCountAsync(ct));
        RestartsGauge.Set(DeploymentRestarts);
        var (action, record) = RestartFlow.OnStart(await RestartStore.LoadAsync(ct));
        Volatile.Write(ref _restart, record);
        if (action == ResumeAction.None || record is null)
        {
            return null;
        }

        await RestartStore.SaveAsync(record, ct);
        Volatile.Write(ref _activeDeployment, record.Plan);
        Upsert(record.Plan, InProgress(record.Plan) with { DetailedStatus = StageName(record.Stage) });
        var stage = StageName(record.Stage);
        RuntimeLog.RestartResumed(_logger, record.Plan.DeploymentId, stage, record.ActivationStarts);
        return new DeploymentJob(record.Plan, Resume: false, action);
    }

    /// <summary>A plan this nucleus is restarting for, or already finished that way, must not start over when offered again.</summary>
    private bool IsRestartDeployment(DevicePlan plan) =>
        Volatile.Read(ref _restart) is { } record && record.Plan.DeploymentId == plan.DeploymentId && record.Plan.Revision == plan.Revision;

    private async Task BeginRestartAsync(DevicePlan plan, DevicePlan? previous, IReadOnlyList<string> reasons, CancellationToken ct)
    {
        var current = await PostAsync(CurrentComponents);
        var record = RestartFlow.Begin(plan, previous, current, reasons);
        var why = string.Join("; ", reasons);
        RuntimeLog.RestartBegins(_logger, plan.DeploymentId, why);
        // Persisted before anything stops: a kill from here on resumes in this stage with nothing started.
        await SaveRestartAsync(record, ct);
        await StopAllComponentsAsync(ct);
        await RunBootstrapsAsync(record, ct);
    }

    private async Task ResumeRestartAsync(ResumeAction action, CancellationToken ct)
    {
        var record = Volatile.Read(ref _restart)!;
        switch (action)
        {
            case ResumeAction.RunBootstraps:
                await RunBootstrapsAsync(record, ct);
                break;
            case ResumeAction.Activate:
                await ActivateAsync(record, ct);
                break;
            case ResumeAction.RollBack:
                await RollBackAsync(record, ct);
                break;
        }
    }

    /// <summary>Runs the remaining tasks, each persisted before and after; ends by asking for the restart.</summary>
    private async Task RunBootstrapsAsync(RestartRecord record, CancellationToken ct)
    {
        while (record.Remaining.Count > 0)
        {
            var name = record.Remaining[0];
            var source = record.Stage == RestartStage.RollbackBootstrap ? record.Previous! : record.Plan;
            var component = source.Components.First(c => c.Name == name);
            record = RestartFlow.Starting(record, name);
            await SaveRestartAsync(record, ct);
            var result = await RunBootstrapAsync(component, source, ct);
            var verdict = result.Outcome == StepOutcome.Skipped ? BootstrapVerdict.Continue
                : result.Outcome == StepOutcome.Exited ? RestartFlow.Judge(result.ExitCode) : BootstrapVerdict.Failed;
            RuntimeLog.BootstrapEnded(_logger, name, result.Description);
            if (verdict == BootstrapVerdict.Failed)
            {
                record = RestartFlow.Fail(record, RestartFlow.BootstrapFailed(name, result.Description, result.Outcome == StepOutcome.TimedOut));
                await SaveRestartAsync(record, ct);
                continue; // a rollback may have Bootstrap steps of its own; otherwise the restart below rolls back
            }

            record = RestartFlow.Completed(record, name);
            await SaveRestartAsync(record, ct);
            if (verdict == BootstrapVerdict.RestartNow)
            {
                if (result.ExitCode == RestartFlow.RebootExitCode)
                {
                    // A pod cannot reboot its node: the nucleus restarts instead, which is what the step's changes usually need.
                    RuntimeLog.RebootAsRestart(_logger, name);
                }

                break;
            }
        }

        await RequestRestartAsync(ct);
    }

    /// <summary>Runs one Bootstrap step like any step; <paramref name="plan"/> resolves the recipe variables of its dependencies.</summary>
    private async Task<StepResult> RunBootstrapAsync(PlannedComponent component, DevicePlan plan, CancellationToken ct)
    {
        var step = component.Lifecycle.Bootstrap!;
        if (component.Artifacts.Count > 0)
        {
            try
            {
                await _artifacts.PrepareAsync(component.Name, component.Version, [.. component.Artifacts.Select(ToSpec)], ct);
                GiveArtifactsToRunWithUser(component);
            }
            catch (Artifacts.ArtifactException ex)
            {
                return StepResult.NotStarted($"{ex.Code}: {ex.Message}");
            }
        }

        var (invocation, error) = StepScripts.Build("Bootstrap", step, new ComponentSlot(component), _paths.Root, _options.ThingName,
            n => plan.Components.FirstOrDefault(c => c.Name == n));
        if (invocation is null)
        {
            return StepResult.Invalid(error!);
        }

        var running = await _runner.StartAsync(invocation with { Timeout = TimeSpan.FromSeconds(step.TimeoutSeconds ?? LifecycleSpec.DefaultBootstrapTimeout.TotalSeconds) }, ct);
        await using (running)
        {
            if (running.ProcessId is { } group)
            {
                await _ledger.AddAsync(group);
            }

            try
            {
                return await running.Exited.WaitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                // The nucleus is stopping: the task stays first in the list and runs again after the restart.
                await running.StopAsync();
                throw;
            }
            finally
            {
                await ForgetGroupAsync(running);
            }
        }
    }

    /// <summary>KERNEL_ACTIVATION: apply the new plan on a fresh start and wait for it, as a live deployment does.</summary>
    private async Task ActivateAsync(RestartRecord record, CancellationToken ct)
    {
        var (awaited, brokenBefore) = await ApplyPlanAsync(record.Plan, resume: false, ct);
        await ForgetLeftBehindAsync(record.Plan, record.Previous);
        var decision = await WaitForOutcomeAsync(DeploymentPhase.Applying, record.Plan, awaited, brokenBefore, ct);
        if (decision.Status == DeploymentStatus.Succeeded)
        {
            await FinishRestartAsync(record with { Stage = RestartStage.Done }, RestartFlow.Final(record, null), ct);
            return;
        }

        record = RestartFlow.Fail(record, new RestartFailure(decision.FailureCause ?? "The new components did not come up.", decision.ErrorStack, decision.ErrorTypes));
        switch (record.Stage)
        {
            case RestartStage.Done:
                await FinishRestartAsync(record, RestartFlow.Final(record, null), ct);
                break;
            case RestartStage.RollbackBootstrap:
                await SaveRestartAsync(record, ct);
                await StopAllComponentsAsync(ct);
                await RunBootstrapsAsync(record, ct);
                break;
            default:
                await SaveRestartAsync(record, ct);
                await RollBackAsync(record, ct);
                break;
        }
    }

    /// <summary>KERNEL_ROLLBACK: restore the previous plan (the empty set when there was none) and report the failure.</summary>
    private async Task RollBackAsync(RestartRecord record, CancellationToken ct)
    {
        var target = record.Previous ?? record.Plan with { Components = [], Revision = record.Plan.Revision - 1 };
        var (back, _) = await ApplyPlanAsync(target, resume: false, ct, rollingBack: true);
        await ForgetLeftBehindAsync(target, record.Plan);
        var rollback = await WaitForOutcomeAsync(DeploymentPhase.RollingBack, target, back, new HashSet<string>(StringComparer.Ordinal), ct);
        await FinishRestartAsync(record with { Stage = RestartStage.Done }, RestartFlow.Final(record, rollback), ct);
    }

    private async Task FinishRestartAsync(RestartRecord done, OutcomeDecision decision, CancellationToken ct)
    {
        await FinishAsync(done.Plan, decision, ct);
        await RestartStore.SaveAsync(done, ct);
        Volatile.Write(ref _restart, done);
        _ipc.Updates?.NotifyUpdateFinished(done.Plan.DeploymentId);
    }

    /// <summary>Persists the record and shows its stage as the deployment's in-progress detail.</summary>
    private async Task SaveRestartAsync(RestartRecord record, CancellationToken ct)
    {
        await RestartStore.SaveAsync(record, ct);
        Volatile.Write(ref _restart, record);
        await SetDeploymentAsync(record.Plan, InProgress(record.Plan) with { DetailedStatus = StageName(record.Stage) }, ct);
    }

    private async Task RequestRestartAsync(CancellationToken ct)
    {
        var restarts = Interlocked.Increment(ref _restarts);
        await RestartStore.SaveCountAsync(restarts, ct);
        RestartsGauge.Set(restarts);
        var record = Volatile.Read(ref _restart);
        var (id, stage) = (record?.Plan.DeploymentId ?? "", StageName(record?.Stage ?? RestartStage.Activation));
        RuntimeLog.RestartRequested(_logger, id, stage);
        _exit.TrySetResult(RestartFlow.RestartExitCode);
    }

    /// <summary>
    /// After a restart nothing runs the components the applied plan dropped, so nothing removes them either: their
    /// installed state goes, so that a later deployment that brings one back installs it again.
    /// </summary>
    private Task<bool> ForgetLeftBehindAsync(DevicePlan applied, DevicePlan? other) => PostAsync(() =>
    {
        foreach (var gone in (other?.Components ?? []).Where(c => applied.Components.All(a => a.Name != c.Name)))
        {
            ForgetInstalled(gone.Name);
        }

        return true;
    });

    private CurrentState CurrentComponents() =>
        CurrentState.From(_slots.Values.Select(s => new CurrentComponent(s.Component, _coordinator[s.Component.Name].State)));

    /// <summary>The Greengrass deployment stage names, shown as the in-progress deployment's detailed status.</summary>
    internal static string StageName(RestartStage stage) => stage switch
    {
        RestartStage.Bootstrap => "BOOTSTRAP",
        RestartStage.Activation => "KERNEL_ACTIVATION",
        RestartStage.RollbackBootstrap => "ROLLBACK_BOOTSTRAP",
        RestartStage.Rollback => "KERNEL_ROLLBACK",
        _ => "DEFAULT",
    };
}
