using System.Globalization;
using System.Text.Json.Nodes;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Tests.TestSupport;

namespace Greengrass.Nucleus.Tests.Runtime;

/// <summary>
/// The nucleus executable on the restart path: killed with SIGKILL in the middle of a stage, started again on the
/// same root, and supervised by <c>run --supervise</c>, which starts it again when it exits with 100.
/// </summary>
[Collection(RuntimeCollection.Name)]
public sealed class NucleusRestartProcessTests
{
    private const string Boot = "com.example.Boot";
    private static readonly string[] User = Environment.UserName == "root" ? ["--default-user", "root"] : [];

    [Fact]
    public async Task Bootstrap_KilledHardMidStep_RunsTheStepAgainAndFinishesUnderSupervise()
    {
        using var directory = new TempDirectory();
        var root = directory.Combine("root");
        var work = Path.Combine(root, "work", Boot);
        var planFile = await WritePlanAsync(directory, "killed", new PlannedComponent
        {
            Name = Boot,
            Version = "1.0.0",
            Lifecycle = new LifecycleDefinition
            {
                // The first attempt never ends on its own, so the kill lands while it runs and only the next start can stop it.
                Bootstrap = new LifecycleStep { Script = "echo $$ >> {work:path}/attempts; if [ $(wc -l < {work:path}/attempts) -eq 1 ]; then exec sleep 600; fi; exit 0" },
                Run = new LifecycleStep { Script = "exec sleep 600" },
            },
        });

        await using (var first = NucleusProcess.Start(root, ["--plan", planFile, .. User]))
        {
            await Eventually.HoldsAsync(() => Lines(work, "attempts").Length == 1, $"the Bootstrap step to start ({first.Output})", TimeSpan.FromSeconds(60));
            first.KillHard();
        }

        var interrupted = int.Parse(Lines(work, "attempts")[0], CultureInfo.InvariantCulture);
        await using var supervised = NucleusProcess.Start(root, ["--plan", planFile, "--supervise", .. User]);
        await supervised.WaitUntilRunningAsync(root, Boot);

        Assert.Equal(2, Lines(work, "attempts").Length);
        Assert.False(IsAlive(interrupted), $"the interrupted Bootstrap {interrupted} was stopped by the next start");
        var status = await NucleusProcess.TryCliAsync(root, new JsonObject { ["command"] = "deployment.status", ["id"] = "killed" });
        Assert.Equal("SUCCESSFUL", status?["result"]?["report"]?["detailedStatus"]?.GetValue<string>());
        Assert.Contains("exited with 100: restarting it", supervised.Output, StringComparison.Ordinal);

        supervised.Signal("TERM");
        Assert.Equal(0, await supervised.WaitForExitAsync());
    }

    [Fact]
    public async Task Activation_NeverComesUp_RollsBackAfterThreeStarts()
    {
        using var directory = new TempDirectory();
        var root = directory.Combine("root");
        var work = Path.Combine(root, "work", Boot);
        var planFile = await WritePlanAsync(directory, "loop", new PlannedComponent
        {
            Name = Boot,
            Version = "1.0.0",
            Lifecycle = new LifecycleDefinition
            {
                Bootstrap = new LifecycleStep { Script = "exit 0" },
                // Install never ends: each start in the activation stage is killed while it runs, as a crashing nucleus would be.
                Install = new LifecycleStep { Script = "echo $$ >> {work:path}/installs; exec sleep 600" },
                Run = new LifecycleStep { Script = "exec sleep 600" },
            },
        });

        await using (var bootstrap = NucleusProcess.Start(root, ["--plan", planFile, .. User]))
        {
            Assert.Equal(100, await bootstrap.WaitForExitAsync(90));
        }

        for (var start = 1; start <= 3; start++)
        {
            await using var activation = NucleusProcess.Start(root, ["--plan", planFile, .. User]);
            await Eventually.HoldsAsync(() => Lines(work, "installs").Length == start, $"activation start {start} to reach Install ({activation.Output})", TimeSpan.FromSeconds(60));
            activation.KillHard();
        }

        await using var last = NucleusProcess.Start(root, ["--plan", planFile, .. User]);
        JsonNode? report = null;
        await Eventually.HoldsAsync(() =>
        {
            var reply = NucleusProcess.TryCliAsync(root, new JsonObject { ["command"] = "deployment.status", ["id"] = "loop" }).GetAwaiter().GetResult();
            report = reply?["result"]?["report"];
            return report?["detailedStatus"]?.GetValue<string>() == "FAILED_ROLLBACK_COMPLETE";
        }, $"the deployment to roll back ({last.Output})", TimeSpan.FromSeconds(90));

        Assert.Contains("NUCLEUS_RESTART_FAILURE", report!["errorStack"]!.ToJsonString(), StringComparison.Ordinal);
        var components = await NucleusProcess.TryCliAsync(root, new JsonObject { ["command"] = "component.list" });
        Assert.Empty(components!["result"]!.AsArray());
        Assert.Equal(3, Lines(work, "installs").Length);
        last.Signal("TERM");
        Assert.Equal(0, await last.WaitForExitAsync());
    }

    private static async Task<string> WritePlanAsync(TempDirectory directory, string id, PlannedComponent component)
    {
        var path = directory.Combine("plan.json");
        await File.WriteAllTextAsync(path, ContractJson.SerializePlan(NucleusRestartTests.Plan(id, 1, FailureHandlingPolicy.Rollback, component)));
        return path;
    }

    private static string[] Lines(string work, string file) =>
        File.Exists(Path.Combine(work, file)) ? File.ReadAllLines(Path.Combine(work, file)) : [];

    private static bool IsAlive(int pid) =>
        File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2].Equals("Z", StringComparison.Ordinal);
}
