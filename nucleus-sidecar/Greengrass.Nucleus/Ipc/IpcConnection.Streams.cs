using Greengrass.Nucleus.Ipc.EventStream;

namespace Greengrass.Nucleus.Ipc;

/// <summary>Stream rules of §6.5: sequential ids, the operation header on activation, terminate handling.</summary>
internal sealed partial class IpcConnection
{
    private async ValueTask<bool> HandleStreamFrameAsync(EventStreamMessage message, IpcEnvelope envelope, CancellationToken cancellationToken)
    {
        var id = envelope.StreamId;
        if (id <= 0)
        {
            return await FailAsync("application messages must use a :stream-id above 0", cancellationToken);
        }

        if (id > _lastStreamId)
        {
            return await ActivateAsync(message, envelope, cancellationToken);
        }

        if (_streams.TryGetValue(id, out var stream))
        {
            if (envelope.Terminates)
            {
                _streams.Remove(id);
                stream.ClosedByPeer();
            }

            // No GreengrassCoreIPC operation takes client messages after activation; others are ignored.
            return true;
        }

        // A TerminateStream for a stream already closed is normal (both sides may close at once).
        return envelope.Terminates || await FailAsync($"stream {id} is not open", cancellationToken);
    }

    private async ValueTask<bool> ActivateAsync(EventStreamMessage message, IpcEnvelope envelope, CancellationToken cancellationToken)
    {
        var id = envelope.StreamId;
        if (id != _lastStreamId + 1)
        {
            return await FailAsync($"stream id {id} is not the next one ({_lastStreamId + 1}); stream ids must increase by one", cancellationToken);
        }

        if (string.IsNullOrEmpty(envelope.Operation))
        {
            return await FailAsync(
                "The first message for on a non-zero :stream-id must contain an operation header value.", cancellationToken);
        }

        _lastStreamId = id;
        if (envelope.Terminates)
        {
            // Terminated before it was processed: nothing to do.
            return true;
        }

        var stream = new IpcStream(id, envelope.Operation, _component!, this);
        _streams[id] = stream;
        var call = new IpcCall(_component!, envelope.Operation, message.Payload, stream, _registry);
        var (reply, keepOpen) = await _dispatcher.DispatchAsync(call, cancellationToken);
        await EnqueueAsync(reply, cancellationToken);
        stream.MarkResponded(keepOpen);
        if (!keepOpen || stream.IsClosed)
        {
            _streams.Remove(id);
        }

        return true;
    }

    private void CloseStreams()
    {
        foreach (var stream in _streams.Values)
        {
            stream.ClosedByPeer();
        }

        _streams.Clear();
    }
}
