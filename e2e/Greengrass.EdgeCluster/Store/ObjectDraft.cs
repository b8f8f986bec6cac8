using System.Buffers;
using System.Buffers.Text;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Greengrass.EdgeCluster.Store;

/// <summary>
/// A new version of an object, worked out before the store lock is taken: its summary and its serialized bytes, with
/// <c>metadata.resourceVersion</c> left open, since the version is only known at commit. The bytes are laid out for
/// the number of digits the version is expected to have, so committing writes those digits in place; only when the
/// version has more digits than expected (the store's counter crossed a power of ten meanwhile) does the commit copy
/// the bytes around them. The commit, under the lock, is then a few stores and no serialization: writes queue behind
/// each other for that long only. The bytes go to the pinned object heap (see <see cref="AllocateVersion"/>).
/// </summary>
internal sealed class ObjectDraft
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    private readonly IndexedValues _indexed;
    private readonly int _versionOffset;
    private readonly int _versionDigits;
    private byte[] _bytes;
    private int _length;
    private bool _committed;

    private ObjectDraft(ObjectSummary summary, IndexedValues indexed, byte[] bytes, int length, int versionOffset, int versionDigits)
    {
        Summary = summary;
        _indexed = indexed;
        _bytes = bytes;
        _length = length;
        _versionOffset = versionOffset;
        _versionDigits = versionDigits;
    }

    public ObjectSummary Summary { get; }

    /// <summary>The serialized size, with as many version digits as expected.</summary>
    public int Length => _length;

    /// <summary>
    /// Serializes <paramref name="obj"/> with room for a resourceVersion as long as <paramref name="expectedVersion"/>,
    /// and summarizes it, sharing what equals <paramref name="previous"/> (the version it will replace, if any).
    /// </summary>
    public static ObjectDraft Of(JsonObject obj, StoredObject? previous, long expectedVersion)
    {
        Meta.Of(obj); // every stored object has metadata
        var summary = ObjectSummary.Of(obj, previous?.Summary);
        var indexed = StoredObject.Indexed(obj, previous);
        var digits = Digits(expectedVersion);
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var offset = WriteWithOpenVersion(obj, buffer);
        var written = buffer.WrittenSpan;
        var length = written.Length + digits;
        var bytes = AllocateVersion(length);
        written[..offset].CopyTo(bytes);
        written[offset..].CopyTo(bytes.AsSpan(offset + digits));
        if (buffer.Capacity > 1 << 20)
        {
            t_buffer = null; // an oversize object: do not keep its buffer alive on this thread
            t_writer = null;
        }
        return new ObjectDraft(summary, indexed, bytes, length, offset, digits);
    }

    /// <summary>The stored object at <paramref name="resourceVersion"/>. A draft commits once.</summary>
    public StoredObject Commit(long resourceVersion)
    {
        if (_committed)
        {
            throw new InvalidOperationException("a draft commits once");
        }
        _committed = true;
        var digits = Digits(resourceVersion);
        if (digits != _versionDigits)
        {
            var length = _length - _versionDigits + digits;
            var resized = AllocateVersion(length);
            _bytes.AsSpan(0, _versionOffset).CopyTo(resized);
            _bytes.AsSpan(_versionOffset + _versionDigits, _length - _versionOffset - _versionDigits).CopyTo(resized.AsSpan(_versionOffset + digits));
            _bytes = resized;
            _length = length;
        }
        Utf8Formatter.TryFormat(resourceVersion, _bytes.AsSpan(_versionOffset, digits), out _);
        return new StoredObject(Summary, _indexed, _bytes.AsMemory(0, _length), resourceVersion);
    }

    /// <summary>
    /// Writes <paramref name="obj"/> as <see cref="JsonSerializer"/> would, but with <c>metadata.resourceVersion</c>
    /// empty (added at the end of metadata when absent, as setting it on the object would), and returns where its
    /// digits go: the offset of the closing quote of that empty string.
    /// </summary>
    private static int WriteWithOpenVersion(JsonObject obj, ArrayBufferWriter<byte> buffer)
    {
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        var offset = -1;
        writer.WriteStartObject();
        for (var i = 0; i < obj.Count; i++)
        {
            var (key, value) = obj.GetAt(i);
            writer.WritePropertyName(key);
            if (key == "metadata" && value is JsonObject metadata)
            {
                writer.WriteStartObject();
                for (var j = 0; j < metadata.Count; j++)
                {
                    var (field, fieldValue) = metadata.GetAt(j);
                    if (field == "resourceVersion")
                    {
                        offset = OpenVersion(writer);
                        continue;
                    }
                    writer.WritePropertyName(field);
                    WriteValue(writer, fieldValue);
                }
                if (offset < 0)
                {
                    offset = OpenVersion(writer);
                }
                writer.WriteEndObject();
                continue;
            }
            WriteValue(writer, value);
        }
        writer.WriteEndObject();
        writer.Flush();
        if (offset < 0)
        {
            throw new InvalidOperationException("the object has no metadata");
        }
        return offset;
    }

    private static int OpenVersion(Utf8JsonWriter writer)
    {
        writer.WriteString("resourceVersion"u8, ""u8);
        writer.Flush();
        return (int)writer.BytesCommitted - 1;
    }

    private static void WriteValue(Utf8JsonWriter writer, JsonNode? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            value.WriteTo(writer);
        }
    }

    /// <summary>
    /// An array for a version's bytes on the pinned object heap, which young collections never copy: the versions
    /// live as long as the watch window, so on the ordinary heap every one of them was copied twice on its way to the
    /// old generation. The heap reuses freed blocks from free lists by size; arrays in power-of-two sizes make the
    /// freed blocks fit the next requests at once, where exact sizes left lists of near misses that every allocation
    /// walked (a tenth of the server's CPU in the scale run). The space this leaves unused is one to two fifths. Objects
    /// over 1 MiB, rare, get their exact size.
    /// </summary>
    private static byte[] AllocateVersion(int length) =>
        GC.AllocateUninitializedArray<byte>(length > 1 << 20 ? length : Math.Max(256, (int)BitOperations.RoundUpToPowerOf2((uint)length)), pinned: true);

    private static int Digits(long value)
    {
        var digits = 1;
        while (value >= 10)
        {
            value /= 10;
            digits++;
        }
        return digits;
    }
}
