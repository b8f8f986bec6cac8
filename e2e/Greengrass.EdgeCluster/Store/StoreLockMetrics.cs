using System.Diagnostics;

namespace Greengrass.EdgeCluster.Store;

/// <summary>What a holder of the store lock was doing: the label of the lock metrics.</summary>
internal enum StoreOp { Read, Snapshot, List, Watch, Create, Mutate, Delete, Restore }

/// <summary>
/// Time spent waiting for and holding the store's single lock, per operation, as histograms. Every
/// write's latency includes the wait, so this tells whether a slow write queued behind another holder
/// (a list, a snapshot, a slow commit) or was slow on its own. Only the lock holder updates it.
/// </summary>
internal sealed class StoreLockMetrics
{
    /// <summary>Upper bounds of the histogram buckets, in seconds (the last bucket is +Inf).</summary>
    public static readonly double[] Bounds = [0.0001, 0.001, 0.005, 0.01, 0.05];

    private static readonly long[] BoundTicks = [.. Bounds.Select(b => (long)(b * Stopwatch.Frequency))];
    private readonly Histogram[] _wait = [.. Enum.GetValues<StoreOp>().Select(_ => new Histogram())];
    private readonly Histogram[] _hold = [.. Enum.GetValues<StoreOp>().Select(_ => new Histogram())];

    /// <summary>Records one lock use; called with the lock still held.</summary>
    public void Record(StoreOp op, long waitTicks, long holdTicks)
    {
        _wait[(int)op].Add(waitTicks);
        _hold[(int)op].Add(holdTicks);
    }

    /// <summary>A copy of the counters; the caller holds the lock.</summary>
    public IReadOnlyList<StoreLockSample> Sample() =>
        [.. Enum.GetValues<StoreOp>().Select(op => new StoreLockSample(op, _wait[(int)op].Snapshot(), _hold[(int)op].Snapshot()))];

    private sealed class Histogram
    {
        private readonly long[] _buckets = new long[BoundTicks.Length + 1];
        private long _count;
        private long _sumTicks;
        private long _maxTicks;

        public void Add(long ticks)
        {
            var i = 0;
            while (i < BoundTicks.Length && ticks > BoundTicks[i])
            {
                i++;
            }
            _buckets[i]++;
            _count++;
            _sumTicks += ticks;
            _maxTicks = Math.Max(_maxTicks, ticks);
        }

        public LockHistogram Snapshot() =>
            new([.. _buckets], _count, (double)_sumTicks / Stopwatch.Frequency, (double)_maxTicks / Stopwatch.Frequency);
    }
}

/// <summary>One histogram: per-bucket counts (not cumulative; the last is above every bound), count, sum and max in seconds.</summary>
internal sealed record LockHistogram(long[] Buckets, long Count, double SumSeconds, double MaxSeconds);

/// <summary>Lock wait and hold histograms of one operation.</summary>
internal sealed record StoreLockSample(StoreOp Op, LockHistogram Wait, LockHistogram Hold);
