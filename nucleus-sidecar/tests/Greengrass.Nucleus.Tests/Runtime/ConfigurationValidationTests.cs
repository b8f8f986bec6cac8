using System.Text.Json.Nodes;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Tests.TestSupport;
using RawIpcClient = Greengrass.Nucleus.Tests.Ipc.RawIpcClient;

namespace Greengrass.Nucleus.Tests.Runtime;

/// <summary>§4.6 step 2 through the runtime's IPC server: a running component validates its next configuration.</summary>
[Collection(RuntimeCollection.Name)]
public sealed class ConfigurationValidationTests
{
    private const string Service = "com.example.Service";

    [Fact]
    public async Task ConfigurationChange_RejectedThenAccepted_FailsWithoutChangeThenApplies()
    {
        await using var fixture = await RuntimeFixture.StartAsync(enableIpc: true);
        await fixture.WaitForDeploymentAsync(await fixture.DeployAsync([Service]));
        await using var client = await RawIpcClient.ConnectAsync(fixture.Runtime.Options.EffectiveIpcSocketPath, fixture.Runtime.Ipc.TokenOf(Service)!);
        await client.StartAsync("SubscribeToValidateConfigurationUpdates", "{}");
        await client.ReceiveAsync();

        var rejected = await DeployGreetingAsync(fixture, "shouting");
        var rejectedEvent = await client.ReceiveAsync();
        await client.CallAsync("SendConfigurationValidityReport",
            $$$"""{"configurationValidityReport":{"status":"REJECTED","deploymentId":"{{{rejected}}}","message":"greeting too loud"}}""");
        var failed = await fixture.WaitForDeploymentAsync(rejected);

        Assert.Equal("shouting", RawIpcClient.Json(rejectedEvent!).GetProperty("validateConfigurationUpdateEvent").GetProperty("configuration").GetProperty("greeting").GetString());
        Assert.Equal(DeploymentStatus.FailedNoStateChange, failed.Status);
        Assert.Equal(["DEPLOYMENT_FAILURE", "COMPONENT_CONFIGURATION_NOT_VALID"], failed.ErrorStack);
        Assert.Contains("greeting too loud", failed.FailureCause, StringComparison.Ordinal);
        Assert.Equal("hello", fixture.Runtime.ConfigurationOf(Service)!["greeting"]!.GetValue<string>());

        var accepted = await DeployGreetingAsync(fixture, "hi");
        await client.ReceiveAsync();
        await client.CallAsync("SendConfigurationValidityReport",
            $$$"""{"configurationValidityReport":{"status":"ACCEPTED","deploymentId":"{{{accepted}}}"}}""");
        var succeeded = await fixture.WaitForDeploymentAsync(accepted);

        Assert.Equal(DeploymentStatus.Succeeded, succeeded.Status);
        Assert.Equal("hi", fixture.Runtime.ConfigurationOf(Service)!["greeting"]!.GetValue<string>());
        Assert.Single(fixture.Lines(fixture.WorkFile(Service, "starts.log")));
    }

    private static Task<string> DeployGreetingAsync(RuntimeFixture fixture, string greeting) =>
        fixture.DeployAsync([], configuration: new()
        {
            [Service] = new JsonObject { ["MERGE"] = new JsonObject { ["greeting"] = greeting } },
        });
}
