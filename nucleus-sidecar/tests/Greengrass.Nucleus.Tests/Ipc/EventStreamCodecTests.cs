using System.Buffers;
using System.Text;
using Greengrass.Nucleus.Ipc;
using Greengrass.Nucleus.Ipc.EventStream;

namespace Greengrass.Nucleus.Tests.Ipc;

public sealed class EventStreamCodecTests
{
    // Byte vectors of GREENGRASS.md §6.2.
    private const string EmptyVector = "000000100000000005c248eb7d98c8ff";

    private const string ConnectVector =
        "0000007800000048d487bdc5083a76657273696f6e070005302e312e300d3a6d6573736167652d7479706504000000040e3a6d6573736167652d666c6167730400000000"
        + "0a3a73747265616d2d696404000000007b2261757468546f6b656e223a224142434445464748494a4b4c4d4e4f50227dfc808abe";

    private const string ConnectAckVector =
        "0000004700000037374cfe3f0d3a6d6573736167652d7479706504000000050e3a6d6573736167652d666c61677304000000010a3a73747265616d2d69640400000000e237e27d";

    private static EventStreamMessage ConnectMessage() => new(
        [
            EventStreamHeader.String(":version", "0.1.0"),
            EventStreamHeader.Int32(":message-type", 4),
            EventStreamHeader.Int32(":message-flags", 0),
            EventStreamHeader.Int32(":stream-id", 0),
        ],
        Encoding.UTF8.GetBytes("""{"authToken":"ABCDEFGHIJKLMNOP"}"""));

    [Fact]
    public void Encode_EmptyMessage_MatchesVector() =>
        Assert.Equal(EmptyVector, Convert.ToHexStringLower(EventStreamCodec.Encode(new EventStreamMessage([], ReadOnlyMemory<byte>.Empty))));

    [Fact]
    public void Encode_Connect_MatchesVector() =>
        Assert.Equal(ConnectVector, Convert.ToHexStringLower(EventStreamCodec.Encode(ConnectMessage())));

    [Fact]
    public void Encode_ConnectAckAccepted_MatchesVector() =>
        Assert.Equal(ConnectAckVector, Convert.ToHexStringLower(EventStreamCodec.Encode(IpcFrames.ConnectAck(accepted: true))));

    [Fact]
    public void Decode_ConnectVector_ReproducesHeadersPayloadAndBytes()
    {
        var message = EventStreamCodec.Decode(Convert.FromHexString(ConnectVector));

        Assert.Equal([":version", ":message-type", ":message-flags", ":stream-id"], message.Headers.Select(h => h.Name));
        Assert.Equal("0.1.0", message.Headers[0].StringValue);
        Assert.Equal(4, message.Headers[1].IntegerValue);
        Assert.Equal("""{"authToken":"ABCDEFGHIJKLMNOP"}""", Encoding.UTF8.GetString(message.Payload.Span));
        Assert.Equal(ConnectVector, Convert.ToHexStringLower(EventStreamCodec.Encode(message)));
    }

    [Theory]
    [InlineData(EmptyVector)]
    [InlineData(ConnectAckVector)]
    public void Decode_Vector_ReencodesIdentically(string vector) =>
        Assert.Equal(vector, Convert.ToHexStringLower(EventStreamCodec.Encode(EventStreamCodec.Decode(Convert.FromHexString(vector)))));

    [Fact]
    public void RoundTrip_EveryHeaderType_KeepsTypesAndValues()
    {
        var uuid = Guid.Parse("01234567-89ab-cdef-0123-456789abcdef");
        var stamp = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
        var original = new EventStreamMessage(
            [
                EventStreamHeader.Bool("t", true), EventStreamHeader.Bool("f", false), EventStreamHeader.Byte("b", -5),
                EventStreamHeader.Int16("s", -1234), EventStreamHeader.Int32("i", int.MinValue), EventStreamHeader.Int64("l", long.MaxValue),
                EventStreamHeader.Bytes("buf", [1, 2, 3]), EventStreamHeader.String("str", "héllo"),
                EventStreamHeader.Timestamp("ts", stamp), EventStreamHeader.Uuid("id", uuid),
            ],
            new byte[] { 9, 8, 7 });

        var decoded = EventStreamCodec.Decode(EventStreamCodec.Encode(original));

        Assert.Equal(original.Headers.Select(h => h.Type), decoded.Headers.Select(h => h.Type));
        Assert.True(decoded.Headers[0].BoolValue);
        Assert.False(decoded.Headers[1].BoolValue);
        Assert.Equal(-5, decoded.Headers[2].IntegerValue);
        Assert.Equal(-1234, decoded.Headers[3].IntegerValue);
        Assert.Equal(int.MinValue, decoded.Headers[4].IntegerValue);
        Assert.Equal(long.MaxValue, decoded.Headers[5].IntegerValue);
        Assert.Equal([1, 2, 3], decoded.Headers[6].BytesValue!);
        Assert.Equal("héllo", decoded.Headers[7].StringValue);
        Assert.Equal(stamp, decoded.Headers[8].TimestampValue);
        Assert.Equal(uuid, decoded.Headers[9].UuidValue);
        Assert.Equal([9, 8, 7], decoded.Payload.ToArray());
    }

    [Fact]
    public void Uuid_Header_IsWrittenInRfc4122Order()
    {
        var bytes = EventStreamCodec.Encode(new EventStreamMessage([EventStreamHeader.Uuid("u", Guid.Parse("00112233-4455-6677-8899-aabbccddeeff"))], default));

        Assert.Equal("00112233445566778899aabbccddeeff", Convert.ToHexStringLower(bytes.AsSpan(12 + 3, 16)));
    }

    [Theory]
    [InlineData(9, "prelude CRC")]
    [InlineData(40, "message CRC")]
    [InlineData(119, "message CRC")]
    public void Decode_FlippedBit_ThrowsNamingTheCheck(int offset, string expected)
    {
        var bytes = Convert.FromHexString(ConnectVector);
        bytes[offset] ^= 0x10;

        var error = Assert.Throws<EventStreamFormatException>(() => EventStreamCodec.Decode(bytes));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void TryDecode_TruncatedFrame_WaitsForMoreBytes()
    {
        var bytes = Convert.FromHexString(ConnectVector);
        for (var length = 0; length < bytes.Length; length++)
        {
            var sequence = new ReadOnlySequence<byte>(bytes, 0, length);
            Assert.False(EventStreamCodec.TryDecode(ref sequence, EventStreamLimits.MaxMessageLength, out _));
            Assert.Equal(length, sequence.Length);
        }
    }

    [Fact]
    public void TryDecode_FrameSplitAcrossSegments_Decodes()
    {
        var bytes = Convert.FromHexString(ConnectVector + ConnectAckVector);
        var sequence = Segments.Of(bytes, 7);

        Assert.True(EventStreamCodec.TryDecode(ref sequence, EventStreamLimits.MaxMessageLength, out var first));
        Assert.True(EventStreamCodec.TryDecode(ref sequence, EventStreamLimits.MaxMessageLength, out var second));

        Assert.Equal("0.1.0", first!.Headers[0].StringValue);
        Assert.Equal(5, second!.Headers[0].IntegerValue);
        Assert.Equal(0, sequence.Length);
    }

    [Fact]
    public void TryDecode_LengthAboveLimit_RejectsFromPreludeAlone()
    {
        var prelude = Prelude(totalLength: 2048, headersLength: 0);
        var sequence = new ReadOnlySequence<byte>(prelude);

        var error = Assert.Throws<EventStreamFormatException>(() => EventStreamCodec.TryDecode(ref sequence, 1024, out _));
        Assert.Contains("total length 2048", error.Message);
    }

    [Fact]
    public void TryDecode_HeadersLongerThanMessage_Throws()
    {
        var sequence = new ReadOnlySequence<byte>(Prelude(totalLength: 20, headersLength: 10));

        Assert.Throws<EventStreamFormatException>(() => EventStreamCodec.TryDecode(ref sequence, 1024, out _));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(255)]
    public void Decode_UnknownHeaderType_Throws(byte type)
    {
        var error = Assert.Throws<EventStreamFormatException>(() => EventStreamCodec.Decode(Frame([1, (byte)'x', type])));
        Assert.Contains("unknown value type", error.Message);
    }

    [Fact]
    public void Decode_HeaderRunningPastBlock_Throws() =>
        Assert.Throws<EventStreamFormatException>(() => EventStreamCodec.Decode(Frame([1, (byte)'x', 7, 0, 9, (byte)'a'])));

    [Fact]
    public void Encode_HeaderValueAboveLimit_Throws() =>
        Assert.Throws<ArgumentException>(() => EventStreamHeader.String("big", new string('a', EventStreamLimits.MaxHeaderValueLength + 1)));

    [Fact]
    public void Encode_HeaderNameAboveLimit_Throws() =>
        Assert.Throws<ArgumentException>(() => EventStreamHeader.Int32(new string('n', 256), 1));

    /// <summary>A correctly checksummed frame around an arbitrary header block.</summary>
    internal static byte[] Frame(byte[] headerBlock)
    {
        var total = 16 + headerBlock.Length;
        var bytes = new byte[total];
        Prelude(total, headerBlock.Length).CopyTo(bytes, 0);
        headerBlock.CopyTo(bytes, 12);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(total - 4), System.IO.Hashing.Crc32.HashToUInt32(bytes.AsSpan(0, total - 4)));
        return bytes;
    }

    private static byte[] Prelude(int totalLength, int headersLength)
    {
        var prelude = new byte[12];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(prelude, totalLength);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(prelude.AsSpan(4), headersLength);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(prelude.AsSpan(8), System.IO.Hashing.Crc32.HashToUInt32(prelude.AsSpan(0, 8)));
        return prelude;
    }

    private sealed class Segments : ReadOnlySequenceSegment<byte>
    {
        private Segments(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public static ReadOnlySequence<byte> Of(byte[] bytes, int size)
        {
            var first = new Segments(bytes.AsMemory(0, Math.Min(size, bytes.Length)), 0);
            var last = first;
            for (var offset = size; offset < bytes.Length; offset += size)
            {
                var next = new Segments(bytes.AsMemory(offset, Math.Min(size, bytes.Length - offset)), offset);
                last.Next = next;
                last = next;
            }

            return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        }
    }
}
