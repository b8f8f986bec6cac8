using System.Diagnostics;
using System.Globalization;
using System.Text;
using Greengrass.EdgeCluster.Store;

namespace Greengrass.EdgeCluster.Diagnostics;

/// <summary>
/// The emulator's <c>/metrics</c> in the Prometheus text format: store lock wait and hold histograms per
/// operation, GC collections and pauses, CPU time and RSS. What a scale run reads to tell where a
/// latency tail comes from.
/// </summary>
internal sealed class MetricsText(ResourceStore store, GcPauses pauses)
{
    public string Render()
    {
        var text = new StringBuilder();
        var samples = store.LockMetrics(); // one snapshot for both histograms, so their counts agree
        foreach (var (name, pick) in new (string, Func<StoreLockSample, LockHistogram>)[] { ("wait", s => s.Wait), ("hold", s => s.Hold) })
        {
            var metric = $"edgecluster_store_lock_{name}_seconds";
            text.Append("# HELP ").Append(metric).Append(" Time ").Append(name == "wait" ? "waiting for" : "holding").Append(" the store lock, by operation.\n");
            text.Append("# TYPE ").Append(metric).Append(" histogram\n");
            foreach (var sample in samples)
            {
                var h = pick(sample);
                var op = sample.Op.ToString().ToLowerInvariant();
                Histogram(text, metric, $"op=\"{op}\",", StoreLockMetrics.Bounds, h.Buckets, h.Count, h.SumSeconds);
                Line(text, metric.Replace("_seconds", "_max_seconds", StringComparison.Ordinal), $"{{op=\"{op}\"}}", h.MaxSeconds);
            }
        }
        Line(text, "edgecluster_store_mutation_retries_total", "", store.MutationRetries);
        RenderGc(text);
        using var self = Process.GetCurrentProcess();
        Line(text, "process_cpu_seconds_total", "", self.TotalProcessorTime.TotalSeconds);
        Line(text, "process_resident_memory_bytes", "", Environment.WorkingSet);
        return text.ToString();
    }

    private void RenderGc(StringBuilder text)
    {
        text.Append("# TYPE dotnet_gc_collections_total counter\n");
        for (var gen = 0; gen <= 2; gen++)
        {
            Line(text, "dotnet_gc_collections_total", $"{{generation=\"{gen}\"}}", GC.CollectionCount(gen));
        }
        var sample = pauses.Sample();
        text.Append("# HELP dotnet_gc_pause_seconds Stop-the-world GC pauses.\n# TYPE dotnet_gc_pause_seconds histogram\n");
        Histogram(text, "dotnet_gc_pause_seconds", "", GcPauses.Bounds, sample.Buckets, sample.Count, sample.SumSeconds);
        for (var gen = 0; gen <= 2; gen++)
        {
            Line(text, "dotnet_gc_pause_max_seconds", $"{{generation=\"{gen}\"}}", sample.MaxByGeneration[gen]);
            Line(text, "dotnet_gc_pause_by_generation_seconds_total", $"{{generation=\"{gen}\"}}", sample.SumByGeneration[gen]);
        }
        Line(text, "dotnet_gc_pause_total_seconds", "", GC.GetTotalPauseDuration().TotalSeconds);
        Line(text, "dotnet_gc_suspend_seconds_total", "", sample.SuspendSeconds);
        Line(text, "dotnet_gc_promoted_bytes_total", "", sample.PromotedBytes);
        Line(text, "dotnet_gc_heap_size_bytes", "", GC.GetGCMemoryInfo().HeapSizeBytes);
        Line(text, "dotnet_gc_allocated_bytes_total", "", GC.GetTotalAllocatedBytes());
        Line(text, "dotnet_gc_server", "", System.Runtime.GCSettings.IsServerGC ? 1 : 0);
    }

    private static void Histogram(StringBuilder text, string metric, string labels, double[] bounds, long[] buckets, long count, double sum)
    {
        long cumulative = 0;
        for (var i = 0; i < buckets.Length; i++)
        {
            cumulative += buckets[i];
            var le = i < bounds.Length ? bounds[i].ToString(CultureInfo.InvariantCulture) : "+Inf";
            Line(text, metric + "_bucket", $"{{{labels}le=\"{le}\"}}", cumulative);
        }
        var plain = labels.Length == 0 ? "" : "{" + labels.TrimEnd(',') + "}";
        Line(text, metric + "_sum", plain, sum);
        Line(text, metric + "_count", plain, count);
    }

    private static void Line(StringBuilder text, string metric, string labels, double value) =>
        text.Append(metric).Append(labels).Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
}
