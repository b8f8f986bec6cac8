using System.Buffers;

namespace Greengrass.EdgeCluster.Http;

/// <summary>A growable byte buffer rented from <see cref="ArrayPool{T}.Shared"/>; dispose returns it.</summary>
internal sealed class PooledBuffer(int initialSize) : IDisposable
{
    private byte[] _array = ArrayPool<byte>.Shared.Rent(initialSize);

    public int WrittenCount { get; private set; }

    public ReadOnlyMemory<byte> WrittenMemory => _array.AsMemory(0, WrittenCount);

    /// <summary>Free space after the written bytes, at least 1 KiB, growing the buffer when needed.</summary>
    public Memory<byte> GetMemory()
    {
        if (_array.Length - WrittenCount < 1024)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(_array.Length * 2);
            _array.AsSpan(0, WrittenCount).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_array);
            _array = bigger;
        }
        return _array.AsMemory(WrittenCount);
    }

    public void Advance(int count) => WrittenCount += count;

    public void Dispose()
    {
        if (_array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_array);
            _array = [];
        }
    }
}
