using System.Text.Json.Nodes;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Ipc.Services;
using Greengrass.Nucleus.Tests.TestSupport;

namespace Greengrass.Nucleus.Tests.Runtime;

/// <summary>A deployment applied over configuration a component changed over IPC, through the real runtime (§4.5).</summary>
[Collection(RuntimeCollection.Name)]
public sealed class ConfigurationDeploymentTests
{
    private const string Service = "com.example.Configured";

    [Fact]
    public async Task NextDeployment_ChangesOneKey_KeepsTheOtherKeyChangedOverIpc()
    {
        await using var fixture = await RuntimeFixture.StartAsync(enableIpc: true);
        await DeployAsync(fixture, "first", 1, new JsonObject { ["greeting"] = "deployed", ["level"] = "info", ["old"] = true });
        var written = await fixture.Runtime.Ipc.Configuration.MergeAsync(
            Service, [], new JsonObject { ["greeting"] = "over ipc" }, DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.Equal(ConfigurationUpdateResult.Applied, written);

        await DeployAsync(fixture, "second", 2, new JsonObject { ["greeting"] = "deployed", ["level"] = "debug" });

        var configuration = fixture.Runtime.ConfigurationOf(Service)!;
        Assert.Equal("over ipc", configuration["greeting"]!.GetValue<string>());
        Assert.Equal("debug", configuration["level"]!.GetValue<string>());
        Assert.False(configuration.ContainsKey("old"), "a key the new plan no longer holds is removed");
    }

    private static async Task DeployAsync(RuntimeFixture fixture, string id, long revision, JsonObject configuration)
    {
        var plan = NucleusRestartTests.Plan(id, revision, FailureHandlingPolicy.DoNothing, new PlannedComponent
        {
            Name = Service,
            Version = "1.0.0",
            Lifecycle = new LifecycleDefinition { Run = new LifecycleStep { Script = "exec sleep 600" } },
            Configuration = configuration,
        });
        await fixture.Runtime.ApplyAsync(plan, CancellationToken.None);
        Assert.Equal(DeploymentStatus.Succeeded, (await fixture.WaitForDeploymentAsync(id)).Status);
    }
}
