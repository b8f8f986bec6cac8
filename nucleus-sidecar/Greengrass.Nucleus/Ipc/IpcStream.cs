using Greengrass.Nucleus.Ipc.EventStream;

namespace Greengrass.Nucleus.Ipc;

/// <summary>
/// One operation invocation on a connection (a "continuation"). Events sent before the initial response
/// has been queued wait for it, so the client always sees the response first.
/// </summary>
internal sealed class IpcStream
{
    private readonly IIpcStreamSink _sink;
    private readonly Lock _gate = new();
    private List<EventStreamMessage>? _early;
    private List<Action>? _onClosed;
    private bool _responded;
    private bool _closed;

    public IpcStream(int id, string operation, string component, IIpcStreamSink sink)
    {
        Id = id;
        Operation = operation;
        Component = component;
        _sink = sink;
    }

    public int Id { get; }

    public string Operation { get; }

    public string Component { get; }

    public bool IsClosed
    {
        get
        {
            lock (_gate)
            {
                return _closed;
            }
        }
    }

    /// <summary>Registers cleanup (e.g. unsubscribe) run once when either side closes the stream.</summary>
    public void OnClosed(Action cleanup)
    {
        lock (_gate)
        {
            if (!_closed)
            {
                (_onClosed ??= []).Add(cleanup);
                return;
            }
        }

        cleanup();
    }

    /// <summary>Sends one event (an ApplicationMessage with <paramref name="shape"/>); false when the stream is closed or the client lags.</summary>
    public bool SendEvent<T>(string shape, T body)
    {
        var frame = IpcFrames.Application(
            IpcMessageType.ApplicationMessage, Id, IpcMessageFlags.None, shape, IpcFrames.JsonContentType, IpcJson.Write(body));
        return SendEventFrame(frame);
    }

    /// <summary>Sends an already encoded JSON event body; used when one event goes to many subscribers.</summary>
    public bool SendEventFrame(EventStreamMessage frame)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return false;
            }

            if (!_responded)
            {
                (_early ??= []).Add(frame);
                return true;
            }

            return _sink.TryEnqueueEvent(this, frame);
        }
    }

    /// <summary>Closes the stream from the server side: TerminateStream to the client, then cleanup.</summary>
    public void Close()
    {
        if (MarkClosed() is { } cleanups)
        {
            _sink.TryEnqueueEvent(this, IpcFrames.TerminateStream(Id));
            RunAll(cleanups);
        }
    }

    /// <summary>The initial response was queued; flush the events that waited for it.</summary>
    internal void MarkResponded(bool keepOpen)
    {
        List<Action>? cleanups = null;
        lock (_gate)
        {
            _responded = true;
            foreach (var frame in _early ?? [])
            {
                _sink.TryEnqueueEvent(this, frame);
            }

            _early = null;
        }

        if (!keepOpen)
        {
            cleanups = MarkClosed();
        }

        RunAll(cleanups);
    }

    /// <summary>The client terminated the stream or the connection is gone: cleanup, no reply.</summary>
    internal void ClosedByPeer() => RunAll(MarkClosed());

    private List<Action>? MarkClosed()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return null;
            }

            _closed = true;
            var cleanups = _onClosed ?? [];
            _onClosed = null;
            return cleanups;
        }
    }

    private static void RunAll(List<Action>? cleanups)
    {
        foreach (var cleanup in cleanups ?? [])
        {
            cleanup();
        }
    }
}

/// <summary>Where a stream's frames go: its connection's outbound queue.</summary>
internal interface IIpcStreamSink
{
    bool TryEnqueueEvent(IpcStream stream, EventStreamMessage frame);
}
