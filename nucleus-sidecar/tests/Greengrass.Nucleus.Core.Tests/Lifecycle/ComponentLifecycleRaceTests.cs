using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Core.Lifecycle;
using static Greengrass.Nucleus.Contracts.ComponentState;

namespace Greengrass.Nucleus.Core.Tests.Lifecycle;

/// <summary>Requests and reports that arrive while a step is still running, and inputs that are late or cannot run.</summary>
public sealed class ComponentLifecycleRaceTests
{
    private const string Name = "com.example.Service";

    [Fact]
    public void StartupAndRun_BothDefined_OnlyStartupRuns()
    {
        var lifecycle = Steps.StartupService with { Run = Steps.Script("run.sh") };
        var host = new LifecycleHarness().Add(Name, lifecycle);

        host.Request(Name, DesiredRequest.Start);

        Assert.Equal(Running, host[Name]);
        Assert.DoesNotContain(host.StepsRun(Name), s => s.Step == LifecycleStepKind.Run);
    }

    [Fact]
    public void RunCannotSpawn_ErroredWithRunErrorAndTheHostsReason()
    {
        var host = new LifecycleHarness().Add(Name, Steps.RunService)
            .Script(Name, LifecycleStepKind.Run, StepOutcome.Fail("exec format error"));

        host.Request(Name, DesiredRequest.Start);

        var error = host.Transitions.Single(t => t.To == Errored);
        Assert.Equal(Starting, error.From);
        Assert.Equal("RUN_ERROR", error.StatusCode);
        Assert.Equal("exec format error", error.Reason);
        Assert.Equal(Running, host[Name]);
    }

    [Fact]
    public void Stop_WhileInstalling_InstallFinishesThenFinished()
    {
        var host = new LifecycleHarness().Add(Name, Steps.RunService).Script(Name, LifecycleStepKind.Install, StepOutcome.Hang);
        host.Request(Name, DesiredRequest.Start);
        var install = host.StepsRun(Name).Single().ExecutionId;

        host.Request(Name, DesiredRequest.Stop);
        Assert.Equal(New, host[Name]);
        host.Send(Name, new StepExited(install, 0));

        Assert.Equal([New, Installed, Finished], host.StatesOf(Name));
        Assert.DoesNotContain(host.StepsRun(Name), s => s.Step == LifecycleStepKind.Run);
    }

    [Fact]
    public void Restart_WhileRecoverRuns_TakesEffectAfterRecover()
    {
        var lifecycle = Steps.RunService with { Recover = Steps.Script("recover.sh") };
        var host = new LifecycleHarness().Add(Name, lifecycle)
            .Script(Name, LifecycleStepKind.Run, StepOutcome.Exit(1))
            .Script(Name, LifecycleStepKind.Recover, StepOutcome.Hang);
        host.Request(Name, DesiredRequest.Start);
        var recover = host.StepsRun(Name).Single(s => s.Step == LifecycleStepKind.Recover).ExecutionId;

        host.Request(Name, DesiredRequest.Restart);
        Assert.Equal(Errored, host[Name]);
        host.Send(Name, new StepExited(recover, 0));

        Assert.Equal([Errored, Stopping, Installed, Starting, Running], host.StatesOf(Name).Skip(4));
    }

    [Fact]
    public void LateTimer_AfterItWasCancelled_Ignored()
    {
        var host = new LifecycleHarness().Add(Name, Steps.StartupService);
        host.Request(Name, DesiredRequest.Start);
        var startupTimer = host.Commands.Select(c => c.Command).OfType<StartTimer>().First().TimerId;

        host.Send(Name, new TimerElapsed(startupTimer));

        Assert.Equal(Running, host[Name]);
        Assert.Contains(host.Ignored, i => i.Reason.Contains("no longer pending", StringComparison.Ordinal));
    }
}
