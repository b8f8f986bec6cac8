using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Ipc.Services;
using Greengrass.Nucleus.Supervision;

namespace Greengrass.Nucleus.Runtime;

/// <summary>
/// PauseComponent / ResumeComponent: every process group of the component's running steps gets SIGSTOP, and SIGCONT to
/// resume; a component with its own cgroup (resource limits on cgroup v2) is also frozen with the cgroup freezer, as
/// Greengrass does, which holds processes that left their process group too. Its lifecycle state stays RUNNING, as in
/// Greengrass. Stopping a paused component thaws it first, so its processes can see the SIGTERM of the graceful stop.
/// </summary>
internal sealed partial class NucleusRuntime
{
    private const int SigCont = 18;
    private const int SigStop = 19;
    private readonly HashSet<string> _paused = new(StringComparer.Ordinal);

    /// <summary>Whether the component is paused now.</summary>
    public Task<bool> IsPausedAsync(string component) => PostAsync(() => _paused.Contains(component));

    /// <summary>Pauses or resumes a component on the event loop; says why not when refused.</summary>
    public Task<PauseRefusal> SetPausedAsync(string component, bool pause) => PostAsync(() =>
    {
        if (!_slots.TryGetValue(component, out var slot))
        {
            return PauseRefusal.NotFound;
        }

        if (slot.Component.ComponentType != ComponentType.Generic)
        {
            return PauseRefusal.NotGeneric;
        }

        if (!pause)
        {
            return _paused.Contains(component) && Thaw(slot) ? PauseRefusal.None : PauseRefusal.NotPaused;
        }

        if (_coordinator[component].State != ComponentState.Running)
        {
            return PauseRefusal.NotRunning;
        }

        _paused.Add(component);
        SignalGroups(slot, SigStop);
        _cgroups.TrySetFrozen(component, frozen: true);
        return PauseRefusal.None;
    });

    /// <summary>Resumes a paused component's processes; true when it was paused.</summary>
    private bool Thaw(ComponentSlot slot)
    {
        if (!_paused.Remove(slot.Component.Name))
        {
            return false;
        }

        // Thawed before SIGCONT: the processes leave the freezer still stopped, then continue together.
        _cgroups.TrySetFrozen(slot.Component.Name, frozen: false);
        SignalGroups(slot, SigCont);
        return true;
    }

    /// <summary>Resumes one step that is about to be stopped, when its component is paused.</summary>
    private void Thaw(ComponentSlot slot, RunningStep step)
    {
        if (_paused.Contains(slot.Component.Name) && step.ProcessId is { } group)
        {
            _cgroups.TrySetFrozen(slot.Component.Name, frozen: false);
            _ = PosixNative.Kill(-group, SigCont);
        }
    }

    private static void SignalGroups(ComponentSlot slot, int signal)
    {
        foreach (var step in slot.Steps.Values)
        {
            if (step.ProcessId is { } group)
            {
                // A group that already ended (ESRCH) has nothing left to pause or resume.
                _ = PosixNative.Kill(-group, signal);
            }
        }
    }
}
