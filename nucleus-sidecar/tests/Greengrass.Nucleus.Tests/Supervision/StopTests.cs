using Greengrass.Nucleus.Supervision;
using Greengrass.Nucleus.Tests.TestSupport;

namespace Greengrass.Nucleus.Tests.Supervision;

public sealed class StopTests
{
    private static int ReadPid(RunnerFixture fx, string file) =>
        int.Parse(File.ReadAllText(Path.Combine(fx.WorkDir("com.example.Hello"), file)).Trim());

    private static bool KillZeroSucceeds(int pid) => PosixNative.Kill(pid, 0) == 0;

    [Fact]
    public async Task StopAsync_ScriptTrapsTermWithBackgroundedGrandchild_KillsWholeTree()
    {
        await using var fx = new RunnerFixture();
        var script = "trap '' TERM; (trap '' TERM; sleep 300) & echo $! > child; sh -c 'trap \"\" TERM; sleep 300' & echo $! > grandchild; echo $$ > pid; wait";
        var running = await fx.StartAsync(RunnerFixture.Step(script));
        var dir = fx.WorkDir("com.example.Hello");
        await Eventually.HoldsAsync(() => File.Exists(Path.Combine(dir, "pid")), "the script wrote its pids");
        int[] pids = [ReadPid(fx, "pid"), ReadPid(fx, "child"), ReadPid(fx, "grandchild")];
        Assert.All(pids, pid => Assert.True(KillZeroSucceeds(pid), $"pid {pid} runs before the stop"));

        var result = await Eventually.WithinAsync(running.StopAsync(TimeSpan.FromSeconds(1)), "the stop");

        Assert.Equal(StepOutcome.Stopped, result.Outcome);
        Assert.Equal(9, result.Signal);
        await Eventually.HoldsAsync(() => pids.All(pid => !KillZeroSucceeds(pid)), "kill -0 fails for every process of the tree");
    }

    [Fact]
    public async Task StopAsync_ScriptHonoursTerm_EndsWithSigtermWithinGrace()
    {
        await using var fx = new RunnerFixture();
        var running = await fx.StartAsync(RunnerFixture.Step("echo $$ > pid; sleep 300"));
        await Eventually.HoldsAsync(() => File.Exists(Path.Combine(fx.WorkDir("com.example.Hello"), "pid")), "the script started");

        var result = await Eventually.WithinAsync(running.StopAsync(TimeSpan.FromSeconds(30)), "the stop");

        Assert.Equal(StepOutcome.Stopped, result.Outcome);
        Assert.Equal(15, result.Signal);
    }

    [Fact]
    public async Task StopAsync_ShellExitedButBackgroundChildRuns_KillsLeftoverChild()
    {
        await using var fx = new RunnerFixture();
        var running = await fx.StartAsync(RunnerFixture.Step("sleep 300 > /dev/null 2>&1 & echo $! > child"));
        var exited = await Eventually.WithinAsync(running.Exited, "the shell exits");
        Assert.Equal(0, exited.ExitCode);
        var child = ReadPid(fx, "child");
        Assert.True(KillZeroSucceeds(child), "the backgrounded child outlives its shell");

        await Eventually.WithinAsync(running.StopAsync(TimeSpan.FromSeconds(1)), "the stop");

        await Eventually.HoldsAsync(() => !KillZeroSucceeds(child), "kill -0 fails for the leftover child");
    }
}
