using System.Text.Json.Nodes;
using Greengrass.Nucleus.Contracts;
using NodePeer = Greengrass.Nucleus.Tests.Ipc.NodePeer;
using SdkFactAttribute = Greengrass.Nucleus.Tests.Ipc.SdkFactAttribute;
using Greengrass.Nucleus.Tests.TestSupport;

namespace Greengrass.Nucleus.Tests.Runtime;

/// <summary>Components that use the unmodified npm aws-iot-device-sdk-v2 IPC client, run by the runtime as real components.</summary>
[Collection(RuntimeCollection.Name)]
public sealed class RuntimeIpcTests
{
    private const string Subscriber = "com.example.IpcSubscriber";
    private const string Publisher = "com.example.IpcPublisher";
    private const string Deferrer = "com.example.UpdateDeferrer";

    [SdkFact]
    public async Task SdkComponents_PublishAndSubscribe_RoundTripThroughTheRuntime()
    {
        await using var fixture = await RuntimeFixture.StartAsync(enableIpc: true);

        var report = await fixture.WaitForDeploymentAsync(await fixture.DeployAsync([Publisher], configuration: new()
        {
            [Subscriber] = PeersConfiguration(),
            [Publisher] = PeersConfiguration(),
        }));

        Assert.True(report.Status == DeploymentStatus.Succeeded, $"{report.Status}: {report.FailureCause}");
        await fixture.WaitForStateAsync(Subscriber, ComponentState.Finished);
        await fixture.WaitForStateAsync(Publisher, ComponentState.Finished);
        Assert.Contains("\"ping\":1", Log(fixture, Subscriber), StringComparison.Ordinal);
        Assert.Contains($"\"binary\":\"{Convert.ToBase64String("binary-ping"u8)}\"", Log(fixture, Subscriber), StringComparison.Ordinal);
        Assert.Contains("\"published\":true", Log(fixture, Publisher), StringComparison.Ordinal);
    }

    [SdkFact]
    public async Task SdkComponent_DefersComponentUpdate_DeploymentWaitsThenApplies()
    {
        await using var fixture = await RuntimeFixture.StartAsync(enableIpc: true);
        var configuration = PeersConfiguration();
        configuration["MERGE"]!["deferMs"] = 5000;
        await fixture.WaitForDeploymentAsync(await fixture.DeployAsync([Deferrer], configuration: new() { [Deferrer] = configuration }));
        await Eventually.HoldsAsync(() => Log(fixture, Deferrer).Contains("\"ready\":true", StringComparison.Ordinal), "the deferrer subscribed to updates");

        var id = await fixture.DeployAsync(["com.example.OneShot"]);
        await Eventually.HoldsAsync(() => Log(fixture, Deferrer).Contains("\"deferringMs\":5000", StringComparison.Ordinal), "the first update notice");
        var whileDeferred = fixture.StateOf("com.example.OneShot");
        var report = await fixture.WaitForDeploymentAsync(id);

        Assert.Null(whileDeferred);
        Assert.Equal(DeploymentStatus.Succeeded, report.Status);
        var log = Log(fixture, Deferrer);
        Assert.Contains("\"deferringMs\":0", log, StringComparison.Ordinal);
        Assert.True(log.IndexOf("\"deferringMs\":5000", StringComparison.Ordinal) < log.IndexOf("\"deferringMs\":0", StringComparison.Ordinal));
        await fixture.WaitForStateAsync("com.example.OneShot", ComponentState.Finished);
    }

    [SdkFact]
    public async Task SdkComponent_UsesConfigurationLifecycleAndComponentManagement_UnderTheRuntime()
    {
        await using var fixture = await RuntimeFixture.StartAsync(enableIpc: true);
        var report = await fixture.WaitForDeploymentAsync(await fixture.DeployAsync(["com.example.Service", "com.example.IpcOperations"], configuration: new()
        {
            ["com.example.IpcOperations"] = PeersConfiguration(),
        }));
        Assert.True(report.Status == DeploymentStatus.Succeeded, $"{report.Status}: {report.FailureCause}");
        var restartsBefore = fixture.Runtime.Report().Components.Single(c => c.Name == "com.example.Service").RestartCount;

        await fixture.WaitForStateAsync("com.example.IpcOperations", ComponentState.Finished);
        var log = Log(fixture, "com.example.IpcOperations");
        Assert.Contains("\"mode\":\"initial\"", log, StringComparison.Ordinal);      // GetConfiguration
        Assert.Contains("\"updated\":true", log, StringComparison.Ordinal);            // UpdateConfiguration
        Assert.Contains("\"event\"", log, StringComparison.Ordinal);                   // SubscribeToConfigurationUpdate event
        Assert.Contains("\"mode\":\"updated\"", log, StringComparison.Ordinal);      // the update is visible to GetConfiguration
        Assert.Contains("\"stateUpdated\":\"RUNNING\"", log, StringComparison.Ordinal); // UpdateState
        Assert.Contains("\"list\"", log, StringComparison.Ordinal);                    // ListComponents
        Assert.Contains("com.example.Service", log, StringComparison.Ordinal);
        Assert.Contains("\"restart\"", log, StringComparison.Ordinal);                 // RestartComponent
        Assert.DoesNotContain("UnauthorizedError", log, StringComparison.Ordinal);
        await Eventually.HoldsAsync(
            () => fixture.Runtime.Report().Components.Single(c => c.Name == "com.example.Service").RestartCount > restartsBefore
                || fixture.Runtime.Report().Components.Single(c => c.Name == "com.example.Service").State == ComponentState.Running,
            "the restarted service is running again");
        Assert.Equal("updated", fixture.Runtime.ConfigurationOf("com.example.IpcOperations")?["settings"]?["mode"]?.GetValue<string>());
    }

    private static JsonObject PeersConfiguration() =>
        new() { ["MERGE"] = new JsonObject { ["peersDir"] = NodePeer.PeersDirectory } };

    private static string Log(RuntimeFixture fixture, string component)
    {
        var path = Path.Combine(fixture.Root, "logs", component + ".log");
        return File.Exists(path) ? File.ReadAllText(path) : "";
    }
}
