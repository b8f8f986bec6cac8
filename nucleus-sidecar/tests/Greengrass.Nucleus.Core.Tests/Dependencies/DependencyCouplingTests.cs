using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Core.Lifecycle;
using Greengrass.Nucleus.Core.Tests.Lifecycle;
using static Greengrass.Nucleus.Contracts.ComponentState;

namespace Greengrass.Nucleus.Core.Tests.Dependencies;

public sealed class DependencyCouplingTests
{
    private static PlannedDependency Hard(string name) => new() { Name = name, Type = DependencyType.Hard };

    private static PlannedDependency Soft(string name) => new() { Name = name, Type = DependencyType.Soft };

    // C depends on B, B depends on A, all HARD.
    private static LifecycleHarness Chain(RestartPolicy? policy = null) => new LifecycleHarness(policy)
        .Add("C", Steps.RunService, Hard("B"))
        .Add("B", Steps.RunService, Hard("A"))
        .Add("A", Steps.RunService);

    // app depends HARD on db; db started first, then app: both RUNNING.
    private static LifecycleHarness AppRunningOnDb()
    {
        var host = new LifecycleHarness().Add("app", Steps.RunService, Hard("db")).Add("db", Steps.RunService);
        host.Request("db", DesiredRequest.Start);
        host.Request("app", DesiredRequest.Start);
        return host;
    }

    private static List<string> RunningOrder(LifecycleHarness host) =>
        host.Transitions.Where(t => t.To == Running).Select(t => t.Component).ToList();

    [Fact]
    public void HardChain_StartedInReverseOrder_RunsDependenciesFirst()
    {
        var host = Chain();

        host.Request("C", DesiredRequest.Start);
        host.Request("B", DesiredRequest.Start);
        Assert.Equal(Installed, host["C"]);
        Assert.Equal(Installed, host["B"]);
        Assert.DoesNotContain(host.StepsRun("B"), s => s.Step == LifecycleStepKind.Run);

        host.Request("A", DesiredRequest.Start);

        Assert.Equal(["A", "B", "C"], RunningOrder(host));
    }

    [Fact]
    public void HardChain_DependencyRestarts_DependentsRestartAndComeBackInOrder()
    {
        var host = Chain();
        foreach (var name in new[] { "A", "B", "C" })
        {
            host.Request(name, DesiredRequest.Start);
        }

        host.Transitions.Clear();
        host.Request("A", DesiredRequest.Restart);

        Assert.Equal([Stopping, Installed, Starting, Running], host.StatesOf("B").Skip(1));
        Assert.Equal([Stopping, Installed, Starting, Running], host.StatesOf("C").Skip(1));
        Assert.Equal(["A", "B", "C"], RunningOrder(host));
    }

    [Fact]
    public void HardDependency_StoppingThenErrored_DependentRestartsOnlyWhenItErrs()
    {
        var host = new LifecycleHarness()
            .Add("app", Steps.RunService, Hard("db"))
            .Add("db", Steps.RunService)
            .Script("db", LifecycleStepKind.Shutdown, StepOutcome.Hang);
        host.Request("db", DesiredRequest.Start);
        host.Request("app", DesiredRequest.Start);

        host.Request("db", DesiredRequest.Stop);
        Assert.Equal(Stopping, host["db"]);
        Assert.Equal([New, Installed, Starting, Running], host.StatesOf("app"));

        // The Shutdown times out: db passes through ERRORED (not ready) and ends FINISHED (ready again).
        host.Advance(TimeSpan.FromSeconds(15));

        Assert.Equal(Finished, host["db"]);
        Assert.Equal([Running, Stopping, Installed, Starting, Running], host.StatesOf("app").Skip(3));
    }

    [Fact]
    public void HardDependency_StoppedCleanly_DependentIsNotRestarted()
    {
        var host = AppRunningOnDb();

        host.Request("db", DesiredRequest.Stop);

        Assert.Equal(Finished, host["db"]);
        Assert.Equal([New, Installed, Starting, Running], host.StatesOf("app"));
    }

    [Fact]
    public void HardDependency_FinishesNormally_DependentKeepsRunning()
    {
        var host = new LifecycleHarness()
            .Add("app", Steps.RunService, Hard("setup"))
            .Add("setup", Steps.RunService)
            .Script("setup", LifecycleStepKind.Run, StepOutcome.Exit(0));

        host.Request("setup", DesiredRequest.Start);
        host.Request("app", DesiredRequest.Start);

        Assert.Equal(Finished, host["setup"]);
        Assert.Equal([New, Installed, Starting, Running], host.StatesOf("app"));
    }

    // Either order: the dependency already BROKEN when the dependent is asked to start, or breaking while it waits.
    [Theory]
    [InlineData(DependencyType.Hard, true, Installed)]
    [InlineData(DependencyType.Hard, false, Installed)]
    [InlineData(DependencyType.Soft, true, Running)]
    [InlineData(DependencyType.Soft, false, Running)]
    public void BrokenDependency_EitherStartOrder_HardKeepsDependentInstalledSoftDoesNotBlock(DependencyType type, bool dependentFirst, ComponentState dependent)
    {
        var host = new LifecycleHarness()
            .Add("app", Steps.RunService, new PlannedDependency { Name = "bad", Type = type })
            .Add("bad", Steps.RunService)
            .Script("bad", LifecycleStepKind.Install, StepOutcome.Exit(1), StepOutcome.Exit(1), StepOutcome.Exit(1));

        foreach (var name in dependentFirst ? new[] { "app", "bad" } : new[] { "bad", "app" })
        {
            host.Request(name, DesiredRequest.Start);
        }

        Assert.Equal(Broken, host["bad"]);
        Assert.Equal(dependent, host["app"]);
    }

    [Fact]
    public void SoftDependency_Restarts_DependentIsNotRestarted()
    {
        var host = new LifecycleHarness()
            .Add("app", Steps.RunService, Soft("lib"))
            .Add("lib", Steps.RunService);
        host.Request("lib", DesiredRequest.Start);
        host.Request("app", DesiredRequest.Start);

        host.Request("lib", DesiredRequest.Restart);

        Assert.Equal([New, Installed, Starting, Running], host.StatesOf("app"));
    }

    [Fact]
    public void HardDependency_StartupFails_NotReadyWhileStoppingAfterIt()
    {
        var host = new LifecycleHarness()
            .Add("app", Steps.RunService, Hard("db"))
            .Add("db", Steps.StartupService)
            .Script("db", LifecycleStepKind.Startup, StepOutcome.Exit(1))
            .Script("db", LifecycleStepKind.Shutdown, StepOutcome.Hang);

        host.Request("app", DesiredRequest.Start);
        host.Request("db", DesiredRequest.Start);

        Assert.Equal(Stopping, host["db"]);
        Assert.True(host.Coordinator["db"].StoppingAfterStartupError);
        Assert.Equal(Installed, host["app"]);
    }

    [Fact]
    public void DependencyAddedLater_DependentWaitsUntilItRuns()
    {
        var host = new LifecycleHarness().Add("app", Steps.RunService, Hard("late"));

        host.Request("app", DesiredRequest.Start);
        Assert.Equal(Installed, host["app"]);

        host.Add("late", Steps.RunService);
        host.Request("late", DesiredRequest.Start);

        Assert.Equal(Running, host["app"]);
    }

    [Fact]
    public void NewHardDependencyNotReady_RunningComponentRestartsAndWaits()
    {
        var host = new LifecycleHarness().Add("app", Steps.RunService).Add("db", Steps.RunService);
        host.Request("app", DesiredRequest.Start);

        host.Add("app", Steps.RunService, Hard("db"));

        Assert.Equal([Running, Stopping, Installed], host.StatesOf("app").Skip(3));
    }

    [Fact]
    public void RemovedHardDependency_DependentStillNamingItRestartsAndWaits()
    {
        var host = AppRunningOnDb();
        host.Request("db", DesiredRequest.Stop);
        Assert.Equal(Running, host["app"]);

        host.Remove("db");

        Assert.False(host.Coordinator.Contains("db"));
        Assert.False(host.Coordinator.DependenciesReady("app"));
        Assert.Equal([Running, Stopping, Installed], host.StatesOf("app").Skip(3));
    }

    [Fact]
    public void HardDependency_ErrorsAndRecoversWithinOneEvent_DependentIsStillRestarted()
    {
        var host = AppRunningOnDb();

        host.Send("db", new StateReported(Errored));

        Assert.Equal(Running, host["db"]);
        Assert.Equal([Running, Stopping, Installed, Starting, Running], host.StatesOf("app").Skip(3));
    }
}
