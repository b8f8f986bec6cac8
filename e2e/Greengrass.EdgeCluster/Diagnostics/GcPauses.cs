using System.Diagnostics.Tracing;

namespace Greengrass.EdgeCluster.Diagnostics;

/// <summary>
/// Every stop-the-world pause of the garbage collector, from the runtime's own GC events
/// (suspend begins → restart ends), as a histogram with the largest pause per generation.
/// <see cref="GC.GetTotalPauseDuration"/> gives the sum; a latency tail needs the distribution.
/// Two more sums tell what a pause was made of: the time spent suspending the threads (suspend begins → ends,
/// which grows when threads wait for a core) and the bytes the young collections promoted (the survivors
/// copied, a measure of the GC's work that the machine's load does not distort).
/// </summary>
/// <remarks>
/// One listener per process (<see cref="Shared"/>), created once and never disposed: the pauses are the process's,
/// whatever number of clusters it hosts, and creating and disposing event listeners on several threads at once can
/// deadlock inside the runtime's event dispatcher (seen with test clusters starting and stopping in parallel).
/// </remarks>
internal sealed class GcPauses : EventListener
{
    /// <summary>The process's listener.</summary>
    public static GcPauses Shared => Instance.Value;

    private static readonly Lazy<GcPauses> Instance = new(() => new GcPauses(), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Upper bounds of the pause histogram buckets, in seconds (the last bucket is +Inf).</summary>
    public static readonly double[] Bounds = [0.001, 0.005, 0.01, 0.02, 0.05];

    private const int GcStart = 1;
    private const int RestartEeEnd = 3;
    private const int HeapStats = 4;
    private const int SuspendEeEnd = 8;
    private const int SuspendEeBegin = 9;
    private readonly Lock _gate = new();
    private readonly long[] _buckets = new long[Bounds.Length + 1];
    private readonly double[] _maxByGeneration = new double[3];
    private readonly double[] _sumByGeneration = new double[3];
    private DateTime? _suspendedAt;
    private int _generation;
    private long _count;
    private double _sum;
    private double _suspendSum;
    private double _promoted;

    private GcPauses()
    {
    }

    /// <summary>A copy of the pause histogram: per-bucket counts (not cumulative), count, sum, max per generation.</summary>
    public GcPauseSample Sample()
    {
        lock (_gate)
        {
            return new GcPauseSample([.. _buckets], _count, _sum, [.. _maxByGeneration], [.. _sumByGeneration], _suspendSum, _promoted);
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Informational, (EventKeywords)0x1); // GC keyword
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        lock (_gate)
        {
            switch (e.EventId)
            {
                case SuspendEeBegin:
                    _suspendedAt = e.TimeStamp;
                    _generation = 0;
                    break;
                case GcStart when e.Payload is { Count: > 1 } payload && payload[1] is uint depth:
                    _generation = (int)Math.Min(depth, 2);
                    break;
                case SuspendEeEnd when _suspendedAt is { } start:
                    _suspendSum += (e.TimeStamp - start).TotalSeconds;
                    break;
                case HeapStats when e.Payload is { Count: > 3 } stats && stats[1] is ulong promoted0 && stats[3] is ulong promoted1:
                    // A gen0 collection promotes into gen1 (promoted1 is 0); a gen1 collection also promotes gen1 into gen2.
                    _promoted += promoted0 + promoted1;
                    break;
                case RestartEeEnd when _suspendedAt is { } start:
                    Add((e.TimeStamp - start).TotalSeconds);
                    _suspendedAt = null;
                    break;
            }
        }
    }

    private void Add(double seconds)
    {
        var i = 0;
        while (i < Bounds.Length && seconds > Bounds[i])
        {
            i++;
        }
        _buckets[i]++;
        _count++;
        _sum += seconds;
        _maxByGeneration[_generation] = Math.Max(_maxByGeneration[_generation], seconds);
        _sumByGeneration[_generation] += seconds;
    }
}

/// <summary>GC pauses observed so far.</summary>
internal sealed record GcPauseSample(long[] Buckets, long Count, double SumSeconds, double[] MaxByGeneration, double[] SumByGeneration,
    double SuspendSeconds, double PromotedBytes);
