using Greengrass.Nucleus.Contracts;

namespace Greengrass.Nucleus.Core.Lifecycle;

// Driving the component towards its desired state when nothing is running that must finish first.
internal sealed partial class ComponentLifecycle
{
    private readonly record struct Execution(long Id, LifecycleStepKind Kind);

    // Install, Shutdown and Recover block the machine until they end; Startup and Run are the component's
    // main process and may outlive the transition they cause.
    private Execution? _blocking;
    private Execution? _main;
    private bool _shutdownForBroken;
    private LifecycleStep? _shutdownOfThisRun;
    private TimeSpan? _runTimeout;

    private void Advance()
    {
        while (_blocking is null && _timer is not { Purpose: TimerPurpose.RetryWait })
        {
            var desired = PeekDesired();
            var proceed = State switch
            {
                ComponentState.New => desired is not null && BeginInstall(),
                ComponentState.Installed => desired is { } d && AdvanceInstalled(d),
                ComponentState.Starting => AdvanceStarting(desired),
                ComponentState.Running => desired is not null && BeginStopping(),
                ComponentState.Finished => desired is { } f && MoveAndContinue(f),
                // STOPPING waits for Shutdown, ERRORED for Recover or the retry, BROKEN for a reinstall.
                _ => false,
            };
            if (!proceed)
            {
                return;
            }
        }
    }

    private bool MoveAndContinue(ComponentState desired)
    {
        MoveToDesired(desired);
        return true;
    }

    private bool AdvanceInstalled(ComponentState desired)
    {
        if (desired != ComponentState.Running)
        {
            return MoveAndContinue(desired);
        }

        // HARD dependencies gate the start with no timeout (§2.6 rule 1).
        if (!DependenciesReady)
        {
            return false;
        }

        SetState(ComponentState.Starting);
        return true;
    }

    private bool AdvanceStarting(ComponentState? desired)
    {
        if (desired is { } d && d != ComponentState.Running)
        {
            return BeginStopping();
        }

        if (_main is not null)
        {
            return false;
        }

        if (!DependenciesReady)
        {
            SetState(ComponentState.Installed);
            return true;
        }

        return Launch();
    }

    /// <summary>Runs Install; returns true when there is none and the component is INSTALLED at once.</summary>
    private bool BeginInstall()
    {
        if (Spec.Install is not { } install)
        {
            SetState(ComponentState.Installed);
            return true;
        }

        _blocking = StartStep(LifecycleStepKind.Install, install);
        return false;
    }

    /// <summary>Starts Startup or Run; with neither the component is FINISHED at once (§2.2).</summary>
    private bool Launch()
    {
        // Greengrass stops a component with the Shutdown it had when it started, even after a version change.
        _shutdownOfThisRun = Spec.Shutdown;
        if (Spec.Startup is { } startup)
        {
            _main = StartStep(LifecycleStepKind.Startup, startup);
            return false;
        }

        if (Spec.Run is { } run)
        {
            StartRun(run);
            return false;
        }

        SetState(ComponentState.Finished);
        return true;
    }

    private void StartRun(LifecycleStep run)
    {
        // The Run timeout starts when the process is spawned, see OnStepSpawned.
        var id = NextId();
        _commands.Add(new RunStep(LifecycleStepKind.Run, id, run));
        _main = new Execution(id, LifecycleStepKind.Run);
        _runTimeout = LifecycleSpec.TimeoutOf(LifecycleStepKind.Run, run);
    }

    private Execution StartStep(LifecycleStepKind kind, LifecycleStep step)
    {
        var id = NextId();
        _commands.Add(new RunStep(kind, id, step));
        if (LifecycleSpec.TimeoutOf(kind, step) is { } timeout)
        {
            StartPendingTimer(kind == LifecycleStepKind.Startup ? TimerPurpose.StartupTimeout : TimerPurpose.StepTimeout, timeout, id);
        }

        return new Execution(id, kind);
    }

    /// <summary>Enters STOPPING and runs the Shutdown captured at start; the machine then waits for it.</summary>
    private bool BeginStopping(bool afterStartupError = false)
    {
        CancelPendingTimer();
        StoppingAfterStartupError = afterStartupError;
        SetState(ComponentState.Stopping);
        RunShutdown(forBroken: false);
        return _blocking is null;
    }

    private void RunShutdown(bool forBroken)
    {
        var shutdown = _shutdownOfThisRun ?? Spec.Shutdown;
        if (shutdown is null)
        {
            FinishShutdown();
            return;
        }

        _shutdownForBroken = forBroken;
        _blocking = StartStep(LifecycleStepKind.Shutdown, shutdown);
    }

    /// <summary>After Shutdown (or without one): kill what is left, then move on towards the desired state.</summary>
    private void FinishShutdown()
    {
        _blocking = null;
        KillAll();
        if (State != ComponentState.Stopping)
        {
            return;
        }

        StoppingAfterStartupError = false;
        MoveToDesired(PeekDesired() ?? ComponentState.Finished);
    }

    private void KillAll()
    {
        _commands.Add(new KillAllProcesses());
        _main = null;
        _shutdownOfThisRun = null;
    }
}
