using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Core.Lifecycle;
using Microsoft.Extensions.Time.Testing;

namespace Greengrass.Nucleus.Core.Tests.Lifecycle;

/// <summary>What a scripted step does when the machine runs it.</summary>
internal abstract record StepOutcome
{
    public static StepOutcome Exit(int code) => new ExitOutcome(code);

    public static StepOutcome Spawn { get; } = new SpawnOutcome();

    public static StepOutcome Hang { get; } = new HangOutcome();

    public static StepOutcome Skip { get; } = new SkipOutcome();

    public static StepOutcome Fail(string reason, string? code = null) => new FailOutcome(reason, code);
}

internal sealed record ExitOutcome(int Code) : StepOutcome;

// Spawned and keeps running until killed.
internal sealed record SpawnOutcome : StepOutcome;

// Never reports anything (a hung script, or a spawn the host has not confirmed).
internal sealed record HangOutcome : StepOutcome;

internal sealed record SkipOutcome : StepOutcome;

internal sealed record FailOutcome(string Reason, string? Code) : StepOutcome;

/// <summary>
/// A scripted host around the real <see cref="LifecycleCoordinator"/>: it carries out the commands the machine
/// returns (steps end as scripted, timers run on a <see cref="FakeTimeProvider"/>, killed processes report their
/// exit late like real ones) and records every state each component goes through.
/// </summary>
internal sealed class LifecycleHarness
{
    private readonly Queue<(string Component, LifecycleEvent Event)> _pending = new();
    private readonly Dictionary<(string, LifecycleStepKind), Queue<StepOutcome>> _scripts = [];
    private readonly Dictionary<long, ITimer> _timers = [];
    private readonly Dictionary<string, HashSet<long>> _alive = [];

    public LifecycleHarness(RestartPolicy? policy = null)
    {
        Coordinator = new LifecycleCoordinator(policy ?? RestartPolicy.Immediate);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public LifecycleCoordinator Coordinator { get; }

    public List<StateTransition> Transitions { get; } = [];

    public List<(string Component, LifecycleCommand Command)> Commands { get; } = [];

    public List<(string Component, string Reason)> Ignored { get; } = [];

    public ComponentState this[string name] => Coordinator[name].State;

    public LifecycleHarness Add(string name, LifecycleDefinition lifecycle, params PlannedDependency[] dependencies)
    {
        Absorb(Coordinator.Upsert(name, LifecycleSpec.From(lifecycle), dependencies, Time.GetUtcNow()));
        Pump();
        return this;
    }

    public void Remove(string name)
    {
        Absorb(Coordinator.Remove(name, Time.GetUtcNow()));
        Pump();
    }

    /// <summary>Queues what a step does on its next runs; unscripted steps exit 0, and Run spawns and stays.</summary>
    public LifecycleHarness Script(string name, LifecycleStepKind step, params StepOutcome[] outcomes)
    {
        if (!_scripts.TryGetValue((name, step), out var queue))
        {
            queue = new Queue<StepOutcome>();
            _scripts[(name, step)] = queue;
        }

        foreach (var outcome in outcomes)
        {
            queue.Enqueue(outcome);
        }

        return this;
    }

    public void Send(string name, LifecycleEvent lifecycleEvent)
    {
        _pending.Enqueue((name, lifecycleEvent));
        Pump();
    }

    public void Request(string name, DesiredRequest request) => Send(name, new DesiredStateChanged(request));

    public void Advance(TimeSpan by)
    {
        Time.Advance(by);
        Pump();
    }

    /// <summary>The states a component went through, starting with NEW.</summary>
    public IReadOnlyList<ComponentState> StatesOf(string name) =>
        [ComponentState.New, .. Transitions.Where(t => t.Component == name).Select(t => t.To)];

    public IEnumerable<RunStep> StepsRun(string name) =>
        Commands.Where(c => c.Component == name).Select(c => c.Command).OfType<RunStep>();

    /// <summary>Ids of the Run/Startup processes of a component that are still alive.</summary>
    public IReadOnlyCollection<long> AliveProcesses(string name) =>
        _alive.TryGetValue(name, out var set) ? set : [];

    private void Pump()
    {
        while (_pending.TryDequeue(out var next))
        {
            Absorb(Coordinator.Handle(next.Component, next.Event, Time.GetUtcNow()));
        }
    }

    private void Absorb(CoordinatorResult result)
    {
        Transitions.AddRange(result.Transitions);
        Ignored.AddRange(result.Ignored);
        foreach (var (component, command) in result.Commands)
        {
            Commands.Add((component, command));
            Execute(component, command);
        }
    }

    private void Execute(string component, LifecycleCommand command)
    {
        switch (command)
        {
            case RunStep run:
                Run(component, run);
                break;
            case StartTimer start:
                _timers[start.TimerId] = Time.CreateTimer(
                    _ => _pending.Enqueue((component, new TimerElapsed(start.TimerId))), null, start.Delay, Timeout.InfiniteTimeSpan);
                break;
            case CancelTimer cancel when _timers.Remove(cancel.TimerId, out var timer):
                timer.Dispose();
                break;
            case StopStep stop:
                Kill(component, [stop.ExecutionId]);
                break;
            case KillAllProcesses:
                Kill(component, [.. AliveProcesses(component)]);
                break;
        }
    }

    private void Run(string component, RunStep run)
    {
        var outcome = _scripts.TryGetValue((component, run.Step), out var queue) && queue.TryDequeue(out var scripted)
            ? scripted
            : run.Step == LifecycleStepKind.Run ? StepOutcome.Spawn : StepOutcome.Exit(0);
        switch (outcome)
        {
            case ExitOutcome exit:
                _pending.Enqueue((component, new StepSpawned(run.ExecutionId)));
                _pending.Enqueue((component, new StepExited(run.ExecutionId, exit.Code)));
                break;
            case SpawnOutcome:
                Alive(component).Add(run.ExecutionId);
                _pending.Enqueue((component, new StepSpawned(run.ExecutionId)));
                break;
            case HangOutcome:
                Alive(component).Add(run.ExecutionId);
                break;
            case SkipOutcome:
                _pending.Enqueue((component, new StepSkipped(run.ExecutionId)));
                break;
            case FailOutcome fail:
                _pending.Enqueue((component, new StepFailed(run.ExecutionId, fail.Reason, fail.Code)));
                break;
        }
    }

    private void Kill(string component, IEnumerable<long> executions)
    {
        foreach (var id in executions)
        {
            // A killed process still reports its exit (SIGTERM: 143), late, like a real one.
            if (Alive(component).Remove(id))
            {
                _pending.Enqueue((component, new StepExited(id, 143)));
            }
        }
    }

    private HashSet<long> Alive(string component)
    {
        if (!_alive.TryGetValue(component, out var set))
        {
            set = [];
            _alive[component] = set;
        }

        return set;
    }
}

internal static class Steps
{
    public static LifecycleStep Script(string script, int? timeoutSeconds = null) =>
        new() { Script = script, TimeoutSeconds = timeoutSeconds };

    public static LifecycleDefinition RunService => new()
    {
        Install = Script("install.sh"),
        Run = Script("run.sh"),
        Shutdown = Script("shutdown.sh"),
    };

    public static LifecycleDefinition StartupService => new()
    {
        Install = Script("install.sh"),
        Startup = Script("startup.sh"),
        Shutdown = Script("shutdown.sh"),
    };
}
