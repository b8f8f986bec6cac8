using System.Text;
using Greengrass.Nucleus.Ipc.EventStream;

namespace Greengrass.Nucleus.Ipc;

/// <summary>Builds and reads the RPC envelope (the three int32 headers and friends of §6.3).</summary>
internal static class IpcFrames
{
    public const string MessageTypeHeader = ":message-type";
    public const string MessageFlagsHeader = ":message-flags";
    public const string StreamIdHeader = ":stream-id";
    public const string VersionHeader = ":version";
    public const string ContentTypeHeader = ":content-type";
    public const string OperationHeader = "operation";
    public const string ServiceModelTypeHeader = "service-model-type";
    public const string ProtocolVersion = "0.1.0";
    public const string JsonContentType = "application/json";
    public const string TextContentType = "text/plain";
    public const string ShapePrefix = "aws.greengrass#";

    public static EventStreamMessage Control(IpcMessageType type, IpcMessageFlags flags, ReadOnlyMemory<byte> payload, params EventStreamHeader[] extra)
    {
        var headers = new List<EventStreamHeader>(extra.Length + 3);
        headers.AddRange(extra);
        AddEnvelope(headers, type, flags, 0);
        return new EventStreamMessage(headers, payload);
    }

    public static EventStreamMessage ConnectAck(bool accepted) =>
        Control(IpcMessageType.ConnectAck, accepted ? IpcMessageFlags.ConnectionAccepted : IpcMessageFlags.None, ReadOnlyMemory<byte>.Empty);

    public static EventStreamMessage ProtocolError(string message) =>
        Control(IpcMessageType.ProtocolError, IpcMessageFlags.None, JsonMessage(message), EventStreamHeader.String(ContentTypeHeader, JsonContentType));

    public static EventStreamMessage InternalError(string message) =>
        Control(IpcMessageType.InternalError, IpcMessageFlags.None, JsonMessage(message), EventStreamHeader.String(ContentTypeHeader, JsonContentType));

    /// <summary>An application message or error on a stream, with the shape header clients require.</summary>
    public static EventStreamMessage Application(
        IpcMessageType type, int streamId, IpcMessageFlags flags, string? shape, string contentType, ReadOnlyMemory<byte> payload)
    {
        var headers = new List<EventStreamHeader>(5);
        if (shape is not null)
        {
            headers.Add(EventStreamHeader.String(ServiceModelTypeHeader, shape));
        }

        headers.Add(EventStreamHeader.String(ContentTypeHeader, contentType));
        AddEnvelope(headers, type, flags, streamId);
        return new EventStreamMessage(headers, payload);
    }

    public static EventStreamMessage TerminateStream(int streamId) =>
        new([.. Envelope(IpcMessageType.ApplicationMessage, IpcMessageFlags.TerminateStream, streamId)], ReadOnlyMemory<byte>.Empty);

    public static IEnumerable<EventStreamHeader> Envelope(IpcMessageType type, IpcMessageFlags flags, int streamId)
    {
        yield return EventStreamHeader.Int32(MessageTypeHeader, (int)type);
        yield return EventStreamHeader.Int32(MessageFlagsHeader, (int)flags);
        yield return EventStreamHeader.Int32(StreamIdHeader, streamId);
    }

    private static void AddEnvelope(List<EventStreamHeader> headers, IpcMessageType type, IpcMessageFlags flags, int streamId) =>
        headers.AddRange(Envelope(type, flags, streamId));

    private static byte[] JsonMessage(string message) =>
        Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["message"] = message }));

    /// <summary>Reads the envelope of an incoming frame; false when a required header is missing or not an integer.</summary>
    public static bool TryReadEnvelope(EventStreamMessage message, out IpcEnvelope envelope)
    {
        envelope = default;
        if (!TryGetInt(message, MessageTypeHeader, out var type)
            || !TryGetInt(message, MessageFlagsHeader, out var flags)
            || !TryGetInt(message, StreamIdHeader, out var streamId))
        {
            return false;
        }

        var operation = message.TryGetHeader(OperationHeader, out var op) && op.Type == EventStreamHeaderType.String ? op.StringValue : null;
        envelope = new IpcEnvelope((IpcMessageType)type, (IpcMessageFlags)flags, (int)streamId, operation);
        return true;
    }

    private static bool TryGetInt(EventStreamMessage message, string name, out long value)
    {
        value = 0;
        if (!message.TryGetHeader(name, out var header) || !header.IsInteger)
        {
            return false;
        }

        value = header.IntegerValue;
        return value is >= int.MinValue and <= int.MaxValue;
    }
}

/// <summary>The RPC envelope of one frame.</summary>
internal readonly record struct IpcEnvelope(IpcMessageType Type, IpcMessageFlags Flags, int StreamId, string? Operation)
{
    public bool Terminates => (Flags & IpcMessageFlags.TerminateStream) != 0;
}
