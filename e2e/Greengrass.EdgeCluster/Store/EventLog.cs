namespace Greengrass.EdgeCluster.Store;

/// <summary>
/// The retained window of store events that watches resume from: a ring of structs, oldest first. Appending takes no
/// allocation once the ring has grown to the window (it grows by doubling, so a large configured window costs memory
/// only as it fills); a linked list of records cost two objects per event, which lived as long as the window and so
/// were promoted by every young collection they met. Not thread-safe: the store's lock guards it.
/// </summary>
internal sealed class EventLog(int capacity)
{
    private StoreEvent[] _ring = new StoreEvent[Math.Min(capacity, 1024)];
    private int _oldest;

    /// <summary>How many events the log holds, at most <see cref="Capacity"/>.</summary>
    public int Count { get; private set; }

    public int Capacity { get; } = capacity;

    /// <summary>The event <paramref name="index"/> places after the oldest.</summary>
    public ref readonly StoreEvent this[int index] => ref _ring[(_oldest + index) % _ring.Length];

    /// <summary>Appends <paramref name="ev"/>; when the log was full, the oldest event makes room and is returned.</summary>
    public bool Append(in StoreEvent ev, out StoreEvent evicted)
    {
        if (Count == _ring.Length && _ring.Length < Capacity)
        {
            Grow();
        }
        if (Count < _ring.Length)
        {
            _ring[(_oldest + Count) % _ring.Length] = ev;
            Count++;
            evicted = default;
            return false;
        }
        evicted = _ring[_oldest];
        _ring[_oldest] = ev;
        _oldest = (_oldest + 1) % _ring.Length;
        return true;
    }

    private void Grow()
    {
        var bigger = new StoreEvent[(int)Math.Min(Capacity, (long)_ring.Length * 2)];
        for (var i = 0; i < Count; i++)
        {
            bigger[i] = this[i];
        }
        _ring = bigger;
        _oldest = 0;
    }
}
