using System.Text;
using Prometheus;

namespace Greengrass.Nucleus.Observability;

/// <summary>
/// Metrics components put over IPC (PutComponentMetric), on the nucleus's <c>/metrics</c> as the gauge
/// <c>greengrass_nucleus_component_metric{component, metric, unit}</c> holding the last value put. Cardinality is
/// bounded: each component gets at most <see cref="MaxSeriesPerComponent"/> distinct (metric, unit) series; what comes
/// beyond is dropped and counted in <c>greengrass_nucleus_component_metrics_dropped_total{component}</c>.
/// </summary>
internal sealed class ComponentMetrics
{
    /// <summary>Distinct series one component may create.</summary>
    public const int MaxSeriesPerComponent = 100;

    private static readonly Gauge Values = NucleusMetrics.Factory.CreateGauge(
        "greengrass_nucleus_component_metric", "The last value each component put over IPC (PutComponentMetric), by metric name and unit.",
        new GaugeConfiguration { LabelNames = ["component", "metric", "unit"] });

    private static readonly Counter Dropped = NucleusMetrics.Factory.CreateCounter(
        "greengrass_nucleus_component_metrics_dropped_total",
        $"Metric values dropped because the component already has {MaxSeriesPerComponent} distinct series.",
        new CounterConfiguration { LabelNames = ["component"] });

    private readonly Lock _gate = new();
    private readonly Dictionary<string, HashSet<(string Metric, string Unit)>> _series = new(StringComparer.Ordinal);

    /// <summary>Sets one value; false when it was dropped by the per-component cap.</summary>
    public bool Put(string component, string metric, string unit, double value)
    {
        var key = (Sanitize(metric), unit);
        lock (_gate)
        {
            if (!_series.TryGetValue(component, out var known))
            {
                _series[component] = known = [];
            }

            if (!known.Contains(key) && known.Count >= MaxSeriesPerComponent)
            {
                Dropped.WithLabels(component).Inc();
                return false;
            }

            known.Add(key);
        }

        Values.WithLabels(component, key.Item1, unit).Set(value);
        return true;
    }

    /// <summary>Removes every series of a component (it was removed from the device).</summary>
    public void Forget(string component)
    {
        lock (_gate)
        {
            if (!_series.Remove(component, out var known))
            {
                return;
            }

            foreach (var (metric, unit) in known)
            {
                Values.RemoveLabelled(component, metric, unit);
            }
        }
    }

    /// <summary>Keeps letters, digits, <c>_</c>, <c>.</c>, <c>-</c> and <c>:</c>; anything else becomes <c>_</c>, so a label stays printable.</summary>
    public static string Sanitize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or ':' ? c : '_');
        }

        return builder.ToString();
    }
}
