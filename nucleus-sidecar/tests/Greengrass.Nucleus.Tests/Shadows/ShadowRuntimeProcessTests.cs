using System.Text.Json.Nodes;
using Greengrass.Nucleus.Cli;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Ipc.Services;
using NodePeer = Greengrass.Nucleus.Tests.Ipc.NodePeer;
using SdkFactAttribute = Greengrass.Nucleus.Tests.Ipc.SdkFactAttribute;
using Greengrass.Nucleus.Tests.Runtime;
using Greengrass.Nucleus.Tests.TestSupport;

namespace Greengrass.Nucleus.Tests.Shadows;

/// <summary>
/// The nucleus executable with <c>aws.greengrass.ShadowManager</c> deployed and the sample component
/// <c>com.example.ShadowReporter</c> (npm SDK client) counting its starts in a shadow: the count survives a graceful
/// stop and a SIGKILL of the nucleus.
/// </summary>
[Collection(RuntimeCollection.Name)]
public sealed class ShadowRuntimeProcessTests
{
    private const string Reporter = "com.example.ShadowReporter";
    private static readonly string[] User = Environment.UserName == "root" ? ["--default-user", "root"] : [];

    [SdkFact]
    public async Task Nucleus_StoppedThenKilledHard_ShadowKeepsEveryReportedBoot()
    {
        using var directory = new TempDirectory();
        var root = directory.Combine("root");
        var planFile = directory.Combine("plan.json");
        await File.WriteAllTextAsync(planFile, ContractJson.SerializePlan(BuildPlan()));
        var log = Path.Combine(root, "logs", Reporter + ".log");

        // First life: ShadowManager is a new plugin, so the deployment goes through a nucleus restart (--supervise).
        await using (var first = NucleusProcess.Start(root, ["--plan", planFile, "--supervise", .. User]))
        {
            await WaitForBootAsync(log, 1, first);
            first.Signal("TERM");
            Assert.Equal(0, await first.WaitForExitAsync());
        }

        await using (var second = NucleusProcess.Start(root, ["--plan", planFile, .. User]))
        {
            await WaitForBootAsync(log, 2, second);
            second.KillHard();
        }

        await using var third = NucleusProcess.Start(root, ["--plan", planFile, .. User]);
        await WaitForBootAsync(log, 3, third);
        var stored = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(root, "state", "shadows", "crash-device", "classic.json")))!;
        Assert.Equal(3, stored["state"]!["reported"]!["boots"]!.GetValue<int>());
        Assert.Equal(3, stored["version"]!.GetValue<long>());
        third.Signal("TERM");
        Assert.Equal(0, await third.WaitForExitAsync());
    }

    private static async Task WaitForBootAsync(string log, int boots, NucleusProcess nucleus) =>
        await Eventually.HoldsAsync(
            () => File.Exists(log) && File.ReadAllText(log).Contains($"\"boots\":{boots},", StringComparison.Ordinal),
            $"{Reporter} to report boot {boots} (nucleus output: {nucleus.Output})",
            TimeSpan.FromSeconds(120));

    private static DevicePlan BuildPlan() => LocalDeploymentBuilder.Build(
        new LocalDeploymentRequest
        {
            RecipeDirectoryPath = RuntimeFixture.RecipesDirectory,
            ArtifactsDirectoryPath = RuntimeFixture.ArtifactsDirectory,
            RootComponentVersionsToAdd = new() { [Reporter] = "1.0.0" },
            ComponentToConfiguration = new()
            {
                [Reporter] = new JsonObject { ["MERGE"] = new JsonObject { ["peersDir"] = NodePeer.PeersDirectory } },
            },
        },
        null,
        "crash-device",
        DateTimeOffset.UtcNow);
}
