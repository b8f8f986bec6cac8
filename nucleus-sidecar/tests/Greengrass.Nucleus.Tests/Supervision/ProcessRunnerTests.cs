using Greengrass.Nucleus.Supervision;
using Greengrass.Nucleus.Tests.TestSupport;

namespace Greengrass.Nucleus.Tests.Supervision;

public sealed class ProcessRunnerTests
{
    [Fact]
    public async Task StartAsync_ScriptWritesFile_RunsInComponentWorkFolderAndExitsZero()
    {
        await using var fx = new RunnerFixture();
        var result = await fx.RunAsync(RunnerFixture.Step("pwd > where.txt; echo hello > out.txt"));

        Assert.Equal(StepOutcome.Exited, result.Outcome);
        Assert.Equal(0, result.ExitCode);
        Assert.True(result.Succeeded);
        Assert.Equal(fx.WorkDir("com.example.Hello"), File.ReadAllText(Path.Combine(fx.WorkDir("com.example.Hello"), "where.txt")).Trim());
        Assert.Equal("hello", File.ReadAllText(Path.Combine(fx.WorkDir("com.example.Hello"), "out.txt")).Trim());
    }

    [Theory]
    [InlineData("exit 3", 3)]
    [InlineData("exit 143", 143)]
    public async Task StartAsync_ScriptExitsWithCode_ReportsThatExactCode(string script, int code)
    {
        await using var fx = new RunnerFixture();
        var result = await fx.RunAsync(RunnerFixture.Step(script));

        Assert.Equal(StepOutcome.Exited, result.Outcome);
        Assert.Equal(code, result.ExitCode);
        Assert.Null(result.Signal);
        Assert.False(result.Succeeded);
        Assert.Contains($"exited with code {code}", result.Description);
    }

    [Fact]
    public async Task StartAsync_ScriptKillsItselfWithSignal_ReportsSignalNotExitCode()
    {
        await using var fx = new RunnerFixture();
        var result = await fx.RunAsync(RunnerFixture.Step("kill -TERM $$; sleep 5"));

        Assert.Equal(StepOutcome.Signaled, result.Outcome);
        Assert.Equal(15, result.Signal);
        Assert.Null(result.ExitCode);
        Assert.Contains("SIGTERM", result.Description);
    }

    [Fact]
    public async Task StartAsync_ScriptDoesNotExist_ReportsCommandNotFoundWithStderr()
    {
        await using var fx = new RunnerFixture();
        var result = await fx.RunAsync(RunnerFixture.Step("./missing-install.sh"));

        Assert.Equal(127, result.ExitCode);
        Assert.Contains("command not found", result.Description);
        Assert.Contains(result.StderrTail, line => line.Contains("missing-install.sh") && line.Contains("not found"));
    }

    [Fact]
    public async Task StartAsync_ShellDoesNotExist_FailsToStartWithReason()
    {
        await using var fx = new RunnerFixture(o => o.PosixShell = "/nonexistent/bin/sh");
        var result = await fx.RunAsync(RunnerFixture.Step("echo never"));

        Assert.Equal(StepOutcome.FailedToStart, result.Outcome);
        Assert.Contains("/nonexistent/bin/sh", result.Description);
        Assert.Contains("not found", result.Description);
    }

    [Fact]
    public async Task StartAsync_TimeoutElapses_KillsScriptAndReportsTimedOut()
    {
        await using var fx = new RunnerFixture();
        var step = RunnerFixture.Step("echo $$ > pid; sleep 300") with { Timeout = TimeSpan.FromSeconds(1) };
        var result = await fx.RunAsync(step);

        Assert.Equal(StepOutcome.TimedOut, result.Outcome);
        Assert.Equal(15, result.Signal);
        Assert.Contains("timed out after 1 s", result.Description);
        var pid = int.Parse(File.ReadAllText(Path.Combine(fx.WorkDir("com.example.Hello"), "pid")).Trim());
        Assert.False(ProcessTree.IsAlive(pid));
    }

    [Fact]
    public async Task StartAsync_StdoutAndStderr_AreCopiedLineByLineIntoComponentLog()
    {
        await using var fx = new RunnerFixture();
        await fx.RunAsync(RunnerFixture.Step("echo first line; echo oops >&2; echo second line", step: "Install"));

        var log = File.ReadAllLines(fx.Root.Combine("logs", "com.example.Hello.log"));
        Assert.Contains(log, l => l.Contains("[INFO]") && l.Contains("stdout. first line.") && l.Contains("scriptName=services.com.example.Hello.lifecycle.Install"));
        Assert.Contains(log, l => l.Contains("[WARN]") && l.Contains("stderr. oops."));
        Assert.True(
            Array.FindIndex(log, l => l.Contains("first line")) < Array.FindIndex(log, l => l.Contains("second line")),
            "stdout lines keep their order");
    }

    [Fact]
    public async Task StartAsync_ChattyScript_ComponentLogRotatesBySize()
    {
        await using var fx = new RunnerFixture(o =>
        {
            o.LogFileMaxBytes = 4096;
            o.LogFilesKept = 2;
        });

        var result = await fx.RunAsync(RunnerFixture.Step("i=0; while [ $i -lt 400 ]; do echo \"output line $i\"; i=$((i+1)); done"));

        Assert.True(result.Succeeded, result.Description);
        var logs = fx.Root.Combine("logs");
        await Eventually.HoldsAsync(() => File.ReadAllText(Path.Combine(logs, "com.example.Hello.log")).Contains("output line 399"), "the last line is logged");
        Assert.True(File.Exists(Path.Combine(logs, "com.example.Hello.log.1")));
        Assert.True(File.Exists(Path.Combine(logs, "com.example.Hello.log.2")));
        Assert.False(File.Exists(Path.Combine(logs, "com.example.Hello.log.3")));
    }

    [Fact]
    public async Task StartAsync_ComponentNameEscapingRoot_ConfigurationInvalidAndNothingWritten()
    {
        await using var fx = new RunnerFixture();

        var result = await fx.RunAsync(RunnerFixture.Step("touch escaped", component: ".."));

        Assert.Equal(StepOutcome.ConfigurationInvalid, result.Outcome);
        Assert.Contains("componentName", result.Description);
        Assert.Empty(Directory.EnumerateFiles(fx.Root.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task StartAsync_LimitsWithCgroupTree_ScriptWaitsUntilMovedThenRuns()
    {
        await using var fx = new RunnerFixture();
        var cgroupRoot = fx.Root.Combine("fake-cgroup");
        Directory.CreateDirectory(cgroupRoot);
        File.WriteAllText(Path.Combine(cgroupRoot, "cgroup.controllers"), "cpu memory\n");
        fx.Options.CgroupRoot = cgroupRoot;
        using var runner = new ProcessRunner(fx.Options, TimeProvider.System, fx.Logger);
        var step = RunnerFixture.Step("echo $$ > pid; cat - > stdin.txt", component: "com.example.Limited") with
        {
            RunWith = new RunWith(SystemResourceLimits: new ResourceLimits(Cpus: 0.25)),
        };

        var running = await runner.StartAsync(step, CancellationToken.None);
        var result = await Eventually.WithinAsync(running.Exited, "the gated step");

        Assert.True(result.Succeeded, result.Description);
        Assert.True(running.Limits.Enforced, running.Limits.Description);
        var pid = File.ReadAllText(Path.Combine(fx.WorkDir("com.example.Limited"), "pid")).Trim();
        Assert.Equal(pid, File.ReadAllText(Path.Combine(cgroupRoot, "greengrass", "com.example.Limited", "cgroup.procs")).Trim());
        Assert.Equal("25000 100000", File.ReadAllText(Path.Combine(cgroupRoot, "greengrass", "com.example.Limited", "cpu.max")).Trim());
        Assert.Equal("", File.ReadAllText(Path.Combine(fx.WorkDir("com.example.Limited"), "stdin.txt")));
    }

    [Fact]
    public void Constructor_NegativeLogFileCount_RefusedNamingTheSetting()
    {
        var options = new ProcessRunnerOptions { RootPath = "/tmp/unused-root", LogFilesKept = -1 };

        var ex = Assert.Throws<ArgumentException>(() => new ProcessRunner(options, TimeProvider.System, new ListLogger<ProcessRunner>()));

        Assert.Contains("LogFilesKept", ex.Message);
    }
}
