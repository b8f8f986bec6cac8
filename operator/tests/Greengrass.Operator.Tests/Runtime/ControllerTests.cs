using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Greengrass.Operator.Runtime.Controllers;
using Greengrass.Operator.Runtime.Metrics;
using Greengrass.Operator.Runtime.Queue;
using k8s.Autorest;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;

namespace Greengrass.Operator.Tests.Runtime;

public sealed class ControllerTests
{
    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();

    private (Controller<string> Controller, ControllerMetrics Metrics) NewController(IReconciler<string> reconciler, int workers = 1)
    {
        var metrics = new ControllerMetrics(_registry);
        var queue = new WorkQueue<string>(RateLimiters.ControllerDefault<string>(TimeProvider.System), TimeProvider.System, metrics.ForQueue("things"));
        metrics.TrackInProgress("things", queue);
        var controller = new Controller<string>(new ControllerOptions { Name = "things", Workers = workers },
            reconciler, queue, NullLogger.Instance, TimeProvider.System, metrics);
        return (controller, metrics);
    }

    [Fact]
    public async Task Reconcile_FailingTwiceThenSucceeding_IsRetriedWithBackoffUntilDone()
    {
        var reconciler = new ScriptedReconciler(key => throw new InvalidOperationException("not yet"), key => throw new InvalidOperationException("still not"), _ => ReconcileResult.Done);
        var (controller, _) = NewController(reconciler);
        using var cts = new CancellationTokenSource();
        var run = controller.RunAsync(cts.Token);

        controller.Queue.Add("ns/a");
        await Eventually.TrueAsync(() => reconciler.Calls == 3, "the key was reconciled three times");
        await Eventually.TrueAsync(() => controller.Queue.Retries("ns/a") == 0, "success forgot the back-off");

        await cts.CancelAsync();
        await run;
        var text = await ExportAsync();
        Assert.Contains("controller_runtime_reconcile_total{controller=\"things\",result=\"error\"} 2", text);
        Assert.Contains("controller_runtime_reconcile_total{controller=\"things\",result=\"success\"} 1", text);
        Assert.Contains("controller_runtime_reconcile_errors_total{controller=\"things\"} 2", text);
        Assert.Contains("workqueue_retries_total{name=\"things\"} 2", text);
    }

    [Fact]
    public async Task Reconcile_Conflict_RequeuesWithoutCountingAnError()
    {
        var conflict = new HttpOperationException("conflict")
        {
            Response = new HttpResponseMessageWrapper(new HttpResponseMessage(HttpStatusCode.Conflict), string.Empty),
        };
        var reconciler = new ScriptedReconciler(_ => throw conflict, _ => ReconcileResult.Done);
        var (controller, _) = NewController(reconciler);
        using var cts = new CancellationTokenSource();
        var run = controller.RunAsync(cts.Token);

        controller.Queue.Add("a");
        await Eventually.TrueAsync(() => reconciler.Calls == 2, "the conflicting key was read again");
        await cts.CancelAsync();
        await run;

        var text = await ExportAsync();
        Assert.Contains("controller_runtime_reconcile_total{controller=\"things\",result=\"requeue\"} 1", text);
        Assert.DoesNotContain("controller_runtime_reconcile_errors_total{controller=\"things\"} 1", text);
    }

    [Fact]
    public async Task Reconcile_TerminalError_IsNotRetried()
    {
        var reconciler = new ScriptedReconciler(_ => throw new TerminalReconcileException("spec is invalid"));
        var (controller, _) = NewController(reconciler);
        using var cts = new CancellationTokenSource();
        var run = controller.RunAsync(cts.Token);

        controller.Queue.Add("a");
        await Eventually.TrueAsync(() => reconciler.Calls == 1, "the key was reconciled");
        controller.Queue.Add("b"); // a later key is processed, so the worker is free again
        await Eventually.TrueAsync(() => reconciler.Calls == 2, "the next key was reconciled");
        await cts.CancelAsync();
        await run;

        Assert.Equal(["a", "b"], reconciler.Keys);
    }

    [Fact]
    public async Task Workers_NeverReconcileOneKeyTwiceAtOnce()
    {
        var running = new ConcurrentDictionary<string, int>();
        var overlaps = 0;
        var total = 0;
        var reconciler = new DelegateReconciler(async (key, ct) =>
        {
            if (running.AddOrUpdate(key, 1, (_, n) => n + 1) > 1)
            {
                Interlocked.Increment(ref overlaps);
            }

            await Task.Delay(2, ct);
            running.AddOrUpdate(key, 0, (_, n) => n - 1);
            Interlocked.Increment(ref total);
            return ReconcileResult.Done;
        });
        var (controller, _) = NewController(reconciler, workers: 4);
        using var cts = new CancellationTokenSource();
        var run = controller.RunAsync(cts.Token);

        for (var round = 0; round < 200; round++)
        {
            controller.Queue.Add($"key-{round % 3}");
            if (round % 10 == 0)
            {
                await Task.Delay(1);
            }
        }

        await Eventually.TrueAsync(() => controller.Queue.Count == 0 && running.Values.All(v => v == 0), "the queue drained");
        await cts.CancelAsync();
        await run;

        Assert.Equal(0, overlaps);
        Assert.InRange(total, 3, 200); // duplicates collapsed, every key seen
    }

    [Fact]
    public async Task Metrics_CarryControllerRuntimeNames_AndPassPromtool()
    {
        var reconciler = new ScriptedReconciler(_ => ReconcileResult.RequeueAfter(TimeSpan.FromMinutes(5)));
        var (controller, _) = NewController(reconciler, workers: 2);
        using var cts = new CancellationTokenSource();
        var run = controller.RunAsync(cts.Token);
        controller.Queue.Add("a");
        await Eventually.TrueAsync(() => reconciler.Calls == 1, "reconciled");
        await cts.CancelAsync();
        await run;

        var text = await ExportAsync();
        foreach (var name in new[]
                 {
                     "controller_runtime_reconcile_total", "controller_runtime_reconcile_errors_total",
                     "controller_runtime_reconcile_time_seconds", "controller_runtime_active_workers",
                     "controller_runtime_max_concurrent_reconciles", "workqueue_depth", "workqueue_adds_total",
                     "workqueue_queue_duration_seconds", "workqueue_work_duration_seconds", "workqueue_retries_total",
                     "workqueue_unfinished_work_seconds", "workqueue_longest_running_processor_seconds",
                 })
        {
            Assert.Contains($"# TYPE {name} ", text);
        }

        Assert.Contains("controller_runtime_max_concurrent_reconciles{controller=\"things\"} 2", text);
        Assert.Contains("controller_runtime_reconcile_total{controller=\"things\",result=\"requeue_after\"} 1", text);
        await Promtool.AssertCleanAsync(text);
    }

    private async Task<string> ExportAsync()
    {
        using var stream = new MemoryStream();
        await _registry.CollectAndExportAsTextAsync(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private sealed class ScriptedReconciler(params Func<string, ReconcileResult>[] steps) : IReconciler<string>
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public ConcurrentQueue<string> KeysSeen { get; } = new();

        public string[] Keys => [.. KeysSeen];

        public Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken)
        {
            KeysSeen.Enqueue(key);
            var index = Interlocked.Increment(ref _calls) - 1;
            return Task.FromResult(steps[Math.Min(index, steps.Length - 1)](key));
        }
    }

    private sealed class DelegateReconciler(Func<string, CancellationToken, Task<ReconcileResult>> body) : IReconciler<string>
    {
        public Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken) => body(key, cancellationToken);
    }
}

/// <summary>Runs the real <c>promtool check metrics</c> (Debian package prometheus) over an exposition.</summary>
internal static class Promtool
{
    public static async Task AssertCleanAsync(string exposition)
    {
        var path = Environment.GetEnvironmentVariable("PATH")!.Split(':').Select(d => Path.Combine(d, "promtool")).FirstOrDefault(File.Exists);
        Assert.True(path is not null, "promtool is not installed: run `make test-deps` (Debian package prometheus)");
        using var process = Process.Start(new ProcessStartInfo(path!, "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0 && output.Trim().Length == 0, $"promtool check metrics found problems:\n{output}");
    }
}
