using Greengrass.Nucleus.Contracts;

namespace Greengrass.Nucleus.Core.Lifecycle;

// Reactions to the host's reports about steps, timers, IPC state reports and dependencies.
internal sealed partial class ComponentLifecycle
{
    private enum TimerPurpose
    {
        StepTimeout,
        StartupTimeout,
        RunTimeout,
        RetryWait,
    }

    private readonly record struct PendingTimer(long Id, TimerPurpose Purpose, long? ExecutionId);

    private PendingTimer? _timer;

    private string? OnStepSpawned(long executionId)
    {
        if (_main is not { Kind: LifecycleStepKind.Run } run || run.Id != executionId)
        {
            // Spawns of other steps change nothing: only Run is RUNNING on spawn (§2.2).
            return _main?.Id == executionId || _blocking?.Id == executionId ? null : StaleExecution(executionId);
        }

        if (State != ComponentState.Starting)
        {
            return $"Run spawned while {State}";
        }

        SetState(ComponentState.Running);
        if (_runTimeout is { } timeout)
        {
            StartPendingTimer(TimerPurpose.RunTimeout, timeout, executionId);
        }

        Advance();
        return null;
    }

    private string? OnStepSkipped(long executionId)
    {
        if (_main is { Kind: LifecycleStepKind.Startup } startup && startup.Id == executionId && State == ComponentState.Starting)
        {
            // A skipped Startup falls through to Run, and with no Run the component is FINISHED, as in Greengrass.
            CancelPendingTimer();
            _main = null;
            if (Spec.Run is { } run)
            {
                StartRun(run);
                return null;
            }

            SetState(ComponentState.Finished);
            Advance();
            return null;
        }

        if (_main is { Kind: LifecycleStepKind.Run } skippedRun && skippedRun.Id == executionId && State == ComponentState.Starting)
        {
            _main = null;
            SetState(ComponentState.Finished);
            Advance();
            return null;
        }

        // A skipped Install, Shutdown or Recover counts as having succeeded.
        return OnStepEnded(executionId, succeeded: true, exitCode: 0, reason: null, statusCode: null);
    }

    private string? OnStepEnded(long executionId, bool succeeded, int? exitCode, string? reason, string? statusCode)
    {
        if (_blocking is { } blocking && blocking.Id == executionId)
        {
            CancelPendingTimer();
            _blocking = null;
            EndBlockingStep(blocking.Kind, succeeded, exitCode, reason, statusCode);
            Advance();
            return null;
        }

        if (_main is { } main && main.Id == executionId)
        {
            _main = null;
            var ignored = main.Kind == LifecycleStepKind.Startup
                ? EndStartup(succeeded, exitCode, reason, statusCode)
                : EndRun(succeeded, exitCode, reason, statusCode);
            Advance();
            return ignored;
        }

        return StaleExecution(executionId);
    }

    private void EndBlockingStep(LifecycleStepKind kind, bool succeeded, int? exitCode, string? reason, string? statusCode)
    {
        switch (kind)
        {
            case LifecycleStepKind.Install when succeeded:
                SetState(ComponentState.Installed);
                break;
            case LifecycleStepKind.Install:
                EnterError(ComponentState.New, statusCode ?? "INSTALL_ERROR", reason ?? ExitedWith("install", exitCode));
                break;
            case LifecycleStepKind.Shutdown:
                // The Shutdown's exit code does not matter; what is left is killed either way.
                FinishShutdown();
                break;
            case LifecycleStepKind.Recover:
                // Recover's result is ignored (§2.2).
                AfterRecover();
                break;
        }
    }

    private string? EndStartup(bool succeeded, int? exitCode, string? reason, string? statusCode)
    {
        if (State == ComponentState.Starting)
        {
            CancelPendingTimer();
            if (succeeded)
            {
                SetState(ComponentState.Running);
            }
            else
            {
                EnterError(ComponentState.Starting, statusCode ?? "STARTUP_ERROR", reason ?? ExitedWith("startup", exitCode));
            }

            return null;
        }

        // A Startup process that already reported RUNNING over IPC may keep running; its later failure is an error.
        if (State == ComponentState.Running && !succeeded)
        {
            EnterError(ComponentState.Running, statusCode ?? "STARTUP_ERROR", reason ?? ExitedWith("startup", exitCode));
            return null;
        }

        return succeeded ? null : $"Startup ended while {State}";
    }

    private string? EndRun(bool succeeded, int? exitCode, string? reason, string? statusCode)
    {
        if (State is not (ComponentState.Starting or ComponentState.Running))
        {
            return $"Run ended while {State}";
        }

        CancelPendingTimer();
        if (succeeded)
        {
            // Run exiting 0 is a stop request: STOPPING, Shutdown, FINISHED (§2.2), not an error.
            SetDesired([ComponentState.Finished]);
        }
        else
        {
            EnterError(State, statusCode ?? "RUN_ERROR", reason ?? ExitedWith("run", exitCode));
        }

        return null;
    }

    private string? OnTimerElapsed(long timerId)
    {
        if (_timer is not { } timer || timer.Id != timerId)
        {
            return $"timer {timerId} is no longer pending";
        }

        _timer = null;
        switch (timer.Purpose)
        {
            case TimerPurpose.RetryWait:
                ContinueAfterError();
                break;
            case TimerPurpose.StartupTimeout:
                StopExecution(timer.ExecutionId);
                _main = null;
                EnterError(ComponentState.Starting, "STARTUP_TIMEOUT", "The startup script did not report RUNNING within its timeout.");
                break;
            case TimerPurpose.RunTimeout:
                StopExecution(timer.ExecutionId);
                _main = null;
                EnterError(ComponentState.Running, "RUN_TIMEOUT", "The run script was still running at its timeout.");
                break;
            default:
                BlockingStepTimedOut(timer.ExecutionId);
                break;
        }

        Advance();
        return null;
    }

    private void BlockingStepTimedOut(long? executionId)
    {
        var kind = _blocking?.Kind;
        StopExecution(executionId);
        _blocking = null;
        switch (kind)
        {
            case LifecycleStepKind.Install:
                EnterError(ComponentState.New, "INSTALL_TIMEOUT", "The install script did not finish within its timeout.");
                break;
            case LifecycleStepKind.Shutdown when _shutdownForBroken:
                KillAll();
                break;
            case LifecycleStepKind.Shutdown:
                KillAll();
                EnterError(ComponentState.Stopping, "SHUTDOWN_TIMEOUT", "The shutdown script did not finish within its timeout.");
                break;
            case LifecycleStepKind.Recover:
                // A Recover timeout is only reported; the retry goes ahead.
                AfterRecover();
                break;
        }
    }

    private string? OnStateReported(ComponentState reported)
    {
        var accepted = (State, reported) switch
        {
            (ComponentState.New, ComponentState.Errored) => true,
            (ComponentState.Starting, ComponentState.Running or ComponentState.Errored or ComponentState.Finished) => true,
            (ComponentState.Running, ComponentState.Errored or ComponentState.Finished) => true,
            (ComponentState.Stopping, ComponentState.Errored) => true,
            _ => false,
        };
        if (!accepted)
        {
            return $"reported {reported} is not accepted while {State}";
        }

        if (reported == ComponentState.Errored)
        {
            EnterError(State, null, "The component reported ERRORED.");
        }
        else if (reported == ComponentState.Running)
        {
            CancelPendingTimer();
            SetState(ComponentState.Running);
        }
        else
        {
            CancelPendingTimer();
            KillAll();
            SetState(ComponentState.Finished);
        }

        Advance();
        return null;
    }

    private string? OnDependenciesChanged(bool ready)
    {
        DependenciesReady = ready;
        if (!ready && State is ComponentState.Starting or ComponentState.Running)
        {
            // A HARD dependency stopped being ready: restart, which then waits for it again (§2.6 rule 2).
            SetDesired([ComponentState.Installed, ComponentState.Running]);
        }

        Advance();
        return null;
    }

    private void StartPendingTimer(TimerPurpose purpose, TimeSpan delay, long? executionId)
    {
        CancelPendingTimer();
        var id = NextId();
        _timer = new PendingTimer(id, purpose, executionId);
        _commands.Add(new StartTimer(id, delay));
    }

    private void CancelPendingTimer()
    {
        if (_timer is { } timer)
        {
            _commands.Add(new CancelTimer(timer.Id));
            _timer = null;
        }
    }

    private void StopExecution(long? executionId)
    {
        if (executionId is { } id)
        {
            _commands.Add(new StopStep(id));
        }
    }

    private static string ExitedWith(string step, int? exitCode) =>
        exitCode is { } code ? $"The {step} script exited with code {code}." : $"The {step} script failed.";

    private static string StaleExecution(long executionId) => $"execution {executionId} is no longer current";
}
