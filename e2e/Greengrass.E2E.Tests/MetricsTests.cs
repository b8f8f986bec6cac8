using System.Diagnostics;
using System.Text.RegularExpressions;
using Greengrass.E2E.Tests.Support;

namespace Greengrass.E2E.Tests;

/// <summary>The operator's /metrics: controller-runtime's names, the fleet gauges, leader status, and a clean promtool lint.</summary>
[Collection(ReportedFleetCollection.Name)]
public sealed partial class MetricsTests(ReportedFleet fleet)
{
    // controller-runtime's controller and client-go's work-queue metrics, as dashboards and alerts expect them.
    private static readonly string[] ControllerRuntimeNames =
    [
        "controller_runtime_reconcile_total", "controller_runtime_reconcile_errors_total", "controller_runtime_reconcile_time_seconds_bucket",
        "controller_runtime_active_workers", "controller_runtime_max_concurrent_reconciles",
        "workqueue_depth", "workqueue_adds_total", "workqueue_queue_duration_seconds_bucket", "workqueue_work_duration_seconds_bucket",
        "workqueue_retries_total", "workqueue_unfinished_work_seconds", "workqueue_longest_running_processor_seconds",
    ];

    [Fact]
    public async Task Metrics_CarryControllerRuntimeNamesFleetGaugesAndLeaderStatus()
    {
        var text = await ScrapeAsync(t => t.Contains("greengrass_components{", StringComparison.Ordinal) && t.Contains("state=\"RUNNING\"", StringComparison.Ordinal));

        var names = MetricNames(text);
        Assert.All(ControllerRuntimeNames, n => Assert.Contains(n, names));
        Assert.Contains("controller_runtime_reconcile_total{controller=\"coredevice\",result=\"success\"}", text, StringComparison.Ordinal);
        Assert.Matches(@"greengrass_coredevices\{health=""HEALTHY""\} 2\b", text);
        Assert.Matches(@"greengrass_components\{component=""com.example.App"",state=""RUNNING""\} 2\b", text);
        Assert.Contains("greengrass_deployment_devices{deployment=\"observed/apps\"", text, StringComparison.Ordinal);
        Assert.Matches(@"greengrass_deployment_rollout_aborted\{deployment=""observed/apps""\} 0\b", text);
        Assert.Matches(@"leader_election_master_status\{name=""greengrass-operator""\} 1\b", text);
    }

    [Fact]
    public async Task Metrics_PassPromtoolCheck()
    {
        var text = await ScrapeAsync(t => t.Contains("greengrass_coredevices{", StringComparison.Ordinal));
        var info = new ProcessStartInfo("promtool", ["check", "metrics"]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var promtool = Process.Start(info)!;
        var stdout = promtool.StandardOutput.ReadToEndAsync();
        var stderr = promtool.StandardError.ReadToEndAsync();
        await promtool.StandardInput.WriteAsync(text);
        promtool.StandardInput.Close();
        await promtool.WaitForExitAsync();
        var report = (await stdout) + (await stderr);
        Assert.True(promtool.ExitCode == 0 && report.Trim().Length == 0, $"promtool check metrics (exit {promtool.ExitCode}):\n{report}");
    }

    /// <summary>Scrapes /metrics at the URL the operator printed until <paramref name="ready"/> holds.</summary>
    private async Task<string> ScrapeAsync(Func<string, bool> ready)
    {
        var url = await Eventually.Value(() => Task.FromResult(fleet.Operator.Output.Select(l => ServingLine().Match(l)).FirstOrDefault(m => m.Success)?.Groups[1].Value),
            "the operator's serving line");
        var address = new Uri(url.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
        using var http = new HttpClient();
        return await Eventually.Value(async () =>
        {
            var text = await http.GetStringAsync(new Uri(address, "/metrics"));
            return ready(text) ? text : null;
        }, "metrics with the fleet's gauges");
    }

    private static HashSet<string> MetricNames(string exposition) =>
        [.. exposition.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split('{', ' ')[0])];

    [GeneratedRegex(@"Serving /metrics\S* .* on (\S+)")]
    private static partial Regex ServingLine();
}
