using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading.Channels;
using Greengrass.Nucleus.Ipc.EventStream;
using Microsoft.Extensions.Logging;
using Greengrass.Nucleus.Threading;

namespace Greengrass.Nucleus.Ipc;

/// <summary>
/// One client connection: a read loop over a <see cref="PipeReader"/> that enforces the handshake and the
/// stream rules, and a write loop that drains a bounded outbound queue into a <see cref="PipeWriter"/>.
/// Any violation closes this connection only.
/// </summary>
internal sealed partial class IpcConnection : IIpcStreamSink
{
    private const string ConnectFirst =
        "A CONNECT message must be received, and the CONNECT_ACK must be sent in response, before any other message-types can be sent on this connection. "
        + "In addition, only one CONNECT message is allowed.";

    private readonly long _id;
    private readonly Socket _socket;
    private readonly IpcServerOptions _options;
    private readonly IIpcComponentRegistry _registry;
    private readonly IpcOperationDispatcher _dispatcher;
    private readonly ILogger _logger;
    private readonly Channel<EventStreamMessage> _outbound;
    private readonly Dictionary<int, IpcStream> _streams = [];
    private string? _component;
    private int _lastStreamId;

    public IpcConnection(
        long id, Socket socket, IpcServerOptions options, IIpcComponentRegistry registry, IpcOperationDispatcher dispatcher, ILogger logger)
    {
        _id = id;
        _socket = socket;
        _options = options;
        _registry = registry;
        _dispatcher = dispatcher;
        _logger = logger;
        _outbound = Channel.CreateBounded<EventStreamMessage>(new BoundedChannelOptions(options.OutboundQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var stream = new NetworkStream(_socket, ownsSocket: true);
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, leaveOpen: true));
        var writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
        using var writeCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writing = WriteLoopAsync(writer, writeCancel.Token);
        try
        {
            await ReadLoopAsync(reader, cancellationToken);
        }
        catch (EventStreamFormatException ex)
        {
            IpcLog.ProtocolViolation(_logger, _id, ex.Message);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
        {
            IpcLog.ConnectionError(_logger, _id, ex.Message);
        }
        finally
        {
            CloseStreams();
            _outbound.Writer.TryComplete();
            await FinishWritingAsync(writing, writeCancel);
            await reader.CompleteAsync();
            await writer.CompleteAsync();
            _socket.Close();
            IpcLog.ConnectionClosed(_logger, _id);
        }
    }

    private async Task FinishWritingAsync(Task writing, CancellationTokenSource writeCancel)
    {
        try
        {
            try
            {
                await writing.WaitAsync(_options.CloseFlushTimeout);
            }
            catch (TimeoutException)
            {
                // The client stopped reading; what it has not taken is abandoned.
                await writeCancel.CancelAsync();
                await writing;
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or InvalidOperationException)
        {
            IpcLog.ConnectionError(_logger, _id, ex.Message);
        }
    }

    private async Task ReadLoopAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            await ThreadPoolHop.Ensure(); // operation handlers may block (files, processes): never on a socket thread
            var buffer = result.Buffer;
            try
            {
                while (EventStreamCodec.TryDecode(ref buffer, _options.MaxMessageBytes, out var message))
                {
                    if (!await HandleFrameAsync(message!, cancellationToken))
                    {
                        return;
                    }
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    return;
                }
            }
            finally
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
    }

    private async Task WriteLoopAsync(PipeWriter writer, CancellationToken cancellationToken)
    {
        var queue = _outbound.Reader;
        while (await queue.WaitToReadAsync(cancellationToken))
        {
            // Everything queued so far goes out in one flush: batching is what makes fan-out cheap.
            while (queue.TryRead(out var frame))
            {
                EventStreamCodec.Encode(frame, writer);
            }

            var flushed = await writer.FlushAsync(cancellationToken);
            if (flushed.IsCompleted)
            {
                return;
            }
        }
    }

    /// <summary>Handles one frame; false closes the connection (after flushing what was queued).</summary>
    private async ValueTask<bool> HandleFrameAsync(EventStreamMessage message, CancellationToken cancellationToken)
    {
        if (!IpcFrames.TryReadEnvelope(message, out var envelope))
        {
            return await FailAsync("a frame lacks an integer :message-type, :message-flags or :stream-id header", cancellationToken);
        }

        if (_component is null)
        {
            return await HandshakeAsync(message, envelope, cancellationToken);
        }

        return envelope.Type switch
        {
            IpcMessageType.ApplicationMessage or IpcMessageType.ApplicationError => await HandleStreamFrameAsync(message, envelope, cancellationToken),
            IpcMessageType.Ping => await PongAsync(message, envelope, cancellationToken),
            IpcMessageType.PingResponse => true,
            IpcMessageType.Connect => await FailAsync(ConnectFirst, cancellationToken),
            _ => await FailInternalAsync($"message type {(int)envelope.Type} is not accepted from a client", cancellationToken),
        };
    }

    private async ValueTask<bool> HandshakeAsync(EventStreamMessage message, IpcEnvelope envelope, CancellationToken cancellationToken)
    {
        if (envelope.Type != IpcMessageType.Connect || envelope.StreamId != 0)
        {
            return await FailAsync(ConnectFirst, cancellationToken);
        }

        var refusal = Authenticate(message);
        if (refusal is not null)
        {
            IpcLog.ConnectRefused(_logger, _id, refusal);
            await EnqueueAsync(IpcFrames.ConnectAck(accepted: false), cancellationToken);
            return false;
        }

        IpcLog.Authenticated(_logger, _id, _component!);
        await EnqueueAsync(IpcFrames.ConnectAck(accepted: true), cancellationToken);
        return true;
    }

    /// <summary>Checks version and token; sets the identity and returns null when accepted, else the reason.</summary>
    private string? Authenticate(EventStreamMessage message)
    {
        if (!message.TryGetHeader(IpcFrames.VersionHeader, out var version) || version.StringValue != IpcFrames.ProtocolVersion)
        {
            return $"the :version header must be {IpcFrames.ProtocolVersion}";
        }

        string? token;
        try
        {
            using var document = JsonDocument.Parse(message.Payload);
            token = document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("authToken", out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException)
        {
            return "the CONNECT payload is not JSON";
        }

        if (string.IsNullOrEmpty(token))
        {
            return "the CONNECT payload has no authToken";
        }

        _component = _registry.ResolveToken(token);
        return _component is null ? "the authToken belongs to no component" : null;
    }

    private async ValueTask<bool> PongAsync(EventStreamMessage message, IpcEnvelope envelope, CancellationToken cancellationToken)
    {
        if (envelope.StreamId != 0)
        {
            return await FailAsync("a PING must use :stream-id 0", cancellationToken);
        }

        var echoed = message.Headers.Where(h => !h.Name.StartsWith(':')).ToArray();
        await EnqueueAsync(IpcFrames.Control(IpcMessageType.PingResponse, IpcMessageFlags.None, message.Payload, echoed), cancellationToken);
        return true;
    }

    private async ValueTask<bool> FailAsync(string reason, CancellationToken cancellationToken)
    {
        IpcLog.ProtocolViolation(_logger, _id, reason);
        await EnqueueAsync(IpcFrames.ProtocolError(reason), cancellationToken);
        return false;
    }

    private async ValueTask<bool> FailInternalAsync(string reason, CancellationToken cancellationToken)
    {
        IpcLog.ProtocolViolation(_logger, _id, reason);
        await EnqueueAsync(IpcFrames.InternalError(reason), cancellationToken);
        return false;
    }

    private ValueTask EnqueueAsync(EventStreamMessage frame, CancellationToken cancellationToken) =>
        _outbound.Writer.WriteAsync(frame, cancellationToken);

    public bool TryEnqueueEvent(IpcStream stream, EventStreamMessage frame)
    {
        if (_outbound.Writer.TryWrite(frame))
        {
            return true;
        }

        IpcLog.EventDropped(_logger, _id, _component, stream.Id);
        return false;
    }
}
