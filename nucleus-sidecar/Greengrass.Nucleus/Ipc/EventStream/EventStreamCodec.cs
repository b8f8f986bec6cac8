using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;

namespace Greengrass.Nucleus.Ipc.EventStream;

/// <summary>
/// Encodes and decodes event-stream frames (GREENGRASS.md §6.2): a 12-byte prelude with its own CRC-32,
/// headers, payload and a CRC-32 over everything before it. All integers are big-endian.
/// </summary>
internal static class EventStreamCodec
{
    public static int GetEncodedLength(EventStreamMessage message)
    {
        var length = EventStreamLimits.Overhead + GetHeadersLength(message.Headers) + message.Payload.Length;
        if (length > EventStreamLimits.MaxMessageLength)
        {
            throw new ArgumentException($"message of {length} bytes is above the {EventStreamLimits.MaxMessageLength}-byte limit", nameof(message));
        }

        return length;
    }

    public static byte[] Encode(EventStreamMessage message)
    {
        var buffer = new byte[GetEncodedLength(message)];
        Write(message, buffer);
        return buffer;
    }

    public static void Encode(EventStreamMessage message, IBufferWriter<byte> writer)
    {
        var length = GetEncodedLength(message);
        var span = writer.GetSpan(length)[..length];
        Write(message, span);
        writer.Advance(length);
    }

    private static void Write(EventStreamMessage message, Span<byte> frame)
    {
        if (message.Headers.Count > EventStreamLimits.MaxHeaderCount)
        {
            throw new ArgumentException($"{message.Headers.Count} headers are above the limit of {EventStreamLimits.MaxHeaderCount}", nameof(message));
        }

        var headersLength = GetHeadersLength(message.Headers);
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)frame.Length);
        BinaryPrimitives.WriteUInt32BigEndian(frame[4..], (uint)headersLength);
        BinaryPrimitives.WriteUInt32BigEndian(frame[8..], Crc32.HashToUInt32(frame[..8]));
        var offset = EventStreamLimits.PreludeLength;
        foreach (var header in message.Headers)
        {
            offset += header.Write(frame[offset..]);
        }

        message.Payload.Span.CopyTo(frame[offset..]);
        var crcOffset = frame.Length - 4;
        BinaryPrimitives.WriteUInt32BigEndian(frame[crcOffset..], Crc32.HashToUInt32(frame[..crcOffset]));
    }

    private static int GetHeadersLength(IReadOnlyList<EventStreamHeader> headers)
    {
        var total = 0;
        foreach (var header in headers)
        {
            total += header.EncodedLength;
        }

        return total;
    }

    /// <summary>
    /// Decodes one frame from the front of <paramref name="buffer"/> when it is complete, advancing the
    /// buffer past it. Returns false when more bytes are needed. The prelude is validated as soon as its
    /// 12 bytes are present, so a lying length is rejected before anything is buffered for it.
    /// </summary>
    /// <exception cref="EventStreamFormatException">The bytes are not a valid frame.</exception>
    public static bool TryDecode(ref ReadOnlySequence<byte> buffer, int maxMessageLength, out EventStreamMessage? message)
    {
        message = null;
        if (buffer.Length < EventStreamLimits.PreludeLength)
        {
            return false;
        }

        var totalLength = ReadPrelude(buffer, maxMessageLength, out var headersLength);
        if (buffer.Length < totalLength)
        {
            return false;
        }

        var frame = buffer.Slice(0, totalLength);
        message = frame.IsSingleSegment
            ? DecodeFrame(frame.FirstSpan, headersLength)
            : DecodeCopied(frame, headersLength);
        buffer = buffer.Slice(totalLength);
        return true;
    }

    public static EventStreamMessage Decode(ReadOnlySpan<byte> frame)
    {
        var sequence = new ReadOnlySequence<byte>(frame.ToArray());
        if (!TryDecode(ref sequence, EventStreamLimits.MaxMessageLength, out var message) || sequence.Length != 0)
        {
            throw new EventStreamFormatException("the bytes are not exactly one frame");
        }

        return message!;
    }

    private static int ReadPrelude(ReadOnlySequence<byte> buffer, int maxMessageLength, out int headersLength)
    {
        Span<byte> prelude = stackalloc byte[EventStreamLimits.PreludeLength];
        buffer.Slice(0, EventStreamLimits.PreludeLength).CopyTo(prelude);
        var expectedCrc = BinaryPrimitives.ReadUInt32BigEndian(prelude[8..]);
        if (Crc32.HashToUInt32(prelude[..8]) != expectedCrc)
        {
            throw new EventStreamFormatException("prelude CRC mismatch");
        }

        var total = BinaryPrimitives.ReadUInt32BigEndian(prelude);
        var headers = BinaryPrimitives.ReadUInt32BigEndian(prelude[4..]);
        if (total < EventStreamLimits.Overhead || total > (uint)maxMessageLength)
        {
            throw new EventStreamFormatException($"total length {total} is outside {EventStreamLimits.Overhead}..{maxMessageLength}");
        }

        if (headers > total - EventStreamLimits.Overhead)
        {
            throw new EventStreamFormatException($"headers length {headers} does not fit in a {total}-byte message");
        }

        headersLength = (int)headers;
        return (int)total;
    }

    // A frame split across pipe segments is rare (segments are 4 KiB+); it is copied once into a rented buffer.
    private static EventStreamMessage DecodeCopied(ReadOnlySequence<byte> frame, int headersLength)
    {
        var rented = ArrayPool<byte>.Shared.Rent((int)frame.Length);
        try
        {
            frame.CopyTo(rented);
            return DecodeFrame(rented.AsSpan(0, (int)frame.Length), headersLength);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static EventStreamMessage DecodeFrame(ReadOnlySpan<byte> frame, int headersLength)
    {
        var crcOffset = frame.Length - 4;
        if (Crc32.HashToUInt32(frame[..crcOffset]) != BinaryPrimitives.ReadUInt32BigEndian(frame[crcOffset..]))
        {
            throw new EventStreamFormatException("message CRC mismatch");
        }

        var headers = DecodeHeaders(frame.Slice(EventStreamLimits.PreludeLength, headersLength));
        var payloadStart = EventStreamLimits.PreludeLength + headersLength;
        // The payload must outlive the pipe buffer it was read from, so it is the one copy made.
        var payload = frame[payloadStart..crcOffset].ToArray();
        return new EventStreamMessage(headers, payload);
    }

    private static List<EventStreamHeader> DecodeHeaders(ReadOnlySpan<byte> block)
    {
        var headers = new List<EventStreamHeader>(4);
        while (!block.IsEmpty)
        {
            if (headers.Count == EventStreamLimits.MaxHeaderCount)
            {
                throw new EventStreamFormatException($"more than {EventStreamLimits.MaxHeaderCount} headers");
            }

            var consumed = EventStreamHeader.Read(block, out var header);
            headers.Add(header);
            block = block[consumed..];
        }

        return headers;
    }
}
