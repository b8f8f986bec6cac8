using Greengrass.Nucleus.Contracts;

namespace Greengrass.Nucleus.Core.Lifecycle;

/// <summary>Something the host must do for a component. Commands are returned in the order they must run.</summary>
internal abstract record LifecycleCommand;

/// <summary>
/// Run a lifecycle step's script. Report back with <see cref="StepSpawned"/> (when the process started),
/// then <see cref="StepExited"/>, <see cref="StepSkipped"/> or <see cref="StepFailed"/>, all carrying <paramref name="ExecutionId"/>.
/// The host does not enforce timeouts: the machine schedules them with <see cref="StartTimer"/>.
/// </summary>
internal sealed record RunStep(LifecycleStepKind Step, long ExecutionId, LifecycleStep Definition) : LifecycleCommand;

/// <summary>Terminate the process tree of one execution (SIGTERM, grace period, SIGKILL), for a step that timed out.</summary>
internal sealed record StopStep(long ExecutionId) : LifecycleCommand;

/// <summary>Terminate every lifecycle process the component still has; sent after Shutdown and on BROKEN.</summary>
internal sealed record KillAllProcesses : LifecycleCommand;

/// <summary>Start a one-shot timer; when it elapses send <see cref="TimerElapsed"/> with <paramref name="TimerId"/>. A component has at most one timer.</summary>
internal sealed record StartTimer(long TimerId, TimeSpan Delay) : LifecycleCommand;

/// <summary>Cancel a timer started earlier; a late <see cref="TimerElapsed"/> for it is ignored anyway.</summary>
internal sealed record CancelTimer(long TimerId) : LifecycleCommand;

/// <summary>
/// One state change, in the order it happened; publish each one (IPC SubscribeToComponentState, status).
/// <paramref name="ReadyAsHardDependency"/> says whether the component counted as a ready HARD dependency in the
/// new state (§2.6), which the coordinator needs for states passed through within one event.
/// </summary>
internal sealed record StateTransition(
    string Component,
    ComponentState From,
    ComponentState To,
    DateTimeOffset At,
    string? StatusCode,
    string? Reason,
    bool ReadyAsHardDependency);

/// <summary>The outcome of handling one event: state changes, commands for the host, and why the event was ignored if it was.</summary>
internal sealed record LifecycleResult(
    IReadOnlyList<StateTransition> Transitions,
    IReadOnlyList<LifecycleCommand> Commands,
    string? Ignored);
