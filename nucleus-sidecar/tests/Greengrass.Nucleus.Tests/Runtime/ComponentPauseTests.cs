using System.Text.Json.Nodes;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Ipc;
using Greengrass.Nucleus.Tests.TestSupport;
using RawIpcClient = Greengrass.Nucleus.Tests.Ipc.RawIpcClient;

namespace Greengrass.Nucleus.Tests.Runtime;

/// <summary>PauseComponent / ResumeComponent over IPC against real processes: a counter stops counting while paused.</summary>
[Collection(RuntimeCollection.Name)]
public sealed class ComponentPauseTests
{
    private const string Counter = "com.example.Counter";
    private const string Controller = "com.example.Controller";

    [Fact]
    public async Task PauseComponent_RunningCounter_StopsCountingUntilResumed()
    {
        await using var fixture = await RuntimeFixture.StartAsync(enableIpc: true);
        await DeployAsync(fixture);
        var counts = fixture.WorkFile(Counter, "count");
        await using var client = await RawIpcClient.ConnectAsync(fixture.Runtime.Options.EffectiveIpcSocketPath, fixture.Runtime.Ipc.TokenOf(Controller)!);
        await Eventually.HoldsAsync(() => fixture.Lines(counts).Length >= 3, "the counter to count");

        var paused = await client.CallAsync("PauseComponent", $$"""{"componentName":"{{Counter}}"}""");
        Assert.Equal(IpcMessageType.ApplicationMessage, RawIpcClient.Type(paused));
        // The loop may finish the line it was writing; after that, no new line while paused.
        await Task.Delay(300);
        var frozen = fixture.Lines(counts).Length;
        await Task.Delay(1500);
        Assert.Equal(frozen, fixture.Lines(counts).Length);
        Assert.Equal(ComponentState.Running, fixture.StateOf(Counter));

        var resumed = await client.CallAsync("ResumeComponent", $$"""{"componentName":"{{Counter}}"}""");
        Assert.Equal(IpcMessageType.ApplicationMessage, RawIpcClient.Type(resumed));
        await Eventually.HoldsAsync(() => fixture.Lines(counts).Length > frozen + 2, "the counter to count again");
    }

    [Fact]
    public async Task ResumeComponent_NotPaused_IsInvalidArguments()
    {
        await using var fixture = await RuntimeFixture.StartAsync(enableIpc: true);
        await DeployAsync(fixture);
        await using var client = await RawIpcClient.ConnectAsync(fixture.Runtime.Options.EffectiveIpcSocketPath, fixture.Runtime.Ipc.TokenOf(Controller)!);

        var reply = await client.CallAsync("ResumeComponent", $$"""{"componentName":"{{Counter}}"}""");

        Assert.Equal("aws.greengrass#InvalidArgumentsError", RawIpcClient.Header(reply, "service-model-type"));
    }

    [Fact]
    public async Task PauseComponent_WithoutLifecyclePolicy_IsUnauthorized()
    {
        await using var fixture = await RuntimeFixture.StartAsync(enableIpc: true);
        await DeployAsync(fixture);
        await using var client = await RawIpcClient.ConnectAsync(fixture.Runtime.Options.EffectiveIpcSocketPath, fixture.Runtime.Ipc.TokenOf(Counter)!);

        var reply = await client.CallAsync("PauseComponent", $$"""{"componentName":"{{Controller}}"}""");

        Assert.Equal("aws.greengrass#UnauthorizedError", RawIpcClient.Header(reply, "service-model-type"));
        Assert.False(await fixture.Runtime.IsPausedAsync(Controller));
    }

    private static async Task DeployAsync(RuntimeFixture fixture)
    {
        var counter = new PlannedComponent
        {
            Name = Counter,
            Version = "1.0.0",
            Lifecycle = new LifecycleDefinition { Run = new LifecycleStep { Script = "i=0; while true; do i=$((i+1)); echo $i >> {work:path}/count; sleep 0.1; done" } },
        };
        var controller = new PlannedComponent
        {
            Name = Controller,
            Version = "1.0.0",
            Lifecycle = new LifecycleDefinition { Run = new LifecycleStep { Script = "exec sleep 600" } },
            Configuration = new JsonObject
            {
                ["accessControl"] = new JsonObject
                {
                    ["aws.greengrass.ipc.lifecycle"] = new JsonObject
                    {
                        ["pause"] = new JsonObject
                        {
                            ["operations"] = new JsonArray("aws.greengrass#PauseComponent", "aws.greengrass#ResumeComponent"),
                            ["resources"] = new JsonArray(Counter),
                        },
                    },
                },
            },
        };
        await fixture.Runtime.ApplyAsync(NucleusRestartTests.Plan("pause", 1, FailureHandlingPolicy.DoNothing, counter, controller), CancellationToken.None);
        await fixture.WaitForStateAsync(Counter, ComponentState.Running);
        await fixture.WaitForStateAsync(Controller, ComponentState.Running);
    }
}
