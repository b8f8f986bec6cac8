using System.Globalization;
using Greengrass.EdgeCluster.Hosting;
using Greengrass.Operator.ScaleBenchmark;

// Scale run of the operator on the embedded edge cluster with simulated kubelets:
//   dotnet run -c Release --project e2e/benchmarks/Greengrass.Operator.ScaleBenchmark -- [--devices 1000] [--components 50] [--deployed 20] [--timeout 300]
// Prints a Markdown table (time to converge, operator RSS, reconcile p99) and exits 1 when the run did not converge.
ScaleOptions options;
try
{
    options = ScaleOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

Console.WriteLine($"starting a cluster with {options.Devices} simulated nodes...");
await using var cluster = await EdgeCluster.StartAsync(new EdgeClusterOptions { Kubelet = KubeletMode.Simulated }.WithNodes(options.Devices));
using var api = new ApiWriter(cluster.KubeconfigPath);
await api.ApplyCrdsAsync(Paths.Crds);

var fleet = new ScaleFleet(api, options);
await fleet.CreateAsync();
Console.WriteLine($"created {options.Components} components, {options.Devices} core devices and one deployment of {options.Deployed} components");

await using var op = OperatorProcess.Start(Paths.OperatorDll, cluster.KubeconfigPath);
var converged = await Convergence.WaitAsync(api, options, op.Started);
var rss = op.ResidentMegabytes();
var metrics = await op.ScrapeAsync();
var p50 = Histograms.Quantile(metrics, "controller_runtime_reconcile_time_seconds", 0.5);
var p99 = Histograms.Quantile(metrics, "controller_runtime_reconcile_time_seconds", 0.99);
var p99Device = Histograms.Quantile(metrics, "controller_runtime_reconcile_time_seconds", 0.99, "controller=\"coredevice\"");
var reconciles = Histograms.Count(metrics, "controller_runtime_reconcile_time_seconds");

string Seconds(TimeSpan? t) => t is { } v ? v.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) + " s" : "not reached";
string Ms(double v) => double.IsNaN(v) ? "n/a" : (v * 1000).ToString("F0", CultureInfo.InvariantCulture) + " ms";
Console.WriteLine();
Console.WriteLine($"| devices | components (deployed) | plans written | pods bound | converged | operator RSS (peak) | reconcile p50 / p99 (all) | p99 (coredevice) | reconciles |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
Console.WriteLine($"| {options.Devices} | {options.Components} ({options.Deployed}) | {Seconds(converged.PlansWritten)} | {Seconds(converged.PodsBound)} | {Seconds(converged.All)} " +
    $"| {rss.Current:F0} MB ({rss.Peak:F0} MB) | {Ms(p50)} / {Ms(p99)} | {Ms(p99Device)} | {reconciles:F0} |");
return converged.All is null ? 1 : 0;
