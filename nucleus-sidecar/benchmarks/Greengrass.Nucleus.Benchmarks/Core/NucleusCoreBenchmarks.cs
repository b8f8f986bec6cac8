using BenchmarkDotNet.Attributes;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Core.Lifecycle;
using Greengrass.Nucleus.Core.Planning;

namespace Greengrass.Nucleus.Benchmarks.Core;

/// <summary>Cost of planning a deployment and of starting a device's components through the state machines.</summary>
[MemoryDiagnoser]
public class NucleusCoreBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private DevicePlan _desired = null!;
    private CurrentState _current = null!;

    [Params(50, 500)]
    public int Components { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Every component depends on the one before it: the deepest ordering the planner can meet.
        var components = Enumerable.Range(0, Components).Select(i => Component(i, "1.0.0")).ToList();
        _desired = Plan(components.Select((c, i) => i % 3 == 0 ? c with { Version = "2.0.0" } : c).ToList());
        _current = CurrentState.From(components.Select(c => new CurrentComponent(c, ComponentState.Running)));
    }

    [Benchmark]
    public int PlanDeployment() => DeploymentPlanner.Plan(_desired, _current).Count;

    [Benchmark]
    public int StartAllThroughStateMachines()
    {
        var coordinator = new LifecycleCoordinator(RestartPolicy.Immediate);
        foreach (var component in _desired.Components)
        {
            coordinator.Upsert(component, Now);
        }

        // Start the last component first so every start waits on its HARD dependency and cascades.
        var pending = new Queue<(string, LifecycleEvent)>();
        foreach (var component in _desired.Components.Reverse())
        {
            pending.Enqueue((component.Name, new DesiredStateChanged(DesiredRequest.Start)));
        }

        var transitions = 0;
        while (pending.TryDequeue(out var next))
        {
            var result = coordinator.Handle(next.Item1, next.Item2, Now);
            transitions += result.Transitions.Count;
            foreach (var (name, command) in result.Commands)
            {
                if (command is RunStep run)
                {
                    // Install exits 0; Run is spawned and stays.
                    pending.Enqueue((name, run.Step == LifecycleStepKind.Run ? new StepSpawned(run.ExecutionId) : new StepExited(run.ExecutionId, 0)));
                }
            }
        }

        return transitions;
    }

    private static PlannedComponent Component(int i, string version) => new()
    {
        Name = $"com.example.C{i:D4}",
        Version = version,
        Lifecycle = new LifecycleDefinition
        {
            Install = new LifecycleStep { Script = "install" },
            Run = new LifecycleStep { Script = "run" },
        },
        Dependencies = i == 0 ? [] : [new PlannedDependency { Name = $"com.example.C{i - 1:D4}" }],
    };

    private static DevicePlan Plan(IReadOnlyList<PlannedComponent> components) => new()
    {
        SchemaVersion = DevicePlan.CurrentSchemaVersion,
        ThingName = "bench",
        DeploymentId = "bench",
        Revision = 1,
        CreationTimestamp = Now,
        GroupId = "thing/bench",
        Components = components,
    };
}
