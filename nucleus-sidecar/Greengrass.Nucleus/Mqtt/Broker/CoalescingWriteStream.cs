using System.Buffers;

namespace Greengrass.Nucleus.Mqtt.Broker;

/// <summary>
/// Coalesces the writes of one broker connection. A write copies its bytes into a pending buffer; one flusher at a time
/// hands everything pending to the inner stream as a single write, so with TLS several MQTT packets leave as one record
/// and one <c>send</c>. Writes that arrive while a flush is in flight join the next one (natural batching, as in
/// Kestrel's output pipe). Reads pass through untouched.
/// </summary>
/// <remarks>
/// <para>
/// MQTTnet sends one packet at a time, so on its own natural batching rarely happens. What makes it reliable is that
/// the broker knows a reply is coming: while an inbound QoS 1/2 PUBLISH has not been answered yet
/// (<see cref="OnInboundPacket"/>), a write that is not a reply waits for the next PUBACK/PUBREC (at most
/// <c>replyWait</c>) and leaves with it.
/// A QoS 1 publish to a topic its own connection subscribes to then costs one TLS record and one send instead of two.
/// The count only decides when to flush, never what is written: a wrong count costs at most one <c>replyWait</c>.
/// Writes are expected to be whole packets (the channel adapter runs with packet fragmentation off).
/// </para>
/// <para>
/// Bounded: a writer waits while its bytes would push the pending buffer over <c>maxPendingBytes</c> (a single larger
/// write is accepted into an empty buffer). A failed flush fails every later write and closes the inner stream, which
/// also ends the connection's pending read. Closing flushes what was already accepted (a refusing CONNACK must still
/// reach the client) before the inner stream is closed; <see cref="DisposeAsync"/> bounds that wait so a peer that
/// stops reading cannot hold the close forever.
/// </para>
/// </remarks>
internal sealed partial class CoalescingWriteStream(
    Stream inner, int maxPendingBytes = 64 * 1024, TimeSpan? replyWait = null, TimeSpan? closeTimeout = null, TimeProvider? time = null) : ConnectionStreamBase
{
    private readonly Stream _inner = inner;
    private readonly TimeSpan _replyWait = replyWait ?? TimeSpan.FromMilliseconds(2);
    private readonly TimeSpan _closeTimeout = closeTimeout ?? TimeSpan.FromSeconds(5);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private byte[]? _pending;
    private int _pendingLength;
    private bool _flushing;
    private long _flushGeneration;
    private Task _flusher = Task.CompletedTask;
    private TaskCompletionSource? _spaceFreed;
    private Exception? _failure;
    private bool _closeRequested;
    private int _innerClosed;
    private long _flushes;
    private int _owedReplies;
    private ITimer? _replyTimer;
    private bool _replyTimerArmed;

    private readonly record struct Batch(byte[] Buffer, int Length, TaskCompletionSource? SpaceFreed, long Generation);

    /// <summary>Writes handed to the inner stream so far (each one TLS record and one send at most).</summary>
    public long Flushes => Interlocked.Read(ref _flushes);

    /// <summary>Called with the fixed-header byte of every inbound packet: a QoS 1/2 PUBLISH is owed a PUBACK/PUBREC.</summary>
    public void OnInboundPacket(byte fixedHeader)
    {
        if (fixedHeader >> 4 == 3 && (fixedHeader & 0x06) != 0)
        {
            lock (_gate)
            {
                _owedReplies++;
            }
        }
    }

    private static bool IsReply(byte fixedHeader) => fixedHeader >> 4 is 4 or 5; // PUBACK, PUBREC

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty || TryAppend(buffer.Span, out var spaceFreed))
        {
            return ValueTask.CompletedTask;
        }

        return WriteWhenSpaceAsync(buffer, spaceFreed, cancellationToken);
    }

    private async ValueTask WriteWhenSpaceAsync(ReadOnlyMemory<byte> buffer, Task spaceFreed, CancellationToken cancellationToken)
    {
        do
        {
            await spaceFreed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        while (!TryAppend(buffer.Span, out spaceFreed));
    }

    // Appends, then starts a flush unless one is in flight or a reply is owed. Returns false with the task to wait for
    // when the bytes do not fit: it completes when the flusher takes the pending buffer (or the stream fails).
    private bool TryAppend(ReadOnlySpan<byte> data, out Task spaceFreed)
    {
        Batch? start;
        bool appended;
        lock (_gate)
        {
            ThrowIfUnusable();
            appended = _pendingLength == 0 || _pendingLength + data.Length <= maxPendingBytes;
            if (!appended)
            {
                _spaceFreed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                spaceFreed = _spaceFreed.Task;
                start = _flushing ? null : TakeBatch(); // held back for a reply: send it now to make room
                if (start is null)
                {
                    return false;
                }
            }
            else
            {
                Append(data);
                spaceFreed = Task.CompletedTask;
                var reply = IsReply(data[0]);
                if (reply && _owedReplies > 0)
                {
                    _owedReplies--;
                }

                if (_flushing)
                {
                    return true;
                }

                // A reply sends what waited for it even if more replies are owed (a client that pipelines its
                // publishes keeps some owed all the time): only writes that are not replies wait.
                if (!reply && _owedReplies > 0)
                {
                    ArmReplyTimer();
                    return true;
                }

                start = TakeBatch();
            }
        }

        Launch(start.Value);
        return appended;
    }

    // Under the lock: takes the pending bytes for a new flusher (the caller launches it after leaving the lock).
    private Batch TakeBatch()
    {
        if (_replyTimerArmed)
        {
            _replyTimerArmed = false;
            _replyTimer!.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        _flushing = true;
        var batch = new Batch(_pending!, _pendingLength, _spaceFreed, ++_flushGeneration);
        (_pending, _pendingLength, _spaceFreed) = (null, 0, null);
        return batch;
    }

    private void ArmReplyTimer()
    {
        if (!_replyTimerArmed && !_closeRequested)
        {
            _replyTimer ??= _time.CreateTimer(static s => ((CoalescingWriteStream)s!).OnReplyWaitOver(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _replyTimerArmed = true;
            _replyTimer.Change(_replyWait, Timeout.InfiniteTimeSpan);
        }
    }

    // The owed reply did not come in time (the publish is held, e.g. until the spool has it, or was never answered):
    // what waits for it leaves now, and the count starts over.
    private void OnReplyWaitOver()
    {
        Batch start;
        lock (_gate)
        {
            if (!_replyTimerArmed)
            {
                return;
            }

            _replyTimerArmed = false;
            _owedReplies = 0;
            if (_flushing || _pendingLength == 0 || _failure is not null)
            {
                return;
            }

            start = TakeBatch();
        }

        Launch(start);
    }

    private void Launch(Batch batch)
    {
        batch.SpaceFreed?.TrySetResult();
        var flusher = FlushLoopAsync(batch.Buffer, batch.Length);
        lock (_gate)
        {
            if (_flushGeneration == batch.Generation)
            {
                _flusher = flusher;
            }
        }
    }

    private void ThrowIfUnusable()
    {
        if (_failure is not null)
        {
            throw new IOException("an earlier write on this connection failed: " + _failure.Message, _failure);
        }

        ObjectDisposedException.ThrowIf(_closeRequested, this);
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        var needed = _pendingLength + data.Length;
        if (_pending is null || _pending.Length < needed)
        {
            var grown = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(4096, (_pending?.Length ?? 0) * 2)));
            if (_pending is not null)
            {
                _pending.AsSpan(0, _pendingLength).CopyTo(grown);
                ArrayPool<byte>.Shared.Return(_pending);
            }

            _pending = grown;
        }

        data.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength = needed;
    }

    // The only writer of the inner stream; runs inline in the writer that starts it until the inner write goes
    // asynchronous (a full socket buffer), and never throws: a failure is recorded and fails the next write instead.
    private async Task FlushLoopAsync(byte[] batch, int length)
    {
        while (true)
        {
            try
            {
                Interlocked.Increment(ref _flushes);
                await _inner.WriteAsync(batch.AsMemory(0, length)).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                ArrayPool<byte>.Shared.Return(batch);
                Fail(e);
                return;
            }

            ArrayPool<byte>.Shared.Return(batch);
            TaskCompletionSource? freed;
            lock (_gate)
            {
                if (_pendingLength == 0 || _failure is not null)
                {
                    _flushing = false;
                    if (!_closeRequested)
                    {
                        return;
                    }

                    break;
                }

                (batch, length, freed) = (_pending!, _pendingLength, _spaceFreed);
                (_pending, _pendingLength, _spaceFreed) = (null, 0, null);
            }

            freed?.TrySetResult();
        }

        // Closed while this flush was in flight: everything accepted before the close has now been written.
        CloseInner();
    }
}
