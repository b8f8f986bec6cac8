using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Core.Dependencies;
using Greengrass.Nucleus.Core.Deployment;
using Greengrass.Nucleus.Core.Lifecycle;
using Greengrass.Nucleus.Core.Planning;
using Greengrass.Nucleus.Core.Tests.Lifecycle;
using static Greengrass.Nucleus.Contracts.ComponentState;
using static Greengrass.Nucleus.Core.Tests.Planning.PlanFixtures;

namespace Greengrass.Nucleus.Core.Tests.Deployment;

/// <summary>Planner, state machines and outcome together, the way the nucleus host drives them.</summary>
public sealed class DeploymentScenarioTests
{
    private readonly LifecycleHarness _host = new();
    private readonly Dictionary<string, PlannedComponent> _applied = new(StringComparer.Ordinal);

    [Fact]
    public void Deploy_DependencyChain_SucceedsWhenAllRun()
    {
        var plan = Plan(Component("web", "1.0.0", "api"), Component("api", "1.0.0", "db"), Component("db"));

        var awaited = Apply(plan);

        Assert.Equal(DeploymentStatus.Succeeded, Decide(plan, DeploymentPhase.Applying, awaited, []).Status);
        Assert.Equal(["db", "api", "web"], _host.Transitions.Where(t => t.To == Running).Select(t => t.Component));
    }

    [Fact]
    public void Deploy_NewVersionBreaksWithRollback_PreviousVersionRestored()
    {
        var v1 = Plan(Component("app"), Component("db"));
        Apply(v1);
        var v2 = Plan(Component("app", "2.0.0", "db"), Component("db"));
        _host.Script("app", LifecycleStepKind.Run, StepOutcome.Exit(1), StepOutcome.Exit(1), StepOutcome.Exit(1));

        var awaited = Apply(v2);
        var decision = Decide(v2, DeploymentPhase.Applying, awaited, []);
        Assert.Equal(OutcomeKind.RollBack, decision.Kind);
        Assert.Equal(["app"], decision.BrokenComponents);

        // Rolling back waits for the whole restored set, not only what the rollback changed.
        Apply(v1);
        var final = Decide(v1, DeploymentPhase.RollingBack, [.. v1.Components.Select(c => c.Name)], []);

        Assert.Equal(DeploymentStatus.FailedRollbackComplete, final.Status);
        Assert.Equal("1.0.0", _applied["app"].Version);
        Assert.Equal(Running, _host["app"]);
    }

    [Fact]
    public void Deploy_NewVersionBreaksWithDoNothing_LeftBroken()
    {
        Apply(Plan(Component("app")));
        var v2 = Plan(Component("app", "2.0.0")) with { Policies = new DeploymentPolicies { FailureHandling = FailureHandlingPolicy.DoNothing } };
        _host.Script("app", LifecycleStepKind.Install, StepOutcome.Exit(1), StepOutcome.Exit(1), StepOutcome.Exit(1));

        var awaited = Apply(v2);
        var decision = Decide(v2, DeploymentPhase.Applying, awaited, []);

        Assert.Equal(DeploymentStatus.FailedRollbackNotRequested, decision.Status);
        Assert.Equal(Broken, _host["app"]);
        Assert.Equal(DeviceHealth.Unhealthy, DeploymentOutcome.Health(_host.Coordinator.Components.Select(c => _host[c])));
    }

    [Fact]
    public void Deploy_SameSetAgain_HealsBrokenComponent()
    {
        var plan = Plan(Component("app"));
        _host.Script("app", LifecycleStepKind.Run, StepOutcome.Exit(1), StepOutcome.Exit(1), StepOutcome.Exit(1));
        Apply(plan);
        Assert.Equal(Broken, _host["app"]);

        var awaited = Apply(plan);

        Assert.Equal(["app"], awaited);
        Assert.Equal(DeploymentStatus.Succeeded, Decide(plan, DeploymentPhase.Applying, awaited, []).Status);
    }

    private IReadOnlyList<string> Apply(DevicePlan plan)
    {
        var current = CurrentState.From(_applied.Values.Select(c => new CurrentComponent(c, _host[c.Name])));
        var steps = DeploymentPlanner.Plan(plan, current);
        foreach (var step in steps)
        {
            if (step.Target is { } target)
            {
                _host.Add(target.Name, target.Lifecycle, [.. target.Dependencies]);
                _applied[target.Name] = target;
            }

            if (PlanStepActions.RequestFor(step.Kind) is { } request)
            {
                _host.Request(step.Component, request);
            }

            if (step.Kind == PlanStepKind.Remove)
            {
                _host.Remove(step.Component);
                _applied.Remove(step.Component);
            }
        }

        return DeploymentPlanner.ComponentsToAwait(steps);
    }

    private OutcomeDecision Decide(DevicePlan plan, DeploymentPhase phase, IReadOnlyCollection<string> awaited, HashSet<string> brokenBefore) =>
        DeploymentOutcome.Decide(new DeploymentProgress(
            phase,
            plan.Policies.FailureHandling,
            awaited,
            _host.Coordinator.Components.ToDictionary(c => c, c => _host[c]),
            brokenBefore,
            DependencyGraph.From(plan.Components)));
}
