using System.Globalization;
using System.Text.Json.Nodes;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Ipc;
using RawIpcClient = Greengrass.Nucleus.Tests.Ipc.RawIpcClient;
using Greengrass.Nucleus.Tests.TestSupport;

namespace Greengrass.Nucleus.Tests.Runtime;

/// <summary>The nucleus executable killed with SIGKILL right after acknowledging an UpdateConfiguration, then started again.</summary>
[Collection(RuntimeCollection.Name)]
public sealed class ConfigurationPersistenceProcessTests
{
    private const string Configured = "com.example.Configured";
    private static readonly string[] User = Environment.UserName == "root" ? ["--default-user", "root"] : [];

    [Fact]
    public async Task UpdateConfiguration_NucleusKilledHardAfterTheReply_ValueIsThereAfterRestart()
    {
        using var directory = new TempDirectory();
        var root = directory.Combine("root");
        var planFile = directory.Combine("plan.json");
        var plan = NucleusRestartTests.Plan("configured", 1, FailureHandlingPolicy.DoNothing, new PlannedComponent
        {
            Name = Configured,
            Version = "1.0.0",
            // The component hands its IPC token to the test, which then speaks IPC as the component.
            Lifecycle = new LifecycleDefinition { Run = new LifecycleStep { Script = "printf %s \"$SVCUID\" > {work:path}/token; exec sleep 600" } },
            Configuration = new JsonObject { ["greeting"] = "deployed", ["count"] = 1 },
        });
        await File.WriteAllTextAsync(planFile, ContractJson.SerializePlan(plan));
        var tokenFile = Path.Combine(root, "work", Configured, "token");

        await using (var first = NucleusProcess.Start(root, ["--plan", planFile, .. User]))
        {
            await first.WaitUntilRunningAsync(root, Configured);
            await Eventually.HoldsAsync(() => File.Exists(tokenFile) && new FileInfo(tokenFile).Length > 0, $"the component to write its token ({first.Output})");
            await using (var client = await RawIpcClient.ConnectAsync(Path.Combine(root, "ipc.socket"), await File.ReadAllTextAsync(tokenFile)))
            {
                var seconds = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0).ToString(CultureInfo.InvariantCulture);
                var reply = await client.CallAsync("UpdateConfiguration", $$$"""{"keyPath":[],"timestamp":{{{seconds}}},"valueToMerge":{"greeting":"over ipc"}}""");
                Assert.Equal(IpcMessageType.ApplicationMessage, RawIpcClient.Type(reply));
            }

            // No graceful stop: only what was on disk when the reply went out can survive.
            first.KillHard();
        }

        await using var second = NucleusProcess.Start(root, ["--plan", planFile, .. User]);
        await second.WaitUntilRunningAsync(root, Configured);
        var details = await NucleusProcess.TryCliAsync(root, new JsonObject { ["command"] = "component.details", ["name"] = Configured });
        var configuration = details!["result"]!["configuration"]!;
        Assert.Equal("over ipc", configuration["greeting"]!.GetValue<string>());
        Assert.Equal(1, configuration["count"]!.GetValue<int>());

        second.Signal("TERM");
        Assert.Equal(0, await second.WaitForExitAsync());
    }
}
