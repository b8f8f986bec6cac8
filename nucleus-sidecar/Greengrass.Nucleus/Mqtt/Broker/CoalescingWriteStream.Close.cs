using System.Buffers;

namespace Greengrass.Nucleus.Mqtt.Broker;

// Failure, flushing on demand, closing, and the Stream members that only pass through.
internal sealed partial class CoalescingWriteStream
{
    private void Fail(Exception e)
    {
        TaskCompletionSource? freed;
        lock (_gate)
        {
            _failure ??= e;
            _flushing = false;
            freed = _spaceFreed;
            _spaceFreed = null;
            if (_pending is not null)
            {
                ArrayPool<byte>.Shared.Return(_pending);
                (_pending, _pendingLength) = (null, 0);
            }
        }

        freed?.TrySetResult();
        CloseInner();
    }

    private void CloseInner()
    {
        if (Interlocked.Exchange(ref _innerClosed, 1) == 0)
        {
            _replyTimer?.Dispose();
            _inner.Dispose();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <summary>Completes once everything written before the call (including bytes held for a reply) has been handed to the inner stream.</summary>
    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await WhenIdleAsync(flushHeldBytes: true, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            ThrowIfUnusable();
        }
    }

    // Waits until no flusher runs; flushHeldBytes first sends what waits for a reply. The flusher task is read in a
    // loop because a new flusher publishes its task just after it starts.
    private async Task WhenIdleAsync(bool flushHeldBytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task flusher;
            Batch? start = null;
            lock (_gate)
            {
                if (!_flushing)
                {
                    if (!flushHeldBytes || _pendingLength == 0 || _failure is not null)
                    {
                        return;
                    }

                    start = TakeBatch();
                }

                flusher = _flusher;
            }

            if (start is { } batch)
            {
                Launch(batch);
            }
            else if (flusher.IsCompleted)
            {
                await Task.Yield();
                cancellationToken.ThrowIfCancellationRequested();
            }
            else
            {
                await flusher.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.None);
            }
        }
    }

    public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    // MQTTnet closes its channel synchronously: bytes still held are sent first and the flusher closes the inner
    // stream after them; with nothing in flight it closes now.
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            RequestClose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        RequestClose();
        using (var bound = new CancellationTokenSource(_closeTimeout, _time))
        {
            await WhenIdleAsync(flushHeldBytes: false, bound.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        CloseInner(); // after the bound, closing the inner stream fails the stuck write and ends the flusher
        await WhenIdleAsync(flushHeldBytes: false, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private void RequestClose()
    {
        Batch? start = null;
        lock (_gate)
        {
            _closeRequested = true;
            if (_flushing)
            {
                return; // the flusher closes the inner stream when it is done
            }

            if (_pendingLength > 0 && _failure is null)
            {
                start = TakeBatch();
            }
        }

        if (start is { } batch)
        {
            Launch(batch);
        }
        else
        {
            CloseInner();
        }
    }
}
