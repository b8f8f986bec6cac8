using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Mqtt.Spool;

/// <summary>
/// The durable FIFO between local publishers and upstream. Appends are group-committed (one fsync per batch) and
/// complete only once durable; delivery is strictly in sequence order and a cursor file remembers what upstream
/// acknowledged, so after a crash everything after the cursor is sent again (at least once, in order).
/// When full it behaves like the Greengrass spooler: the oldest QoS 0 messages are dropped to make room and, if
/// that is not enough, the new message is refused.
/// </summary>
internal sealed partial class DiskSpool : IAsyncDisposable
{
    private int _disposed;
    private const int CursorPersistEvery = 256;

    // A record with this QoS marks the message with its sequence as dropped, so a restart does not revive it.
    private const int TombstoneQos = 255;
    private readonly SpoolOptions _options;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly LinkedList<SpoolMessage> _queue = new();
    private readonly Channel<PendingAppend> _appends = Channel.CreateUnbounded<PendingAppend>(new() { SingleReader = true });
    private readonly SpoolSegments _segments;
    private readonly Task _writer;
    private TaskCompletionSource _available = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _nextSequence;
    private long _bytes;
    private long _deliveredCursor;
    private long _persistedCursor;
    private bool _online;

    public DiskSpool(SpoolOptions options, ILogger logger)
    {
        options.Validate();
        _options = options;
        _logger = logger;
        _segments = new SpoolSegments(options.Directory, options.SegmentSizeBytes);
        _deliveredCursor = _persistedCursor = _segments.ReadCursor();
        var all = _segments.Recover(_deliveredCursor);
        var tombstones = all.Where(m => m.Qos == TombstoneQos).Select(m => m.Sequence).ToHashSet();
        var recovered = all.Where(m => m.Qos != TombstoneQos && !tombstones.Contains(m.Sequence)).ToList();
        _nextSequence = Math.Max(_deliveredCursor, all.Count > 0 ? all.Max(m => m.Sequence) : 0) + 1;
        foreach (var message in recovered)
        {
            if (message.Qos == 0 && !_options.KeepQos0WhenOffline)
            {
                Stats.Dropped(message.Payload.Length);
                continue; // the nucleus starts offline
            }

            _queue.AddLast(message);
            _bytes += message.Payload.Length;
        }

        SpoolMetrics.SetQueued(_queue.Count, _bytes);
        LogRecovered(_logger, _queue.Count, _deliveredCursor);
        _writer = Task.Run(WriteLoopAsync);
    }

    public SpoolStats Stats { get; } = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>
    /// Spools a message; the task completes once it is on disk. QoS 0 while offline (without keepQos0WhenOffline)
    /// is dropped and counted, and the task returns null.
    /// </summary>
    public Task<SpoolMessage?> AppendAsync(string topic, ReadOnlyMemory<byte> payload, int qos, bool retain, CancellationToken ct)
    {
        PendingAppend pending;
        lock (_gate)
        {
            if (qos == 0 && !_online && !_options.KeepQos0WhenOffline)
            {
                Stats.Dropped(payload.Length);
                return Task.FromResult<SpoolMessage?>(null);
            }

            EnsureCapacity(payload.Length);
            _bytes += payload.Length;
            var message = new SpoolMessage(_nextSequence++, topic, payload.ToArray(), qos, retain);
            pending = new PendingAppend(message, SpoolRecordCodec.Encode(message), message.Sequence);
            if (!_appends.Writer.TryWrite(pending))
            {
                throw new ObjectDisposedException(nameof(DiskSpool));
            }
        }

        return pending.Durable.Task.WaitAsync(ct);
    }

    /// <summary>Waits for and returns the oldest undelivered message without removing it.</summary>
    public async ValueTask<SpoolMessage> PeekAsync(CancellationToken ct)
    {
        while (true)
        {
            Task wait;
            lock (_gate)
            {
                if (_queue.First is { } first)
                {
                    return first.Value;
                }

                wait = _available.Task;
            }

            await wait.WaitAsync(ct);
        }
    }

    /// <summary>Removes the head after upstream acknowledged it; the cursor is persisted every few hundred messages.</summary>
    public async ValueTask MarkDeliveredAsync(SpoolMessage message, CancellationToken ct)
    {
        bool persist;
        lock (_gate)
        {
            if (_queue.First?.Value.Sequence == message.Sequence)
            {
                _queue.RemoveFirst();
                _bytes -= message.Payload.Length;
            }

            _deliveredCursor = Math.Max(_deliveredCursor, message.Sequence);
            persist = _deliveredCursor - _persistedCursor >= CursorPersistEvery || _queue.Count == 0;
            SpoolMetrics.SetQueued(_queue.Count, _bytes);
        }

        Stats.Delivered(message.Payload.Length);
        if (persist)
        {
            await FlushCursorAsync(ct);
        }
    }

    public async ValueTask FlushCursorAsync(CancellationToken ct)
    {
        long cursor;
        lock (_gate)
        {
            cursor = _deliveredCursor;
            if (cursor == _persistedCursor)
            {
                return;
            }
        }

        await _segments.WriteCursorAsync(cursor, ct);
        lock (_gate)
        {
            _persistedCursor = Math.Max(_persistedCursor, cursor);
        }
    }

    /// <summary>Upstream connectivity; going offline drops queued QoS 0 messages unless keepQos0WhenOffline.</summary>
    public void SetOnline(bool online)
    {
        lock (_gate)
        {
            _online = online;
            if (!online && !_options.KeepQos0WhenOffline)
            {
                RemoveQos0(untilFits: null);
            }
        }
    }

    private void EnsureCapacity(int size)
    {
        if (size > _options.MaxSizeInBytes)
        {
            Stats.Refused(size);
            throw new SpoolFullException($"message of {size} bytes is larger than the spool (mqtt.spooler.maxSizeInBytes {_options.MaxSizeInBytes})");
        }

        if (_bytes + size > _options.MaxSizeInBytes)
        {
            RemoveQos0(untilFits: size);
        }

        if (_bytes + size > _options.MaxSizeInBytes)
        {
            Stats.Refused(size);
            throw new SpoolFullException($"message spool is full ({_bytes} of {_options.MaxSizeInBytes} bytes); message refused");
        }
    }

    private void RemoveQos0(int? untilFits)
    {
        var node = _queue.First;
        while (node is not null && (untilFits is null || _bytes + untilFits > _options.MaxSizeInBytes))
        {
            var next = node.Next;
            if (node.Value.Qos == 0)
            {
                _bytes -= node.Value.Payload.Length;
                Stats.Dropped(node.Value.Payload.Length);
                _queue.Remove(node);
                var tombstone = new SpoolMessage(node.Value.Sequence, string.Empty, ReadOnlyMemory<byte>.Empty, TombstoneQos, false);
                _appends.Writer.TryWrite(new PendingAppend(tombstone, SpoolRecordCodec.Encode(tombstone), _nextSequence));
            }

            node = next;
        }

        SpoolMetrics.SetQueued(_queue.Count, _bytes);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingAppend>(1024);
        var reader = _appends.Reader;
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < 4096 && reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            try
            {
                _segments.AppendAndSync(batch.Select(p => p.Record), batch[0].SegmentHint);
            }
            catch (IOException e)
            {
                LogWriteFailed(_logger, e, batch.Count);
                FailBatch(batch, e);
                continue;
            }

            CommitBatch(batch);
        }
    }

    private void CommitBatch(List<PendingAppend> batch)
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            foreach (var pending in batch.Where(p => p.Message.Qos != TombstoneQos))
            {
                _queue.AddLast(pending.Message);
            }

            signal = _available;
            _available = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            SpoolMetrics.SetQueued(_queue.Count, _bytes);
        }

        foreach (var pending in batch.Where(p => p.Message.Qos != TombstoneQos))
        {
            Stats.Spooled(pending.Message.Payload.Length);
            pending.Durable.TrySetResult(pending.Message);
        }

        signal.TrySetResult();
    }

    private void FailBatch(List<PendingAppend> batch, Exception e)
    {
        lock (_gate)
        {
            _bytes -= batch.Where(p => p.Message.Qos != TombstoneQos).Sum(p => (long)p.Message.Payload.Length);
        }

        foreach (var pending in batch)
        {
            pending.Durable.TrySetException(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Registered under several service types, so the container may dispose the same instance more than once.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _appends.Writer.TryComplete();
        await _writer;
        await FlushCursorAsync(CancellationToken.None);
        _segments.Dispose();
    }

    /// <summary>A record on its way to disk; <paramref name="SegmentHint"/> is a lower bound of the sequences that follow it.</summary>
    private sealed record PendingAppend(SpoolMessage Message, byte[] Record, long SegmentHint)
    {
        public TaskCompletionSource<SpoolMessage?> Durable { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(EventId = 7201, Level = LogLevel.Information, Message = "Spool recovered {Count} undelivered messages after cursor {Cursor}")]
    private static partial void LogRecovered(ILogger logger, int count, long cursor);

    [LoggerMessage(EventId = 7202, Level = LogLevel.Error, Message = "Spool write of {Count} messages failed")]
    private static partial void LogWriteFailed(ILogger logger, Exception e, int count);
}
