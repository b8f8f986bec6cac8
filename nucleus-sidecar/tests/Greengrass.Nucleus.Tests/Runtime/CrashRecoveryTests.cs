using System.Globalization;
using System.Text.Json.Nodes;
using Greengrass.Nucleus.Cli;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Ipc.Services;
using Greengrass.Nucleus.Tests.TestSupport;

namespace Greengrass.Nucleus.Tests.Runtime;

/// <summary>The nucleus executable killed with SIGKILL and started again on the same root (§0.1: state survives).</summary>
[Collection(RuntimeCollection.Name)]
public sealed class CrashRecoveryTests
{
    private const string Service = "com.example.Service";
    private const string Startup = "com.example.StartupService";

    [Fact]
    public async Task Nucleus_KilledHardAndRestarted_ResumesWithoutSecondInstallAndStopsLeftovers()
    {
        using var directory = new TempDirectory();
        var root = directory.Combine("root");
        var planFile = directory.Combine("plan.json");
        await File.WriteAllTextAsync(planFile, ContractJson.SerializePlan(BuildPlan()));
        var user = Environment.UserName == "root" ? new[] { "--default-user", "root" } : [];
        var orphans = new List<int>();
        try
        {
            await using (var first = NucleusProcess.Start(root, ["--plan", planFile, .. user]))
            {
                await first.WaitUntilRunningAsync(root, Service);
                await first.WaitUntilRunningAsync(root, Startup);
                first.KillHard();
            }

            orphans.AddRange(Pids(Path.Combine(root, "work", Service, "starts.log")));
            orphans.Add(int.Parse(File.ReadAllText(Path.Combine(root, "work", Startup, "service.pid")).Trim(), CultureInfo.InvariantCulture));
            await using var second = NucleusProcess.Start(root, ["--plan", planFile, .. user]);
            await second.WaitUntilRunningAsync(root, Service);
            await second.WaitUntilRunningAsync(root, Startup);

            Assert.All(orphans, pid => Assert.False(IsAlive(pid), $"process {pid} of the killed nucleus was stopped by the next start"));
            Assert.Single(File.ReadAllLines(Path.Combine(root, "work", Service, "installs.log")));
            Assert.Equal(2, File.ReadAllLines(Path.Combine(root, "work", Service, "starts.log")).Length);
            var details = await NucleusProcess.TryCliAsync(root, new JsonObject { ["command"] = "component.details", ["name"] = Service });
            Assert.Equal("persisted", details!["result"]!["configuration"]!["greeting"]!.GetValue<string>());
            Assert.Contains("persisted", await File.ReadAllTextAsync(Path.Combine(root, "config", "config.tlog")), StringComparison.Ordinal);

            second.Signal("TERM");
            Assert.Equal(0, await second.WaitForExitAsync());
            var restarted = Pids(Path.Combine(root, "work", Service, "starts.log")).Last();
            Assert.False(IsAlive(restarted), "SIGTERM stopped the component's process");
            Assert.Contains("shutdown", await File.ReadAllTextAsync(Path.Combine(root, "work", Startup, "events.log")), StringComparison.Ordinal);
        }
        finally
        {
            // Should the reclaim assertion fail, the first life's processes must not outlive the test.
            foreach (var pid in orphans.Where(IsAlive))
            {
                using var kill = System.Diagnostics.Process.Start("kill", ["-9", pid.ToString(CultureInfo.InvariantCulture)]);
                await kill.WaitForExitAsync();
            }
        }
    }

    private static DevicePlan BuildPlan() => LocalDeploymentBuilder.Build(
        new LocalDeploymentRequest
        {
            RecipeDirectoryPath = RuntimeFixture.RecipesDirectory,
            ArtifactsDirectoryPath = RuntimeFixture.ArtifactsDirectory,
            RootComponentVersionsToAdd = new() { [Service] = "1.0.0", [Startup] = "1.0.0" },
            ComponentToConfiguration = new() { [Service] = new JsonObject { ["MERGE"] = new JsonObject { ["greeting"] = "persisted" } } },
        },
        null,
        "crash-device",
        DateTimeOffset.UtcNow);

    private static IEnumerable<int> Pids(string startsLog) =>
        File.ReadAllLines(startsLog).Select(l => int.Parse(l.Split(' ')[1], CultureInfo.InvariantCulture));

    private static bool IsAlive(int pid) =>
        File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2].Equals("Z", StringComparison.Ordinal);
}
