using System.Globalization;

namespace Greengrass.EdgeCluster.Benchmarks;

/// <summary>
/// One scrape of the emulator's <c>/metrics</c> (Prometheus text), plus the driver's own CPU and GC
/// counters taken at the same moment, so a phase can be described as the difference of two samples.
/// </summary>
internal sealed class ServerMetrics
{
    private readonly Dictionary<string, double> _values;

    private ServerMetrics(Dictionary<string, double> values, TimeSpan driverCpu, int[] driverGcs, TimeSpan driverPause)
    {
        _values = values;
        DriverCpu = driverCpu;
        DriverGcs = driverGcs;
        DriverPause = driverPause;
    }

    public TimeSpan DriverCpu { get; }
    public int[] DriverGcs { get; }
    public TimeSpan DriverPause { get; }

    public static async Task<ServerMetrics> ScrapeAsync(HttpClient http)
    {
        var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var space = line.LastIndexOf(' ');
            if (line.Length == 0 || line[0] == '#' || space < 0)
            {
                continue;
            }
            values[line[..space]] = double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
        }
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return new ServerMetrics(values, self.TotalProcessorTime, [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)], GC.GetTotalPauseDuration());
    }

    public double this[string series] => _values.GetValueOrDefault(series);

    /// <summary>Rows describing the phase between <paramref name="before"/> and <paramref name="after"/>.</summary>
    public static IEnumerable<(string Metric, string Value)> Describe(ServerMetrics before, ServerMetrics after, TimeSpan phase)
    {
        var c = CultureInfo.InvariantCulture;
        double D(string s) => after[s] - before[s];
        string Ms(double seconds) => string.Create(c, $"{seconds * 1000:0.0} ms");
        yield return ("phase (first create → last ADDED read)", string.Create(c, $"{phase.TotalSeconds:0.0} s"));
        yield return ("server CPU / driver CPU in the phase", string.Create(c,
            $"{D("process_cpu_seconds_total"):0.0} s / {(after.DriverCpu - before.DriverCpu).TotalSeconds:0.0} s"));
        yield return ("server GCs gen0 / gen1 / gen2", string.Create(c,
            $"{D("dotnet_gc_collections_total{generation=\"0\"}"):0} / {D("dotnet_gc_collections_total{generation=\"1\"}"):0} / {D("dotnet_gc_collections_total{generation=\"2\"}"):0}"));
        yield return ("server allocated in the phase / GC heap at the end", string.Create(c,
            $"{D("dotnet_gc_allocated_bytes_total") / 1048576:0} MiB / {after["dotnet_gc_heap_size_bytes"] / 1048576:0} MiB"));
        var pauses = D("dotnet_gc_pause_seconds_count");
        yield return ("server GC pauses: count / total / over 10 ms / over 20 ms", string.Create(c,
            $"{pauses:0} / {Ms(D("dotnet_gc_pause_seconds_sum"))} / {pauses - D("dotnet_gc_pause_seconds_bucket{le=\"0.01\"}"):0} / {pauses - D("dotnet_gc_pause_seconds_bucket{le=\"0.02\"}"):0}"));
        yield return ("server GC: of the pauses, suspending threads / promoted by gen0+gen1 GCs", string.Create(c,
            $"{Ms(D("dotnet_gc_suspend_seconds_total"))} / {D("dotnet_gc_promoted_bytes_total") / 1048576:0} MiB"));
        yield return ("server GC pause total by collected generation 0 / 1 / 2", string.Join(" / ",
            Enumerable.Range(0, 3).Select(g => Ms(D($"dotnet_gc_pause_by_generation_seconds_total{{generation=\"{g}\"}}")))));
        yield return ("server GC longest pause gen0 / gen1 / gen2 (whole run)", string.Join(" / ",
            Enumerable.Range(0, 3).Select(g => Ms(after[$"dotnet_gc_pause_max_seconds{{generation=\"{g}\"}}"]))));
        yield return ("driver GCs gen0 / gen1 / gen2, pause total", string.Create(c,
            $"{after.DriverGcs[0] - before.DriverGcs[0]} / {after.DriverGcs[1] - before.DriverGcs[1]} / {after.DriverGcs[2] - before.DriverGcs[2]}, {Ms((after.DriverPause - before.DriverPause).TotalSeconds)}"));
        yield return ("mutations started over (another write landed first)", string.Create(c, $"{D("edgecluster_store_mutation_retries_total"):0}"));
        foreach (var op in new[] { "create", "mutate", "read", "snapshot", "list", "watch", "delete" })
        {
            var count = D($"edgecluster_store_lock_hold_seconds_count{{op=\"{op}\"}}");
            if (count == 0)
            {
                continue;
            }
            var slowWaits = count - D($"edgecluster_store_lock_wait_seconds_bucket{{op=\"{op}\",le=\"0.001\"}}");
            yield return ($"store lock, {op}: count / held total / held max (run) / waits over 1 ms", string.Create(c,
                $"{count:0} / {Ms(D($"edgecluster_store_lock_hold_seconds_sum{{op=\"{op}\"}}"))} / {Ms(after[$"edgecluster_store_lock_hold_max_seconds{{op=\"{op}\"}}"])} / {slowWaits:0}"));
        }
    }
}
