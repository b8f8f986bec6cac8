using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Greengrass.Nucleus.Supervision;
using Microsoft.Extensions.Logging.Abstractions;

namespace Greengrass.Nucleus.Benchmarks;

/// <summary>
/// Overhead of the supervisor when ten components start a long-running <c>sleep</c> at once, compared with
/// plain <see cref="Process.Start(ProcessStartInfo)"/> of the same shell command, and the cost of stopping them.
/// </summary>
[MemoryDiagnoser]
public class ProcessRunnerBenchmarks
{
    private const int Components = 10;
    private readonly List<RunningStep> _steps = [];
    private readonly List<Process> _processes = [];
    private string _root = "";
    private ProcessRunner _runner = null!;

    [GlobalSetup]
    public void Setup()
    {
        _root = Path.Combine(Path.GetTempPath(), "gg-bench-" + Guid.NewGuid().ToString("N")[..8]);
        _runner = new ProcessRunner(
            new ProcessRunnerOptions { RootPath = _root, DefaultPosixUser = Environment.UserName, GracefulStopTimeout = TimeSpan.FromSeconds(5) },
            TimeProvider.System,
            NullLogger<ProcessRunner>.Instance);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _runner.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [IterationCleanup]
    public void StopLeftovers()
    {
        Task.WhenAll(_steps.Select(s => s.StopAsync())).GetAwaiter().GetResult();
        _steps.Clear();
        foreach (var process in _processes)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            process.Dispose();
        }

        _processes.Clear();
    }

    [Benchmark(Baseline = true, Description = "Process.Start x10 (sh -c sleep)")]
    public void ProcessStart()
    {
        for (var i = 0; i < Components; i++)
        {
            _processes.Add(Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "sleep 30"]) { RedirectStandardOutput = true, RedirectStandardError = true })!);
        }
    }

    [Benchmark(Description = "ProcessRunner.StartAsync x10")]
    public async Task RunnerStart()
    {
        for (var i = 0; i < Components; i++)
        {
            _steps.Add(await _runner.StartAsync(Step(i), CancellationToken.None));
        }
    }

    [Benchmark(Description = "ProcessRunner start + stop x10")]
    public async Task RunnerStartAndStop()
    {
        var started = new List<RunningStep>(Components);
        for (var i = 0; i < Components; i++)
        {
            started.Add(await _runner.StartAsync(Step(i), CancellationToken.None));
        }

        await Task.WhenAll(started.Select(s => s.StopAsync()));
    }

    private static StepInvocation Step(int i) =>
        new() { ComponentName = $"com.example.Sleeper{i}", StepName = "Run", Script = "sleep 30" };
}
