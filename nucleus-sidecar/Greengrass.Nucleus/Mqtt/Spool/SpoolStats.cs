using Prometheus;

namespace Greengrass.Nucleus.Mqtt.Spool;

/// <summary>Per-spool counters (tests and reports) that also feed the process-wide Prometheus metrics.</summary>
internal sealed class SpoolStats
{
    private long _spooled;
    private long _delivered;
    private long _dropped;
    private long _refused;

    public long SpooledCount => Interlocked.Read(ref _spooled);

    public long DeliveredCount => Interlocked.Read(ref _delivered);

    public long DroppedCount => Interlocked.Read(ref _dropped);

    public long RefusedCount => Interlocked.Read(ref _refused);

    public void Spooled(int bytes) => Count(ref _spooled, "spooled", bytes);

    public void Delivered(int bytes) => Count(ref _delivered, "delivered", bytes);

    public void Dropped(int bytes) => Count(ref _dropped, "dropped", bytes);

    public void Refused(int bytes) => Count(ref _refused, "refused", bytes);

    private static void Count(ref long field, string state, int bytes)
    {
        Interlocked.Increment(ref field);
        SpoolMetrics.Messages.WithLabels(state).Inc();
        SpoolMetrics.Bytes.WithLabels(state).Inc(bytes);
    }
}

internal static class SpoolMetrics
{
    public static readonly Counter Messages = Observability.NucleusMetrics.Factory.CreateCounter(
        "greengrass_spool_messages_total", "Messages through the upstream spool by state (spooled, delivered, dropped, refused).", new CounterConfiguration { LabelNames = ["state"] });

    public static readonly Counter Bytes = Observability.NucleusMetrics.Factory.CreateCounter(
        "greengrass_spool_bytes_total", "Payload bytes through the upstream spool by state.", new CounterConfiguration { LabelNames = ["state"] });

    public static readonly Gauge QueuedMessages = Observability.NucleusMetrics.Factory.CreateGauge(
        "greengrass_spool_queued_messages", "Messages in the spool waiting for upstream.");

    public static readonly Gauge QueuedBytes = Observability.NucleusMetrics.Factory.CreateGauge(
        "greengrass_spool_queued_bytes", "Payload bytes in the spool waiting for upstream (the maxSizeInBytes budget).");

    public static void SetQueued(int messages, long bytes)
    {
        QueuedMessages.Set(messages);
        QueuedBytes.Set(bytes);
    }
}
