using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Greengrass.Nucleus.Ipc;
using Greengrass.Nucleus.Ipc.EventStream;

namespace Greengrass.Nucleus.Tests.Ipc;

/// <summary>A byte-level IPC client for protocol tests: sends exactly the frames a test builds and reads what comes back.</summary>
internal sealed class RawIpcClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _reader;
    private int _nextStreamId = 1;

    private RawIpcClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = PipeReader.Create(_stream);
    }

    public static async Task<RawIpcClient> OpenAsync(string socketPath)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
        return new RawIpcClient(socket);
    }

    /// <summary>Opens a connection and completes the handshake; fails the test unless it is accepted.</summary>
    public static async Task<RawIpcClient> ConnectAsync(string socketPath, string token)
    {
        var client = await OpenAsync(socketPath);
        var ack = await client.HandshakeAsync(token);
        Assert.True(ack is not null && Flags(ack).HasFlag(IpcMessageFlags.ConnectionAccepted), "the handshake was not accepted");
        return client;
    }

    public async Task<EventStreamMessage?> HandshakeAsync(string token, string version = IpcFrames.ProtocolVersion)
    {
        await SendAsync(Connect(token, version));
        return await ReceiveAsync();
    }

    public static EventStreamMessage Connect(string token, string version = IpcFrames.ProtocolVersion) => new(
        [EventStreamHeader.String(IpcFrames.VersionHeader, version), .. IpcFrames.Envelope(IpcMessageType.Connect, IpcMessageFlags.None, 0)],
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { authToken = token })));

    public static EventStreamMessage Request(int streamId, string? operation, string json, IpcMessageFlags flags = IpcMessageFlags.None)
    {
        var headers = new List<EventStreamHeader>();
        if (operation is not null)
        {
            headers.Add(EventStreamHeader.String(IpcFrames.OperationHeader, operation));
        }

        headers.AddRange(IpcFrames.Envelope(IpcMessageType.ApplicationMessage, flags, streamId));
        return new EventStreamMessage(headers, Encoding.UTF8.GetBytes(json));
    }

    public Task SendAsync(EventStreamMessage message) => SendRawAsync(EventStreamCodec.Encode(message));

    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes) => await _stream.WriteAsync(bytes);

    /// <summary>Sends a request on the next stream id; returns that id.</summary>
    public async Task<int> StartAsync(string operation, string json)
    {
        var id = _nextStreamId++;
        await SendAsync(Request(id, IpcFrames.ShapePrefix + operation, json));
        return id;
    }

    /// <summary>Calls a request/response operation and returns the reply frame.</summary>
    public async Task<EventStreamMessage> CallAsync(string operation, string json)
    {
        var id = await StartAsync(operation, json);
        var reply = await ReceiveAsync() ?? throw new InvalidOperationException("the server closed the connection");
        Assert.Equal(id, StreamId(reply));
        return reply;
    }

    /// <summary>Sends a request and collects <paramref name="count"/> frames, whatever streams they are on (events may overtake the reply).</summary>
    public async Task<(int StreamId, List<EventStreamMessage> Frames)> CallCollectingAsync(string operation, string json, int count)
    {
        var id = await StartAsync(operation, json);
        var frames = new List<EventStreamMessage>();
        for (var i = 0; i < count; i++)
        {
            frames.Add(await ReceiveAsync() ?? throw new InvalidOperationException("the server closed the connection"));
        }

        return (id, frames);
    }

    /// <summary>The next frame, or null once the server closed the connection.</summary>
    public async Task<EventStreamMessage?> ReceiveAsync(int timeoutSeconds = 30)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        while (true)
        {
            ReadResult result;
            try
            {
                result = await _reader.ReadAsync(timeout.Token);
            }
            catch (IOException)
            {
                return null;
            }

            var buffer = result.Buffer;
            if (EventStreamCodec.TryDecode(ref buffer, EventStreamLimits.MaxMessageLength, out var message))
            {
                _reader.AdvanceTo(buffer.Start);
                return message;
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return null;
            }
        }
    }

    public static IpcMessageType Type(EventStreamMessage m) => (IpcMessageType)Int(m, IpcFrames.MessageTypeHeader);

    public static IpcMessageFlags Flags(EventStreamMessage m) => (IpcMessageFlags)Int(m, IpcFrames.MessageFlagsHeader);

    public static int StreamId(EventStreamMessage m) => Int(m, IpcFrames.StreamIdHeader);

    public static string? Header(EventStreamMessage m, string name) => m.TryGetHeader(name, out var h) ? h.StringValue : null;

    public static JsonElement Json(EventStreamMessage m) => JsonDocument.Parse(m.Payload).RootElement;

    private static int Int(EventStreamMessage m, string name) =>
        m.TryGetHeader(name, out var h) ? (int)h.IntegerValue : throw new InvalidOperationException($"no {name} header");

    public async ValueTask DisposeAsync()
    {
        await _reader.CompleteAsync();
        await _stream.DisposeAsync();
        _socket.Dispose();
    }
}
