using Greengrass.Nucleus.Contracts;

namespace Greengrass.Nucleus.Core.Lifecycle;

/// <summary>Something that happened to a component; the host feeds these to <see cref="ComponentLifecycle.Handle"/>.</summary>
internal abstract record LifecycleEvent;

/// <summary>A deployment, the CLI or IPC asked for a new desired state.</summary>
internal sealed record DesiredStateChanged(DesiredRequest Request) : LifecycleEvent;

/// <summary>The process of a <see cref="RunStep"/> started. For Run this makes the component RUNNING.</summary>
internal sealed record StepSpawned(long ExecutionId) : LifecycleEvent;

/// <summary>The process of a <see cref="RunStep"/> exited with this code.</summary>
internal sealed record StepExited(long ExecutionId, int ExitCode) : LifecycleEvent;

/// <summary>The step's <c>Skipif</c> condition held, so the step did not run.</summary>
internal sealed record StepSkipped(long ExecutionId) : LifecycleEvent;

/// <summary>
/// The step could not run at all (no runWith user, bad Skipif syntax, spawn failure). <paramref name="StatusCode"/>
/// overrides the step's default error code, for example <c>INSTALL_MISSING_DEFAULT_RUNWITH</c>.
/// </summary>
internal sealed record StepFailed(long ExecutionId, string Reason, string? StatusCode = null) : LifecycleEvent;

/// <summary>A timer of a <see cref="StartTimer"/> command elapsed.</summary>
internal sealed record TimerElapsed(long TimerId) : LifecycleEvent;

/// <summary>The component reported a state itself (IPC <c>UpdateState</c>).</summary>
internal sealed record StateReported(ComponentState State) : LifecycleEvent;

/// <summary>Whether all HARD dependencies are ready changed (sent by <see cref="LifecycleCoordinator"/>).</summary>
internal sealed record DependenciesChanged(bool Ready) : LifecycleEvent;
