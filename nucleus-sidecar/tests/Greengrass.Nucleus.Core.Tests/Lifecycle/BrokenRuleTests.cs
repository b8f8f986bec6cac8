using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Core.Lifecycle;
using static Greengrass.Nucleus.Contracts.ComponentState;

namespace Greengrass.Nucleus.Core.Tests.Lifecycle;

public sealed class BrokenRuleTests
{
    private const string Name = "com.example.Crashy";

    [Fact]
    public void RunFailsThreeTimesInARow_Broken()
    {
        var host = new LifecycleHarness().Add(Name, Steps.RunService)
            .Script(Name, LifecycleStepKind.Run, StepOutcome.Exit(1), StepOutcome.Exit(1), StepOutcome.Exit(1));

        host.Request(Name, DesiredRequest.Start);

        Assert.Equal(
            [New, Installed, Starting, Running,
             Errored, Stopping, Installed, Starting, Running,
             Errored, Stopping, Installed, Starting, Running,
             Broken],
            host.StatesOf(Name));
        Assert.Equal("RUN_ERROR", host.Transitions[^1].StatusCode);
        Assert.Empty(host.AliveProcesses(Name));
    }

    [Fact]
    public void StartupFailsThreeTimes_BrokenAndRecoverRunsOnlyForTheFirstTwo()
    {
        var lifecycle = Steps.StartupService with { Recover = Steps.Script("recover.sh") };
        var host = new LifecycleHarness().Add(Name, lifecycle)
            .Script(Name, LifecycleStepKind.Startup, StepOutcome.Exit(1), StepOutcome.Exit(1), StepOutcome.Exit(1));

        host.Request(Name, DesiredRequest.Start);

        Assert.Equal(Broken, host[Name]);
        Assert.Equal(2, host.StepsRun(Name).Count(s => s.Step == LifecycleStepKind.Recover));
        Assert.Equal("STARTUP_ERROR", host.Transitions[^1].StatusCode);
    }

    [Fact]
    public void InstallFailsThreeTimes_BrokenFromNew()
    {
        var host = new LifecycleHarness().Add(Name, Steps.RunService)
            .Script(Name, LifecycleStepKind.Install, StepOutcome.Exit(1), StepOutcome.Exit(1), StepOutcome.Exit(1));

        host.Request(Name, DesiredRequest.Start);

        Assert.Equal([New, Errored, New, Errored, New, Broken], host.StatesOf(Name));
    }

    [Fact]
    public void ErrorsSpreadOverMoreThanErrorResetTime_NeverBroken()
    {
        var host = new LifecycleHarness().Add(Name, Steps.RunService);
        host.Request(Name, DesiredRequest.Start);

        for (var i = 0; i < 5; i++)
        {
            host.Advance(TimeSpan.FromSeconds(3600));
            host.Send(Name, new StateReported(Errored));
        }

        Assert.Equal(Running, host[Name]);
        Assert.Equal(5, host.Transitions.Count(t => t.To == Errored));
        Assert.Equal(1, host.Coordinator[Name].ErrorCount(Running));
    }

    [Fact]
    public void ErrorsJustInsideErrorResetTime_Broken()
    {
        var host = new LifecycleHarness().Add(Name, Steps.RunService);
        host.Request(Name, DesiredRequest.Start);

        for (var i = 0; i < 3; i++)
        {
            host.Advance(TimeSpan.FromSeconds(3599));
            host.Send(Name, new StateReported(Errored));
        }

        Assert.Equal(Broken, host[Name]);
    }

    [Fact]
    public void ErrorResetTimeOverride_ShorterWindowAvoidsBroken()
    {
        var lifecycle = Steps.RunService with { ErrorResetTimeSeconds = 60 };
        var host = new LifecycleHarness().Add(Name, lifecycle);
        host.Request(Name, DesiredRequest.Start);

        for (var i = 0; i < 3; i++)
        {
            host.Advance(TimeSpan.FromSeconds(61));
            host.Send(Name, new StateReported(Errored));
        }

        Assert.Equal(Running, host[Name]);
    }

    [Fact]
    public void ErrorsFromDifferentStates_CountedSeparatelyAndNotBroken()
    {
        // One error while installing (NEW), one while starting (STARTING), one while running (RUNNING).
        var host = new LifecycleHarness().Add(Name, Steps.StartupService)
            .Script(Name, LifecycleStepKind.Install, StepOutcome.Exit(1))
            .Script(Name, LifecycleStepKind.Startup, StepOutcome.Exit(1), StepOutcome.Spawn);

        host.Request(Name, DesiredRequest.Start);
        host.Send(Name, new StateReported(Running));
        host.Send(Name, new StateReported(Errored));

        Assert.Equal(3, host.Transitions.Count(t => t.To == Errored));
        Assert.DoesNotContain(host.Transitions, t => t.To == Broken);
        Assert.Equal(Running, host[Name]);
    }

    [Fact]
    public void Broken_RestartAndStartAreIgnored()
    {
        var host = BrokenHost();

        host.Request(Name, DesiredRequest.Restart);
        host.Request(Name, DesiredRequest.Start);

        Assert.Equal(Broken, host[Name]);
        Assert.Equal(2, host.Ignored.Count(i => i.Reason.Contains("BROKEN", StringComparison.Ordinal)));
    }

    [Fact]
    public void Broken_Reinstall_ClearsErrorsAndRunsAgain()
    {
        var host = BrokenHost();

        host.Request(Name, DesiredRequest.Reinstall);

        Assert.Equal([Broken, New, Installed, Starting, Running], host.StatesOf(Name).Skip(14));
        Assert.Equal(0, host.Coordinator[Name].ErrorCount(Running));
    }

    [Fact]
    public void Recover_RunsOnEveryErroredBeforeTheRetry()
    {
        var lifecycle = Steps.RunService with { Recover = Steps.Script("recover.sh") };
        var host = new LifecycleHarness().Add(Name, lifecycle).Script(Name, LifecycleStepKind.Run, StepOutcome.Exit(1));

        host.Request(Name, DesiredRequest.Start);

        var steps = host.StepsRun(Name).Select(s => s.Step).ToList();
        Assert.Equal(
            [LifecycleStepKind.Install, LifecycleStepKind.Run, LifecycleStepKind.Recover, LifecycleStepKind.Shutdown, LifecycleStepKind.Run],
            steps);
        Assert.Equal(Running, host[Name]);
    }

    [Fact]
    public void RecoverHangs_After60Seconds_RetryGoesAhead()
    {
        var lifecycle = Steps.RunService with { Recover = Steps.Script("recover.sh") };
        var host = new LifecycleHarness().Add(Name, lifecycle)
            .Script(Name, LifecycleStepKind.Run, StepOutcome.Exit(1))
            .Script(Name, LifecycleStepKind.Recover, StepOutcome.Hang);

        host.Request(Name, DesiredRequest.Start);
        host.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(Errored, host[Name]);

        host.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(Running, host[Name]);
    }

    [Fact]
    public void BackOff_RetryWaitsThenRestartCutsTheWaitShort()
    {
        var host = new LifecycleHarness(RestartPolicy.Default).Add(Name, Steps.RunService)
            .Script(Name, LifecycleStepKind.Run, StepOutcome.Exit(1), StepOutcome.Exit(1));

        host.Request(Name, DesiredRequest.Start);
        Assert.Equal(Errored, host[Name]);
        host.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(Errored, host[Name]);
        host.Advance(TimeSpan.FromMilliseconds(1));

        // The second error waits 2 s; an explicit restart does not wait.
        Assert.Equal(Errored, host[Name]);
        host.Request(Name, DesiredRequest.Restart);

        Assert.Equal(Running, host[Name]);
        Assert.Equal(2, host.Coordinator[Name].RestartCount);
    }

    private static LifecycleHarness BrokenHost()
    {
        var host = new LifecycleHarness().Add(Name, Steps.RunService)
            .Script(Name, LifecycleStepKind.Run, StepOutcome.Exit(1), StepOutcome.Exit(1), StepOutcome.Exit(1));
        host.Request(Name, DesiredRequest.Start);
        Assert.Equal(Broken, host[Name]);
        return host;
    }
}
