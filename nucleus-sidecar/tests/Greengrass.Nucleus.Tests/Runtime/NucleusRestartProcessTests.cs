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
        var (root, work, planFile) = await WriteBootPlanAsync(directory, "killed", new LifecycleDefinition
        {
            // The first attempt never ends on its own, so the kill lands while it runs and only the next start can stop it.
            Bootstrap = new LifecycleStep { Script = "echo $$ >> {work:path}/attempts; if [ $(wc -l < {work:path}/attempts) -eq 1 ]; then exec sleep 600; fi; exit 0" },
            Run = new LifecycleStep { Script = "exec sleep 600" },
        });

        await using (var first = NucleusProcess.Start(root, ["--plan", planFile, .. User]))
        {
            await KillDuringStepAsync(first, root, "attempts", 1, "Bootstrap");
        }

        var interrupted = int.Parse(Lines(work, "attempts")[0], CultureInfo.InvariantCulture);
        await using var supervised = NucleusProcess.Start(root, ["--plan", planFile, "--supervise", .. User]);
        await supervised.WaitUntilRunningAsync(root, Boot);

        Assert.Equal(2, Lines(work, "attempts").Length);
        Assert.False(IsAlive(interrupted), $"the interrupted Bootstrap {interrupted} was stopped by the next start");
        // RUNNING comes a moment before the deployment records its outcome.
        await WaitForDetailedStatusAsync(root, "killed", "SUCCESSFUL", supervised);
        Assert.Contains("exited with 100: restarting it", supervised.Output, StringComparison.Ordinal);

        supervised.Signal("TERM");
        Assert.Equal(0, await supervised.WaitForExitAsync());
    }

    [Fact]
    public async Task Activation_NeverComesUp_RollsBackAfterThreeStarts()
    {
        using var directory = new TempDirectory();
        var (root, work, planFile) = await WriteBootPlanAsync(directory, "loop", new LifecycleDefinition
        {
            Bootstrap = new LifecycleStep { Script = "exit 0" },
            // Install never ends: each start in the activation stage is killed while it runs, as a crashing nucleus would be.
            Install = new LifecycleStep { Script = "echo $$ >> {work:path}/installs; exec sleep 600" },
            Run = new LifecycleStep { Script = "exec sleep 600" },
        });

        await using (var bootstrap = NucleusProcess.Start(root, ["--plan", planFile, .. User]))
        {
            Assert.Equal(100, await bootstrap.WaitForExitAsync(90));
        }

        for (var start = 1; start <= 3; start++)
        {
            await using var activation = NucleusProcess.Start(root, ["--plan", planFile, .. User]);
            await KillDuringStepAsync(activation, root, "installs", start, "Install");
        }

        await using var last = NucleusProcess.Start(root, ["--plan", planFile, .. User]);
        await WaitForDetailedStatusAsync(root, "loop", "FAILED_ROLLBACK_COMPLETE", last);

        var report = (await NucleusProcess.TryCliAsync(root, new JsonObject { ["command"] = "deployment.status", ["id"] = "loop" }))!["result"]!["report"]!;
        Assert.Contains("NUCLEUS_RESTART_FAILURE", report["errorStack"]!.ToJsonString(), StringComparison.Ordinal);
        var components = await NucleusProcess.TryCliAsync(root, new JsonObject { ["command"] = "component.list" });
        Assert.Empty(components!["result"]!.AsArray());
        Assert.Equal(3, Lines(work, "installs").Length);
        last.Signal("TERM");
        Assert.Equal(0, await last.WaitForExitAsync());
    }

    /// <summary>
    /// Writes a plan <paramref name="id"/> with the one component <see cref="Boot"/> 1.0.0 and rollback on failure; returns
    /// the nucleus root to run it in, the component's work folder there, and the plan file.
    /// </summary>
    private static async Task<(string Root, string Work, string PlanFile)> WriteBootPlanAsync(TempDirectory directory, string id, LifecycleDefinition lifecycle)
    {
        var root = directory.Combine("root");
        var path = directory.Combine("plan.json");
        var component = new PlannedComponent { Name = Boot, Version = "1.0.0", Lifecycle = lifecycle };
        await File.WriteAllTextAsync(path, ContractJson.SerializePlan(NucleusRestartTests.Plan(id, 1, FailureHandlingPolicy.Rollback, component)));
        return (root, WorkFolder(root), path);
    }

    private static string WorkFolder(string root) => Path.Combine(root, "work", Boot);

    /// <summary>
    /// Kills <paramref name="nucleus"/> with SIGKILL while <paramref name="step"/> runs for the <paramref name="attempt"/>th
    /// time (the step appends its pid to <paramref name="pidFile"/> in its work folder), once the nucleus recorded the
    /// step's process group, as it does for every step it starts, so that the next start can stop what it left.
    /// </summary>
    private static async Task KillDuringStepAsync(NucleusProcess nucleus, string root, string pidFile, int attempt, string step)
    {
        var work = WorkFolder(root);
        await Eventually.HoldsAsync(() => Lines(work, pidFile).Length == attempt, $"{step} run {attempt} to start ({nucleus.Output})", TimeSpan.FromSeconds(60));
        var pid = Lines(work, pidFile)[attempt - 1];
        await Eventually.HoldsAsync(() => Lines(Path.Combine(root, "state"), "process-groups").Contains(pid), $"the process group of {step} run {attempt} recorded");
        nucleus.KillHard();
    }

    private static async Task WaitForDetailedStatusAsync(string root, string deploymentId, string expected, NucleusProcess nucleus)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        string? seen = null;
        while (seen != expected)
        {
            Assert.True(DateTime.UtcNow < deadline, $"deployment {deploymentId} is still {seen}, not {expected} ({nucleus.Output})");
            await Task.Delay(100);
            var reply = await NucleusProcess.TryCliAsync(root, new JsonObject { ["command"] = "deployment.status", ["id"] = deploymentId });
            seen = reply?["result"]?["report"]?["detailedStatus"]?.GetValue<string>();
        }
    }

    private static string[] Lines(string work, string file) =>
        File.Exists(Path.Combine(work, file)) ? File.ReadAllLines(Path.Combine(work, file)) : [];

    private static bool IsAlive(int pid) =>
        File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2].Equals("Z", StringComparison.Ordinal);
}
