using Prometheus;

namespace Greengrass.Nucleus.Observability;

/// <summary>
/// The nucleus's own metric registry: only what the nucleus defines (components, IPC, spool), without the
/// .NET event-counter adapters of the default registry, whose names break Prometheus naming rules.
/// </summary>
internal static class NucleusMetrics
{
    public static readonly CollectorRegistry Registry = Prometheus.Metrics.NewCustomRegistry();

    public static readonly IMetricFactory Factory = Prometheus.Metrics.WithCustomRegistry(Registry);
}
