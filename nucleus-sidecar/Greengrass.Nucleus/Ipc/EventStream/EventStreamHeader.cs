using System.Buffers.Binary;
using System.Text;

namespace Greengrass.Nucleus.Ipc.EventStream;

/// <summary>
/// One typed header. Integer-like types (bool, byte, int16, int32, int64, timestamp) keep their value
/// in <see cref="IntegerValue"/>; byte buffers and UUIDs in <see cref="BytesValue"/>; strings in
/// <see cref="StringValue"/>. The struct keeps the wire type so that a decoded frame re-encodes to the
/// same bytes.
/// </summary>
internal readonly record struct EventStreamHeader
{
    private EventStreamHeader(string name, EventStreamHeaderType type, long integer, byte[]? bytes, string? text)
    {
        if (Encoding.UTF8.GetByteCount(name) is 0 or > EventStreamLimits.MaxHeaderNameLength)
        {
            throw new ArgumentException($"header name '{name}' must be 1..{EventStreamLimits.MaxHeaderNameLength} UTF-8 bytes", nameof(name));
        }

        Name = name;
        Type = type;
        IntegerValue = integer;
        BytesValue = bytes;
        StringValue = text;
    }

    public string Name { get; }

    public EventStreamHeaderType Type { get; }

    public long IntegerValue { get; }

    public byte[]? BytesValue { get; }

    public string? StringValue { get; }

    public static EventStreamHeader Bool(string name, bool value) =>
        new(name, value ? EventStreamHeaderType.BoolTrue : EventStreamHeaderType.BoolFalse, value ? 1 : 0, null, null);

    public static EventStreamHeader Byte(string name, sbyte value) => new(name, EventStreamHeaderType.Byte, value, null, null);

    public static EventStreamHeader Int16(string name, short value) => new(name, EventStreamHeaderType.Int16, value, null, null);

    public static EventStreamHeader Int32(string name, int value) => new(name, EventStreamHeaderType.Int32, value, null, null);

    public static EventStreamHeader Int64(string name, long value) => new(name, EventStreamHeaderType.Int64, value, null, null);

    public static EventStreamHeader Timestamp(string name, DateTimeOffset value) =>
        new(name, EventStreamHeaderType.Timestamp, value.ToUnixTimeMilliseconds(), null, null);

    public static EventStreamHeader Bytes(string name, byte[] value)
    {
        CheckValueLength(name, value.Length);
        return new(name, EventStreamHeaderType.ByteBuffer, 0, value, null);
    }

    public static EventStreamHeader String(string name, string value)
    {
        CheckValueLength(name, Encoding.UTF8.GetByteCount(value));
        return new(name, EventStreamHeaderType.String, 0, null, value);
    }

    /// <summary>A UUID header; the 16 bytes are written in RFC 4122 (big-endian) order.</summary>
    public static EventStreamHeader Uuid(string name, Guid value) =>
        new(name, EventStreamHeaderType.Uuid, 0, value.ToByteArray(bigEndian: true), null);

    public bool BoolValue => Type == EventStreamHeaderType.BoolTrue;

    public DateTimeOffset TimestampValue => DateTimeOffset.FromUnixTimeMilliseconds(IntegerValue);

    public Guid UuidValue => new(BytesValue, bigEndian: true);

    /// <summary>True for the integer types the RPC layer accepts for its int32 headers (lite also accepts int16).</summary>
    public bool IsInteger => Type is EventStreamHeaderType.Byte or EventStreamHeaderType.Int16
        or EventStreamHeaderType.Int32 or EventStreamHeaderType.Int64;

    public override string ToString() => Type switch
    {
        EventStreamHeaderType.String => $"{Name}={StringValue}",
        EventStreamHeaderType.ByteBuffer => $"{Name}=<{BytesValue!.Length} bytes>",
        EventStreamHeaderType.Uuid => $"{Name}={UuidValue}",
        EventStreamHeaderType.BoolTrue or EventStreamHeaderType.BoolFalse => $"{Name}={BoolValue}",
        _ => $"{Name}={IntegerValue}",
    };

    internal int EncodedLength => 1 + Encoding.UTF8.GetByteCount(Name) + 1 + Type switch
    {
        EventStreamHeaderType.BoolTrue or EventStreamHeaderType.BoolFalse => 0,
        EventStreamHeaderType.Byte => 1,
        EventStreamHeaderType.Int16 => 2,
        EventStreamHeaderType.Int32 => 4,
        EventStreamHeaderType.Int64 or EventStreamHeaderType.Timestamp => 8,
        EventStreamHeaderType.ByteBuffer => 2 + BytesValue!.Length,
        EventStreamHeaderType.String => 2 + Encoding.UTF8.GetByteCount(StringValue!),
        EventStreamHeaderType.Uuid => 16,
        _ => throw new InvalidOperationException($"unknown header type {Type}"),
    };

    internal int Write(Span<byte> destination)
    {
        var nameLength = Encoding.UTF8.GetBytes(Name, destination[1..]);
        destination[0] = (byte)nameLength;
        var offset = 1 + nameLength;
        destination[offset++] = (byte)Type;
        var value = destination[offset..];
        return offset + WriteValue(value);
    }

    private int WriteValue(Span<byte> value)
    {
        switch (Type)
        {
            case EventStreamHeaderType.BoolTrue or EventStreamHeaderType.BoolFalse:
                return 0;
            case EventStreamHeaderType.Byte:
                value[0] = (byte)(sbyte)IntegerValue;
                return 1;
            case EventStreamHeaderType.Int16:
                BinaryPrimitives.WriteInt16BigEndian(value, (short)IntegerValue);
                return 2;
            case EventStreamHeaderType.Int32:
                BinaryPrimitives.WriteInt32BigEndian(value, (int)IntegerValue);
                return 4;
            case EventStreamHeaderType.Int64 or EventStreamHeaderType.Timestamp:
                BinaryPrimitives.WriteInt64BigEndian(value, IntegerValue);
                return 8;
            case EventStreamHeaderType.ByteBuffer:
                BinaryPrimitives.WriteUInt16BigEndian(value, (ushort)BytesValue!.Length);
                BytesValue.CopyTo(value[2..]);
                return 2 + BytesValue.Length;
            case EventStreamHeaderType.String:
                var length = Encoding.UTF8.GetBytes(StringValue!, value[2..]);
                BinaryPrimitives.WriteUInt16BigEndian(value, (ushort)length);
                return 2 + length;
            case EventStreamHeaderType.Uuid:
                BytesValue!.CopyTo(value);
                return 16;
            default:
                throw new InvalidOperationException($"unknown header type {Type}");
        }
    }

    /// <summary>Reads one header from <paramref name="source"/>; returns the bytes consumed.</summary>
    internal static int Read(ReadOnlySpan<byte> source, out EventStreamHeader header)
    {
        var nameLength = Need(source, 0, 1)[0];
        if (nameLength == 0)
        {
            throw new EventStreamFormatException("header name length is 0");
        }

        var name = DecodeUtf8(Need(source, 1, nameLength), "header name");
        var offset = 1 + nameLength;
        var type = (EventStreamHeaderType)Need(source, offset++, 1)[0];
        var (consumed, value) = ReadValue(source, offset, name, type);
        header = value;
        return offset + consumed;
    }

    private static (int Consumed, EventStreamHeader Header) ReadValue(ReadOnlySpan<byte> source, int offset, string name, EventStreamHeaderType type)
    {
        switch (type)
        {
            case EventStreamHeaderType.BoolTrue:
                return (0, Bool(name, true));
            case EventStreamHeaderType.BoolFalse:
                return (0, Bool(name, false));
            case EventStreamHeaderType.Byte:
                return (1, Byte(name, (sbyte)Need(source, offset, 1)[0]));
            case EventStreamHeaderType.Int16:
                return (2, Int16(name, BinaryPrimitives.ReadInt16BigEndian(Need(source, offset, 2))));
            case EventStreamHeaderType.Int32:
                return (4, Int32(name, BinaryPrimitives.ReadInt32BigEndian(Need(source, offset, 4))));
            case EventStreamHeaderType.Int64:
                return (8, Int64(name, BinaryPrimitives.ReadInt64BigEndian(Need(source, offset, 8))));
            case EventStreamHeaderType.Timestamp:
                return (8, new(name, type, BinaryPrimitives.ReadInt64BigEndian(Need(source, offset, 8)), null, null));
            case EventStreamHeaderType.Uuid:
                return (16, new(name, type, 0, Need(source, offset, 16).ToArray(), null));
            case EventStreamHeaderType.ByteBuffer or EventStreamHeaderType.String:
                var length = BinaryPrimitives.ReadUInt16BigEndian(Need(source, offset, 2));
                if (length > EventStreamLimits.MaxHeaderValueLength)
                {
                    throw new EventStreamFormatException($"header '{name}' value is {length} bytes, above {EventStreamLimits.MaxHeaderValueLength}");
                }

                var bytes = Need(source, offset + 2, length);
                return (2 + length, type == EventStreamHeaderType.String
                    ? new(name, type, 0, null, DecodeUtf8(bytes, $"header '{name}' value"))
                    : new(name, type, 0, bytes.ToArray(), null));
            default:
                throw new EventStreamFormatException($"header '{name}' has unknown value type {(byte)type}");
        }
    }

    private static ReadOnlySpan<byte> Need(ReadOnlySpan<byte> source, int offset, int count)
    {
        if (offset + count > source.Length)
        {
            throw new EventStreamFormatException("header block ends inside a header");
        }

        return source.Slice(offset, count);
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static string DecodeUtf8(ReadOnlySpan<byte> bytes, string what)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new EventStreamFormatException($"{what} is not valid UTF-8");
        }
    }

    private static void CheckValueLength(string name, int length)
    {
        if (length > EventStreamLimits.MaxHeaderValueLength)
        {
            throw new ArgumentException($"header '{name}' value is {length} bytes, above {EventStreamLimits.MaxHeaderValueLength}", nameof(name));
        }
    }
}
