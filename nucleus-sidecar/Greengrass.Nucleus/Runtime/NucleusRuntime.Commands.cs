using Greengrass.Nucleus.Artifacts;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Core.Lifecycle;
using Greengrass.Nucleus.Storage;
using Greengrass.Nucleus.Supervision;

namespace Greengrass.Nucleus.Runtime;

/// <summary>Carrying out the state machine's commands with real processes and timers, and feeding results back.</summary>
internal sealed partial class NucleusRuntime
{
    private void HandleEvent(string component, LifecycleEvent lifecycleEvent)
    {
        if (_coordinator.Contains(component))
        {
            Execute(_coordinator.Handle(component, lifecycleEvent, _time.GetUtcNow()));
        }
    }

    /// <summary>Publishes the transitions of one coordinator call and carries out its commands, in order.</summary>
    private void Execute(CoordinatorResult result)
    {
        foreach (var transition in result.Transitions)
        {
            var detail = transition.Reason is { } reason ? $" ({transition.StatusCode}: {reason})" : "";
            RuntimeLog.Transition(_logger, transition.Component, transition.From, transition.To, detail);
            if (transition is { From: ComponentState.New, To: ComponentState.Installed })
            {
                RecordInstalled(transition.Component);
            }

            Transitioned?.Invoke(transition);
        }

        foreach (var (component, reason) in result.Ignored)
        {
            RuntimeLog.Ignored(_logger, component, reason);
        }

        foreach (var (component, command) in result.Commands)
        {
            if (_slots.TryGetValue(component, out var slot))
            {
                Carry(slot, command);
            }
        }

        PublishReport();
    }

    private void Carry(ComponentSlot slot, LifecycleCommand command)
    {
        switch (command)
        {
            case RunStep run:
                StartStep(slot, run);
                break;
            case StopStep stop when slot.Steps.Remove(stop.ExecutionId, out var step):
                Thaw(slot, step);
                Track(StopAndDisposeAsync(step));
                if (slot.Steps.Count == 0)
                {
                    _paused.Remove(slot.Component.Name);
                }

                break;
            case KillAllProcesses:
                KillAll(slot);
                break;
            case StartTimer timer:
                var name = slot.Component.Name;
                slot.Timers[timer.TimerId] = _time.CreateTimer(
                    _ => Post(name, new TimerElapsed(timer.TimerId)), null, timer.Delay, Timeout.InfiniteTimeSpan);
                break;
            case CancelTimer cancel when slot.Timers.Remove(cancel.TimerId, out var handle):
                handle.Dispose();
                break;
        }
    }

    private void KillAll(ComponentSlot slot)
    {
        foreach (var step in slot.Steps.Values)
        {
            Thaw(slot, step);
            Track(StopAndDisposeAsync(step));
        }

        slot.Steps.Clear();
        _paused.Remove(slot.Component.Name);
    }

    private async Task StopAndDisposeAsync(RunningStep step)
    {
        await step.StopAsync();
        await step.DisposeAsync();
        await ForgetGroupAsync(step);
    }

    private Task ForgetGroupAsync(RunningStep step) => step.ProcessId is { } group ? _ledger.RemoveAsync(group) : Task.CompletedTask;

    private void StartStep(ComponentSlot slot, RunStep run)
    {
        var name = slot.Component.Name;
        if (run.Step == LifecycleStepKind.Install && IsInstalled(slot.Component))
        {
            // Same version and recipe already installed before a restart: Install must not run twice (§0.1).
            RuntimeLog.InstallSkipped(_logger, name, slot.Component.Version);
            Post(name, new StepSkipped(run.ExecutionId));
            return;
        }

        var (invocation, error) = StepScripts.Build(run.Step, run.Definition, slot, _paths.Root, _options.ThingName,
            n => _slots.TryGetValue(n, out var s) ? s.Component : null);
        if (invocation is null)
        {
            RuntimeLog.StepNotRun(_logger, name, run.Step.ToString(), error!);
            Post(name, new StepFailed(run.ExecutionId, error!));
            return;
        }

        invocation = WithTokenExchange(invocation);

        if (!slot.ArtifactsReady && slot.Component.Artifacts.Count > 0)
        {
            // Before the first step of this version, whichever it is: a recipe without Install still needs its artifacts.
            Track(PrepareArtifactsThenRunAsync(slot, run, invocation));
            return;
        }

        Spawn(slot, run, invocation);
    }

    private async Task PrepareArtifactsThenRunAsync(ComponentSlot slot, RunStep run, StepInvocation invocation)
    {
        var component = slot.Component;
        try
        {
            await _artifacts.PrepareAsync(component.Name, component.Version, [.. component.Artifacts.Select(ToSpec)], _stopping.Token);
            GiveArtifactsToRunWithUser(component);
        }
        catch (ArtifactException ex)
        {
            RuntimeLog.StepNotRun(_logger, component.Name, "Install", ex.Message);
            Post(component.Name, new StepFailed(run.ExecutionId, $"{ex.Code}: {ex.Message}"));
            return;
        }
        catch (OperationCanceledException)
        {
            return;
        }

        await PostAsync(() =>
        {
            // The component may have moved on (removed, restarted) while the download ran; then the exit is stale anyway.
            if (_slots.TryGetValue(component.Name, out var current) && current == slot)
            {
                slot.ArtifactsReady = slot.Component == component;
                Spawn(slot, run, invocation);
            }

            return true;
        });
    }

    private static ArtifactSpec ToSpec(PlannedArtifact artifact) => new(
        artifact.Uri,
        artifact.Digest,
        artifact.Algorithm,
        artifact.Unarchive == ArtifactUnarchive.Zip ? UnarchiveMode.Zip : UnarchiveMode.None,
        new Artifacts.ArtifactPermission(ToScope(artifact.Permission.Read), ToScope(artifact.Permission.Execute)));

    private static PermissionScope ToScope(ArtifactAccess access) => access switch
    {
        ArtifactAccess.All => PermissionScope.All,
        ArtifactAccess.Owner => PermissionScope.Owner,
        _ => PermissionScope.None,
    };

    private void Spawn(ComponentSlot slot, RunStep run, StepInvocation invocation)
    {
        var name = slot.Component.Name;
        // The runner reports every problem of the component through the step's result; StartAsync completes synchronously.
        var step = _runner.StartAsync(invocation, CancellationToken.None).GetAwaiter().GetResult();
        if (step.ProcessId is { } processGroup)
        {
            Track(_ledger.AddAsync(processGroup));
            slot.Steps[run.ExecutionId] = step;
            Post(name, new StepSpawned(run.ExecutionId));
        }

        Track(ReportExitAsync(name, run, step));
    }

    private async Task ReportExitAsync(string component, RunStep run, RunningStep step)
    {
        var result = await step.Exited;
        Post(component, MapExit(run, result));
        if (run.Step is not (LifecycleStepKind.Startup or LifecycleStepKind.Run) || step.ProcessId is null)
        {
            // Only Startup and Run leave processes behind that a later stop must find; the others are done.
            await ((Task)PostAsync(() => _slots.TryGetValue(component, out var slot) && slot.Steps.Remove(run.ExecutionId)))
                .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await step.DisposeAsync();
            await ForgetGroupAsync(step);
        }
    }

    private static LifecycleEvent MapExit(RunStep run, StepResult result)
    {
        var id = run.ExecutionId;
        var stderr = result.StderrTail.Count > 0 ? $" Last error output: {string.Join(" | ", result.StderrTail.TakeLast(3))}" : "";
        return result.Outcome switch
        {
            StepOutcome.Skipped => new StepSkipped(id),
            StepOutcome.Exited when result.ExitCode == 0 => new StepExited(id, 0),
            // Stopped or timed-out steps were ended on the machine's request; it no longer waits for them.
            StepOutcome.Stopped or StepOutcome.TimedOut => new StepExited(id, result.ExitCode ?? 128 + (result.Signal ?? 9)),
            StepOutcome.ConfigurationInvalid => new StepFailed(id, $"The {run.Step} step is not valid: {result.Description}.",
                run.Step == LifecycleStepKind.Install ? "INSTALL_CONFIG_NOT_VALID" : null),
            _ => new StepFailed(id, $"The {run.Step} step failed: {result.Description}.{stderr}"),
        };
    }

    private bool IsInstalled(PlannedComponent component) =>
        _installed.TryGetValue(component.Name, out var state) &&
        state.InstalledVersion == component.Version && state.RecipeHash == RecipeHashOf(component);

    private void RecordInstalled(string component)
    {
        if (!_slots.TryGetValue(component, out var slot) || IsInstalled(slot.Component))
        {
            return;
        }

        var state = new ComponentRuntimeState(component, slot.Component.Version, RecipeHashOf(slot.Component), _time.GetUtcNow());
        _installed[component] = state;
        Track(_installedStore.SaveAsync(state, CancellationToken.None));
    }

    private void ForgetInstalled(string component)
    {
        if (_installed.Remove(component))
        {
            Track(_installedStore.RemoveAsync(component, CancellationToken.None));
        }
    }

    /// <summary>The plan's recipe digest, or a digest of what Install depends on when the plan carries none.</summary>
    private static string RecipeHashOf(PlannedComponent component) =>
        component.RecipeDigest ?? ComponentStateStore.ComputeRecipeHash(ContractJson.SerializePlan(new DevicePlan
        {
            SchemaVersion = DevicePlan.CurrentSchemaVersion,
            ThingName = "-",
            DeploymentId = "-",
            Revision = 0,
            CreationTimestamp = DateTimeOffset.UnixEpoch,
            GroupId = "-",
            Components = [component with { Configuration = [] }],
        }));
}
