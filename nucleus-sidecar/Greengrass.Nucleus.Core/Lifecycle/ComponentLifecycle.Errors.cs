using Greengrass.Nucleus.Contracts;

namespace Greengrass.Nucleus.Core.Lifecycle;

// ERRORED, Recover, retry and BROKEN (GREENGRASS.md §2.5).
internal sealed partial class ComponentLifecycle
{
    private ComponentState _errorOrigin;
    private int _errorsInWindow;

    private void EnterError(ComponentState origin, string? statusCode, string reason)
    {
        CancelPendingTimer();
        if (_blocking is { } blocking)
        {
            // The error was reported while a step still ran (IPC ERRORED during Install or Shutdown): stop it.
            _commands.Add(new StopStep(blocking.Id));
            _blocking = null;
        }

        _errorOrigin = origin;
        _errorsInWindow = _errors.Record(origin, _now, Spec.ErrorResetTime);
        if (_errorsInWindow >= RestartPolicy.MaximumContinualErrors)
        {
            EnterBroken(origin, statusCode, reason);
            return;
        }

        SetState(ComponentState.Errored, statusCode, reason);
        if (Spec.Recover is { } recover)
        {
            _blocking = StartStep(LifecycleStepKind.Recover, recover);
            return;
        }

        AfterRecover();
    }

    private void EnterBroken(ComponentState origin, string? statusCode, string reason)
    {
        // BROKEN replaces the third ERRORED: Recover does not run, the processes are shut down.
        SetState(ComponentState.Broken, statusCode, $"{reason} Errored {RestartPolicy.MaximumContinualErrors} times in a row; only a reinstall recovers it.");
        if (origin is ComponentState.Starting or ComponentState.Running)
        {
            RunShutdown(forBroken: true);
        }
        else if (_main is not null)
        {
            KillAll();
        }
    }

    /// <summary>After Recover (or without one): wait out the back-off, then retry.</summary>
    private void AfterRecover()
    {
        var delay = _policy.RetryDelay(_errorsInWindow);
        if (delay > TimeSpan.Zero)
        {
            StartPendingTimer(TimerPurpose.RetryWait, delay, executionId: null);
            return;
        }

        ContinueAfterError();
    }

    /// <summary>The retry of §2.5: re-request RUNNING when nothing else is wanted, then leave ERRORED by origin.</summary>
    private void ContinueAfterError()
    {
        if (State != ComponentState.Errored)
        {
            return;
        }

        if (_desired.Count == 0)
        {
            _desired.Add(ComponentState.Running);
        }

        RestartCount++;
        switch (_errorOrigin)
        {
            case ComponentState.Starting:
                BeginStopping(afterStartupError: true);
                break;
            case ComponentState.Running:
                BeginStopping();
                break;
            case ComponentState.New:
                SetState(ComponentState.New);
                break;
            default:
                KillAll();
                MoveToDesired(PeekDesired() ?? ComponentState.Finished);
                break;
        }
    }

    private void ResetFromBroken()
    {
        CancelPendingTimer();
        if (_blocking is not null)
        {
            // The BROKEN shutdown was still running; the reinstall must not wait for it.
            _blocking = null;
            KillAll();
        }

        _errors.ClearAll();
        _errorsInWindow = 0;
        SetState(ComponentState.New);
    }
}
