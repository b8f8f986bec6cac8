using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Tests.TestSupport;

namespace Greengrass.Nucleus.Tests.Runtime;

/// <summary>The sample components of <c>e2e/fixtures/components</c> run by a real runtime: states observed and files written.</summary>
[Collection(RuntimeCollection.Name)]
public sealed class SampleComponentTests
{
    private const string Service = "com.example.Service";

    [Fact]
    public async Task RunService_Deployed_InstallsOnceAndRuns()
    {
        await using var fixture = await RuntimeFixture.StartAsync();

        var report = await fixture.WaitForDeploymentAsync(await fixture.DeployAsync([Service]));

        Assert.True(report.Status == DeploymentStatus.Succeeded, $"{report.Status}: {report.FailureCause}");
        Assert.Equal("SUCCESSFUL", report.DetailedStatus);
        Assert.Equal([ComponentState.Installed, ComponentState.Starting, ComponentState.Running], fixture.StatesOf(Service));
        Assert.Single(fixture.Lines(fixture.WorkFile(Service, "installs.log")));
        await Eventually.HoldsAsync(() => fixture.Lines(fixture.WorkFile(Service, "starts.log")).Length == 1, "the service recorded its start");
        Assert.Equal(report.Revision, fixture.Runtime.Report().AppliedRevision);
        Assert.Empty(fixture.Logs.Errors);
    }

    [Fact]
    public async Task StartupService_BackgroundsAndExits_RunningUntilShutdownStopsIt()
    {
        const string name = "com.example.StartupService";
        var fixture = await RuntimeFixture.StartAsync();
        int pid;
        try
        {
            var report = await fixture.WaitForDeploymentAsync(await fixture.DeployAsync([name]));
            Assert.True(report.Status == DeploymentStatus.Succeeded, $"{report.Status}: {report.FailureCause}");
            Assert.Equal([ComponentState.Installed, ComponentState.Starting, ComponentState.Running], fixture.StatesOf(name));
            pid = int.Parse(File.ReadAllText(fixture.WorkFile(name, "service.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(Directory.Exists($"/proc/{pid}"), "the backgrounded service is alive while RUNNING");
            await fixture.Runtime.StopAsync(CancellationToken.None);
            Assert.Equal(["startup done", "shutdown"], fixture.Lines(fixture.WorkFile(name, "events.log")));
            Assert.Equal(ComponentState.Finished, fixture.StateOf(name));
        }
        finally
        {
            await fixture.DisposeAsync();
        }

        await Eventually.HoldsAsync(() => !File.Exists($"/proc/{pid}/cmdline") || File.ReadAllText($"/proc/{pid}/cmdline").Length == 0, "the service process is gone");
    }

    [Fact]
    public async Task InstallHeavy_InstallBuildsDataSet_RunFindsIt()
    {
        const string name = "com.example.InstallHeavy";
        await using var fixture = await RuntimeFixture.StartAsync();

        var report = await fixture.WaitForDeploymentAsync(await fixture.DeployAsync([name]));

        Assert.True(report.Status == DeploymentStatus.Succeeded, $"{report.Status}: {report.FailureCause}");
        Assert.Equal(200, Directory.GetFiles(fixture.WorkFile(name, "data"), "chunk-*.bin").Length);
        await Eventually.HoldsAsync(() => fixture.Lines(fixture.WorkFile(name, "events.log")).SequenceEqual(["data ok"]), "the run step found the data set");
    }

    [Fact]
    public async Task OneShot_RunExitsZero_FinishedWithResult()
    {
        const string name = "com.example.OneShot";
        await using var fixture = await RuntimeFixture.StartAsync();

        var report = await fixture.WaitForDeploymentAsync(await fixture.DeployAsync([name]));

        Assert.True(report.Status == DeploymentStatus.Succeeded, $"{report.Status}: {report.FailureCause}");
        // RUNNING already counts for the deployment; the exit that finishes the job comes a moment later.
        await fixture.WaitForStateAsync(name, ComponentState.Finished);
        Assert.Equal(
            [ComponentState.Installed, ComponentState.Starting, ComponentState.Running, ComponentState.Stopping, ComponentState.Finished],
            fixture.StatesOf(name));
        Assert.Equal(["job complete"], fixture.Lines(fixture.WorkFile(name, "result.txt")));
    }

    [Fact]
    public async Task OneShot_RestartAfterFinished_RunsAgainAndFinishes()
    {
        const string name = "com.example.OneShot";
        await using var fixture = await RuntimeFixture.StartAsync();
        await fixture.WaitForDeploymentAsync(await fixture.DeployAsync([name]));
        await fixture.WaitForStateAsync(name, ComponentState.Finished);
        File.Delete(fixture.WorkFile(name, "result.txt"));

        var restart = await fixture.Runtime.RequestAsync(name, Core.Lifecycle.DesiredRequest.Restart);

        Assert.True(restart.Succeeded, restart.Message);
        await Eventually.HoldsAsync(() => fixture.Lines(fixture.WorkFile(name, "result.txt")).SequenceEqual(["job complete"]), "the second run wrote its result");
        await Eventually.HoldsAsync(() => fixture.StatesOf(name).Count(s => s == ComponentState.Finished) == 2, "the second run finished");
    }

    [Fact]
    public async Task Failing_ErroredThreeTimes_BrokenAndDeploymentFailsWithReason()
    {
        const string name = "com.example.Failing";
        await using var fixture = await RuntimeFixture.StartAsync();

        var report = await fixture.WaitForDeploymentAsync(await fixture.DeployAsync([name], policy: FailureHandlingPolicy.DoNothing));

        Assert.Equal(DeploymentStatus.FailedRollbackNotRequested, report.Status);
        Assert.Contains("exited with code 3", report.FailureCause, StringComparison.Ordinal);
        Assert.Equal(3, fixture.StatesOf(name).Count(s => s == ComponentState.Errored) + fixture.StatesOf(name).Count(s => s == ComponentState.Broken));
        Assert.Equal(ComponentState.Broken, fixture.StatesOf(name)[^1]);
        Assert.Equal(3, fixture.Lines(fixture.WorkFile(name, "attempts.log")).Length);
        Assert.Contains("cannot reach the sensor", fixture.ReportOf(name).Message, StringComparison.Ordinal);
        Assert.Equal(DeviceHealth.Unhealthy, fixture.Runtime.Report().OverallHealth);
    }

    [Fact]
    public async Task Recovering_FirstRunFails_RecoverRunsThenRunning()
    {
        const string name = "com.example.Recovering";
        await using var fixture = await RuntimeFixture.StartAsync();

        var report = await fixture.WaitForDeploymentAsync(await fixture.DeployAsync([name]));

        Assert.True(report.Status == DeploymentStatus.Succeeded, $"{report.Status}: {report.FailureCause}");
        // RUNNING as soon as Run is spawned (§2.4), so the deployment may succeed before the first run fails.
        await Eventually.HoldsAsync(() => fixture.Lines(fixture.WorkFile(name, "events.log")).Length == 1, "the run after recovery");
        await fixture.WaitForStateAsync(name, ComponentState.Running);
        var states = fixture.StatesOf(name);
        Assert.Equal(ComponentState.Errored, states[states.ToList().IndexOf(ComponentState.Running) + 1]);
        Assert.Equal(ComponentState.Running, states[^1]);
        Assert.Equal(["recover"], fixture.Lines(fixture.WorkFile(name, "recover.log")));
        Assert.Equal(1, fixture.ReportOf(name).RestartCount);
    }

    [Fact]
    public async Task HardChain_StartsInDependencyOrder_RestartsDependentsWithTheirDependency()
    {
        await using var fixture = await RuntimeFixture.StartAsync();
        var chainLog = Path.Combine(fixture.Root, "chain.log");

        var report = await fixture.WaitForDeploymentAsync(await fixture.DeployAsync(["com.example.ChainC"]));

        Assert.True(report.Status == DeploymentStatus.Succeeded, $"{report.Status}: {report.FailureCause}");
        await Eventually.HoldsAsync(() => fixture.Lines(chainLog).Length == 3, "the three links started");
        Assert.Equal(["ChainA", "ChainB", "ChainC"], fixture.Lines(chainLog));

        var restart = await fixture.Runtime.RequestAsync("com.example.ChainA", Core.Lifecycle.DesiredRequest.Restart);

        Assert.True(restart.Succeeded, restart.Message);
        await Eventually.HoldsAsync(() => fixture.Lines(chainLog).Length == 6, "B and C restarted after A");
        Assert.Equal(["ChainA", "ChainB", "ChainC"], fixture.Lines(chainLog)[3..].Order(StringComparer.Ordinal));
        Assert.Equal("ChainA", fixture.Lines(chainLog)[3]);
        await fixture.WaitForStateAsync("com.example.ChainC", ComponentState.Running);
        Assert.Equal(2, fixture.StatesOf("com.example.ChainC").Count(s => s == ComponentState.Running));
    }

    [Fact]
    public async Task Stop_HardChainRunning_StopsDependentsFirst()
    {
        await using var fixture = await RuntimeFixture.StartAsync();
        await fixture.WaitForDeploymentAsync(await fixture.DeployAsync(["com.example.ChainC"]));
        await fixture.WaitForStateAsync("com.example.ChainC", ComponentState.Running);

        await fixture.Runtime.StopAsync(CancellationToken.None);

        var stopped = fixture.Transitions.Where(t => t.To == ComponentState.Finished).Select(t => t.Component).ToList();
        Assert.Equal(["com.example.ChainC", "com.example.ChainB", "com.example.ChainA"], stopped);
        // No link restarted on the way down: a dependency stopping under a running dependent would restart it.
        Assert.Equal(3, fixture.Lines(Path.Combine(fixture.Root, "chain.log")).Length);
    }

    [Fact]
    public async Task SoftDependency_OnBrokenComponent_StillRunning()
    {
        await using var fixture = await RuntimeFixture.StartAsync();

        var report = await fixture.WaitForDeploymentAsync(
            await fixture.DeployAsync(["com.example.SoftDependent"], policy: FailureHandlingPolicy.DoNothing));

        Assert.Equal(DeploymentStatus.FailedRollbackNotRequested, report.Status);
        Assert.Equal(ComponentState.Broken, fixture.StateOf("com.example.Failing"));
        await fixture.WaitForStateAsync("com.example.SoftDependent", ComponentState.Running);
        Assert.Equal(1, fixture.StatesOf("com.example.SoftDependent").Count(s => s == ComponentState.Running));
    }
}
