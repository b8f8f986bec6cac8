using System.Text.Json;
using System.Text.Json.Nodes;
using Greengrass.EdgeCluster.Store;

namespace Greengrass.EdgeCluster.Tests.Unit;

/// <summary>The ring the store keeps its watch window in: order, eviction at the window, growth on the way there.</summary>
public sealed class EventLogTests
{
    private static readonly StoredObject Pod = Stored("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"ns"}}""");

    private static StoredObject Stored(string json)
    {
        var obj = JsonNode.Parse(json)!.AsObject();
        return StoredObject.From(obj, JsonSerializer.SerializeToUtf8Bytes(obj), 1);
    }

    private static StoreEvent Event(long rv) => new(rv, "MODIFIED", "/pods", "ns", "ns/p", null, Pod);

    private static long[] Versions(EventLog log) => [.. Enumerable.Range(0, log.Count).Select(i => log[i].ResourceVersion)];

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(1024)] // the ring's first size: full before it would grow
    [InlineData(5000)] // grows from 1,024 by doubling, capped at the window
    public void Append_PastTheWindow_KeepsTheNewestInOrderAndEvictsTheOldest(int window)
    {
        var log = new EventLog(window);
        var evictions = new List<long>();

        for (var rv = 1L; rv <= window + 7; rv++)
        {
            if (log.Append(Event(rv), out var evicted))
            {
                evictions.Add(evicted.ResourceVersion);
            }
        }

        Assert.Equal(window, log.Count);
        Assert.Equal(Enumerable.Range(8, window).Select(v => (long)v), Versions(log));
        Assert.Equal(Enumerable.Range(1, 7).Select(v => (long)v), evictions);
    }

    [Fact]
    public void Append_BelowTheWindow_EvictsNothing()
    {
        var log = new EventLog(10_000);

        Assert.False(log.Append(Event(1), out _));
        Assert.False(log.Append(Event(2), out _));

        Assert.Equal([1L, 2L], Versions(log));
    }
}
