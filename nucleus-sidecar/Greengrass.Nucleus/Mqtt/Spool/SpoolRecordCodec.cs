using System.Buffers.Binary;
using System.Text;

namespace Greengrass.Nucleus.Mqtt.Spool;

/// <summary>
/// Record layout in a segment: length (u32, of everything after the two header words), CRC32 of that body,
/// then sequence (u64), qos (u8), retain (u8), topic length (u16), topic UTF-8, payload.
/// A crash can leave a torn last record; its length or CRC gives it away and reading stops there.
/// </summary>
internal static class SpoolRecordCodec
{
    private const int HeaderSize = 8;
    private const int FixedBodySize = 8 + 1 + 1 + 2;

    public static byte[] Encode(SpoolMessage message)
    {
        var topicBytes = Encoding.UTF8.GetBytes(message.Topic);
        var bodyLength = FixedBodySize + topicBytes.Length + message.Payload.Length;
        var buffer = new byte[HeaderSize + bodyLength];
        var body = buffer.AsSpan(HeaderSize);
        BinaryPrimitives.WriteInt64LittleEndian(body, message.Sequence);
        body[8] = (byte)message.Qos;
        body[9] = message.Retain ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt16LittleEndian(body[10..], (ushort)topicBytes.Length);
        topicBytes.CopyTo(body[FixedBodySize..]);
        message.Payload.Span.CopyTo(body[(FixedBodySize + topicBytes.Length)..]);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, (uint)bodyLength);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(4), Crc32.Compute(body));
        return buffer;
    }

    /// <summary>Reads every whole record; returns the offset just after the last good one.</summary>
    public static long ReadAll(string path, List<SpoolMessage> into)
    {
        var data = File.ReadAllBytes(path);
        var offset = 0;
        while (data.Length - offset >= HeaderSize)
        {
            var length = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(offset));
            if (length < FixedBodySize || length > data.Length - offset - HeaderSize)
            {
                break;
            }

            var body = data.AsSpan(offset + HeaderSize, (int)length);
            if (Crc32.Compute(body) != BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(offset + 4)))
            {
                break;
            }

            var topicLength = BinaryPrimitives.ReadUInt16LittleEndian(body[10..]);
            if (FixedBodySize + topicLength > length)
            {
                break;
            }

            into.Add(new SpoolMessage(
                BinaryPrimitives.ReadInt64LittleEndian(body),
                Encoding.UTF8.GetString(body.Slice(FixedBodySize, topicLength)),
                body[(FixedBodySize + topicLength)..].ToArray(),
                body[8],
                body[9] == 1));
            offset += HeaderSize + (int)length;
        }

        return offset;
    }
}

/// <summary>CRC-32 (IEEE 802.3), table driven; enough to detect a torn tail record.</summary>
internal static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (var i = 0u; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}
