using System.Diagnostics;

namespace Greengrass.EdgeCluster.Benchmarks;

/// <summary>The scale run's watchers and what they measure: the delay from a create to its ADDED event.</summary>
internal static partial class ScaleRun
{
    /// <summary>
    /// One watcher: reads the stream in large chunks and times every ADDED event of a measured pod from when its create
    /// was sent (or due) to when its bytes were read. It scans bytes and allocates nothing per event: the driver shares
    /// the 2 cores with the server, and 10 watchers decoding 60,000 events each would put the driver's own work into
    /// the measured latencies.
    /// </summary>
    private static async Task WatchAsync(HttpClient http, Deliveries deliveries, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/pods?watch=true", UriKind.Relative));
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            var buffer = new byte[256 * 1024];
            var filled = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(filled), ct)) > 0)
            {
                var now = Stopwatch.GetTimestamp();
                filled += read;
                var consumed = 0;
                int newline;
                while ((newline = buffer.AsSpan(consumed, filled - consumed).IndexOf((byte)'\n')) >= 0)
                {
                    if (MeasuredPodAdded(buffer.AsSpan(consumed, newline)) is var pod && pod >= 0 && pod < deliveries.SentAt.Length && Volatile.Read(ref deliveries.SentAt[pod]) is var sent and > 0)
                    {
                        deliveries.Add(Stopwatch.GetElapsedTime(sent, now).TotalMilliseconds);
                    }
                    consumed += newline + 1;
                }
                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
                if (filled == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2); // one event larger than the buffer
                }
            }
        }
        catch (OperationCanceledException)
        {
            // run finished
        }
    }

    /// <summary>
    /// The index of the measured pod (<c>pod-N</c>) an ADDED line is about, or -1 for any other line, without parsing
    /// the JSON: the pods this run creates have metadata first and the name first in it (the body is ours).
    /// </summary>
    private static int MeasuredPodAdded(ReadOnlySpan<byte> line)
    {
        var prefix = "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"pod-"u8;
        if (!line.StartsWith(prefix))
        {
            return -1;
        }
        var index = 0;
        foreach (var b in line[prefix.Length..])
        {
            if (b == (byte)'"')
            {
                return index;
            }
            if (b is < (byte)'0' or > (byte)'9')
            {
                return -1;
            }
            index = (index * 10) + (b - '0');
        }
        return -1;
    }

    /// <summary>When each measured pod's create was sent, and the watch delivery delays measured so far.</summary>
    private sealed class Deliveries(int pods, int watchers)
    {
        private readonly double[] _delays = new double[pods * watchers];
        private int _count;

        /// <summary>Stopwatch timestamp at which pod <c>i</c>'s create was sent (or due); 0 until then.</summary>
        public long[] SentAt { get; } = new long[pods];

        public int Count => Volatile.Read(ref _count);

        public void Add(double milliseconds)
        {
            var i = Interlocked.Increment(ref _count) - 1;
            if (i < _delays.Length)
            {
                _delays[i] = milliseconds;
            }
        }

        public List<double> Delays() => [.. _delays.AsSpan(0, Math.Min(Count, _delays.Length))];
    }
}
