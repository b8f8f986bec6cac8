using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Core.Lifecycle;
using static Greengrass.Nucleus.Contracts.ComponentState;

namespace Greengrass.Nucleus.Core.Tests.Lifecycle;

public sealed class ComponentLifecycleTests
{
    private const string Name = "com.example.Service";

    [Fact]
    public void RunService_Start_IsRunningAsSoonAsSpawned()
    {
        var host = new LifecycleHarness().Add(Name, Steps.RunService);

        host.Request(Name, DesiredRequest.Start);

        Assert.Equal([New, Installed, Starting, Running], host.StatesOf(Name));
        Assert.Equal([LifecycleStepKind.Install, LifecycleStepKind.Run], host.StepsRun(Name).Select(s => s.Step));
        Assert.Single(host.AliveProcesses(Name));
    }

    [Fact]
    public void RunService_SpawnNotYetConfirmed_StaysStarting()
    {
        var host = new LifecycleHarness().Add(Name, Steps.RunService).Script(Name, LifecycleStepKind.Run, StepOutcome.Hang);

        host.Request(Name, DesiredRequest.Start);

        Assert.Equal(Starting, host[Name]);
    }

    [Fact]
    public void StartupService_ExitsZero_IsRunning()
    {
        var host = new LifecycleHarness().Add(Name, Steps.StartupService);

        host.Request(Name, DesiredRequest.Start);

        Assert.Equal([New, Installed, Starting, Running], host.StatesOf(Name));
        // The startup timeout is cancelled once RUNNING, so it never fires later.
        host.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(Running, host[Name]);
        Assert.Empty(host.Ignored);
    }

    [Fact]
    public void StartupService_ProcessAliveWithoutReport_StaysStartingUntilIpcReportsRunning()
    {
        var host = new LifecycleHarness().Add(Name, Steps.StartupService).Script(Name, LifecycleStepKind.Startup, StepOutcome.Spawn);

        host.Request(Name, DesiredRequest.Start);
        Assert.Equal(Starting, host[Name]);

        host.Send(Name, new StateReported(Running));

        Assert.Equal(Running, host[Name]);
        Assert.Single(host.AliveProcesses(Name));
    }

    [Fact]
    public void StartupService_NoReportWithin120Seconds_ErroredWithStartupTimeout()
    {
        var host = new LifecycleHarness().Add(Name, Steps.StartupService)
            .Script(Name, LifecycleStepKind.Startup, StepOutcome.Spawn, StepOutcome.Exit(0));

        host.Request(Name, DesiredRequest.Start);
        host.Advance(TimeSpan.FromSeconds(119));
        Assert.Equal(Starting, host[Name]);

        host.Advance(TimeSpan.FromSeconds(1));

        var error = Assert.Single(host.Transitions, t => t.To == Errored);
        Assert.Equal("STARTUP_TIMEOUT", error.StatusCode);
        Assert.Equal(Running, host[Name]);
        Assert.Equal([New, Installed, Starting, Errored, Stopping, Installed, Starting, Running], host.StatesOf(Name));
    }

    [Fact]
    public void StartupService_ExitsNonZero_ErroredWithStartupErrorAndCode()
    {
        var host = new LifecycleHarness().Add(Name, Steps.StartupService).Script(Name, LifecycleStepKind.Startup, StepOutcome.Exit(3));

        host.Request(Name, DesiredRequest.Start);

        var error = Assert.Single(host.Transitions, t => t.To == Errored);
        Assert.Equal("STARTUP_ERROR", error.StatusCode);
        Assert.Equal("The startup script exited with code 3.", error.Reason);
        Assert.Equal(Running, host[Name]);
    }

    [Fact]
    public void OneShotRun_ExitsZero_StopsToFinishedWithoutError()
    {
        var host = new LifecycleHarness().Add(Name, Steps.RunService).Script(Name, LifecycleStepKind.Run, StepOutcome.Exit(0));

        host.Request(Name, DesiredRequest.Start);

        Assert.Equal([New, Installed, Starting, Running, Stopping, Finished], host.StatesOf(Name));
        Assert.Contains(host.StepsRun(Name), s => s.Step == LifecycleStepKind.Shutdown);
        Assert.Empty(host.Coordinator[Name].DesiredStates);
    }

    [Fact]
    public void NoStartupNoRun_Start_GoesFromStartingToFinished()
    {
        var host = new LifecycleHarness().Add(Name, new LifecycleDefinition { Install = Steps.Script("install.sh") });

        host.Request(Name, DesiredRequest.Start);

        Assert.Equal([New, Installed, Starting, Finished], host.StatesOf(Name));
    }

    [Fact]
    public void NoSteps_Install_IsInstalledWithoutRunningAnything()
    {
        var host = new LifecycleHarness().Add(Name, new LifecycleDefinition());

        host.Request(Name, DesiredRequest.Install);

        Assert.Equal([New, Installed], host.StatesOf(Name));
        Assert.Empty(host.StepsRun(Name));
    }

    [Fact]
    public void RunExitsNonZero_ErroredThenRetried()
    {
        var host = new LifecycleHarness().Add(Name, Steps.RunService).Script(Name, LifecycleStepKind.Run, StepOutcome.Exit(1));

        host.Request(Name, DesiredRequest.Start);

        Assert.Equal([New, Installed, Starting, Running, Errored, Stopping, Installed, Starting, Running], host.StatesOf(Name));
        Assert.Equal("RUN_ERROR", host.Transitions.Single(t => t.To == Errored).StatusCode);
        Assert.Equal(1, host.Coordinator[Name].RestartCount);
    }

    [Fact]
    public void RunTimeout_ProcessStillAlive_ErroredWithRunTimeoutAndKilled()
    {
        var lifecycle = Steps.RunService with { Run = Steps.Script("run.sh", timeoutSeconds: 30) };
        var host = new LifecycleHarness().Add(Name, lifecycle);

        host.Request(Name, DesiredRequest.Start);
        var first = host.AliveProcesses(Name).Single();
        host.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal("RUN_TIMEOUT", host.Transitions.Single(t => t.To == Errored).StatusCode);
        Assert.Contains(host.Commands, c => c.Command is StopStep s && s.ExecutionId == first);
        Assert.Equal(Running, host[Name]);
    }

    [Fact]
    public void InstallFails_RetriesInstallFromNew()
    {
        var host = new LifecycleHarness().Add(Name, Steps.RunService).Script(Name, LifecycleStepKind.Install, StepOutcome.Exit(2));

        host.Request(Name, DesiredRequest.Start);

        Assert.Equal([New, Errored, New, Installed, Starting, Running], host.StatesOf(Name));
        Assert.Equal("INSTALL_ERROR", host.Transitions.Single(t => t.To == Errored).StatusCode);
    }

    [Fact]
    public void InstallHangs_After120Seconds_InstallTimeoutAndStepStopped()
    {
        var host = new LifecycleHarness().Add(Name, Steps.RunService).Script(Name, LifecycleStepKind.Install, StepOutcome.Hang);

        host.Request(Name, DesiredRequest.Start);
        host.Advance(TimeSpan.FromSeconds(119));
        Assert.Equal(New, host[Name]);
        host.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("INSTALL_TIMEOUT", host.Transitions.Single(t => t.To == Errored).StatusCode);
        Assert.Contains(host.Commands, c => c.Command is StopStep);
        Assert.Equal(Running, host[Name]);
    }

    [Fact]
    public void InstallCannotRun_StepFailedCodeIsReported()
    {
        var host = new LifecycleHarness().Add(Name, Steps.RunService)
            .Script(Name, LifecycleStepKind.Install, StepOutcome.Fail("no default user", "INSTALL_MISSING_DEFAULT_RUNWITH"));

        host.Request(Name, DesiredRequest.Start);

        var error = host.Transitions.Single(t => t.To == Errored);
        Assert.Equal("INSTALL_MISSING_DEFAULT_RUNWITH", error.StatusCode);
        Assert.Equal("no default user", error.Reason);
    }

    [Fact]
    public void Stop_Running_ShutsDownToFinishedAndKillsProcesses()
    {
        var host = new LifecycleHarness().Add(Name, Steps.RunService);
        host.Request(Name, DesiredRequest.Start);

        host.Request(Name, DesiredRequest.Stop);

        Assert.Equal([New, Installed, Starting, Running, Stopping, Finished], host.StatesOf(Name));
        Assert.Empty(host.AliveProcesses(Name));
        Assert.Contains(host.Ignored, i => i.Reason.Contains("no longer current", StringComparison.Ordinal));
    }

    [Fact]
    public void IsClosable_OnlyInStatesWithoutLiveProcesses()
    {
        var host = new LifecycleHarness().Add(Name, Steps.RunService);
        Assert.True(host.Coordinator[Name].IsClosable);

        host.Request(Name, DesiredRequest.Start);
        Assert.False(host.Coordinator[Name].IsClosable);

        host.Request(Name, DesiredRequest.Stop);
        Assert.True(host.Coordinator[Name].IsClosable);
    }

    [Fact]
    public void Start_AfterStop_RunsAgainFromFinished()
    {
        var host = new LifecycleHarness().Add(Name, Steps.RunService);
        host.Request(Name, DesiredRequest.Start);
        host.Request(Name, DesiredRequest.Stop);

        host.Request(Name, DesiredRequest.Start);

        Assert.Equal([Finished, Installed, Starting, Running], host.StatesOf(Name).Skip(5));
    }

    [Fact]
    public void Restart_Running_GoesThroughInstalledAndIgnoresTheKilledProcessExit()
    {
        var host = new LifecycleHarness().Add(Name, Steps.RunService);
        host.Request(Name, DesiredRequest.Start);

        host.Request(Name, DesiredRequest.Restart);

        Assert.Equal([Running, Stopping, Installed, Starting, Running], host.StatesOf(Name).Skip(3));
        Assert.DoesNotContain(host.Transitions, t => t.To == Errored);
        Assert.Single(host.AliveProcesses(Name));
    }

    [Fact]
    public void Restart_NewWithNothingPending_Ignored()
    {
        var host = new LifecycleHarness().Add(Name, Steps.RunService);

        host.Request(Name, DesiredRequest.Restart);

        Assert.Equal([New], host.StatesOf(Name));
        Assert.Single(host.Ignored);
    }

    [Fact]
    public void Reinstall_Running_RunsInstallAgain()
    {
        var host = new LifecycleHarness().Add(Name, Steps.RunService);
        host.Request(Name, DesiredRequest.Start);

        host.Request(Name, DesiredRequest.Reinstall);

        Assert.Equal([Running, Stopping, New, Installed, Starting, Running], host.StatesOf(Name).Skip(3));
        Assert.Equal(2, host.StepsRun(Name).Count(s => s.Step == LifecycleStepKind.Install));
    }

    [Fact]
    public void ShutdownHangs_After15Seconds_ErroredWithShutdownTimeout()
    {
        var host = new LifecycleHarness().Add(Name, Steps.RunService).Script(Name, LifecycleStepKind.Shutdown, StepOutcome.Hang);
        host.Request(Name, DesiredRequest.Start);
        host.Request(Name, DesiredRequest.Stop);
        host.Advance(TimeSpan.FromSeconds(14));
        Assert.Equal(Stopping, host[Name]);

        host.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("SHUTDOWN_TIMEOUT", host.Transitions.Single(t => t.To == Errored).StatusCode);
        Assert.Equal(Finished, host[Name]);
        Assert.Empty(host.AliveProcesses(Name));
    }

    [Fact]
    public void Shutdown_AfterSpecChange_UsesTheScriptCapturedAtStart()
    {
        var host = new LifecycleHarness().Add(Name, Steps.RunService);
        host.Request(Name, DesiredRequest.Start);
        host.Coordinator[Name].UpdateSpec(LifecycleSpec.From(Steps.RunService with { Shutdown = Steps.Script("new-shutdown.sh") }));

        host.Request(Name, DesiredRequest.Stop);

        Assert.Equal("shutdown.sh", host.StepsRun(Name).Last(s => s.Step == LifecycleStepKind.Shutdown).Definition.Script);
    }

    [Fact]
    public void SkippedInstall_CountsAsInstalled()
    {
        var host = new LifecycleHarness().Add(Name, Steps.RunService).Script(Name, LifecycleStepKind.Install, StepOutcome.Skip);

        host.Request(Name, DesiredRequest.Start);

        Assert.Equal([New, Installed, Starting, Running], host.StatesOf(Name));
    }

    [Fact]
    public void SkippedStartup_FallsThroughToRun()
    {
        var lifecycle = Steps.StartupService with { Run = Steps.Script("run.sh") };
        var host = new LifecycleHarness().Add(Name, lifecycle).Script(Name, LifecycleStepKind.Startup, StepOutcome.Skip);

        host.Request(Name, DesiredRequest.Start);

        Assert.Equal(Running, host[Name]);
        Assert.Equal(LifecycleStepKind.Run, host.StepsRun(Name).Last().Step);
    }
}
