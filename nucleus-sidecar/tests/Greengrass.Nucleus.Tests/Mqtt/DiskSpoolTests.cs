using System.Text;
using Greengrass.Nucleus.Mqtt.Spool;
using Microsoft.Extensions.Logging.Abstractions;

namespace Greengrass.Nucleus.Tests.Mqtt;

public sealed class DiskSpoolTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gg-spool-" + Guid.NewGuid().ToString("N")[..10]);

    private DiskSpool Open(long max = 1_000_000, bool keepQos0 = false) =>
        new(new SpoolOptions { Directory = _dir, MaxSizeInBytes = max, KeepQos0WhenOffline = keepQos0, SegmentSizeBytes = 4096 }, NullLogger.Instance);

    private static byte[] Payload(int i) => Encoding.ASCII.GetBytes($"m{i:D5}");

    [Fact]
    public async Task Spool_Reopened_ReturnsUndeliveredInOrder()
    {
        await using (var spool = Open())
        {
            await Task.WhenAll(Enumerable.Range(0, 500).Select(i => spool.AppendAsync("t", Payload(i), 1, false, default)));
            for (var i = 0; i < 200; i++)
            {
                await spool.MarkDeliveredAsync(await spool.PeekAsync(default), default);
            }
        }

        await using var reopened = Open();
        Assert.Equal(300, reopened.Count);
        for (var i = 200; i < 500; i++)
        {
            var m = await reopened.PeekAsync(default);
            Assert.Equal($"m{i:D5}", Encoding.ASCII.GetString(m.Payload.Span));
            await reopened.MarkDeliveredAsync(m, default);
        }
    }

    [Fact]
    public async Task Spool_TornTailRecord_IsDiscardedAndEarlierRecordsKept()
    {
        await using (var spool = Open())
        {
            for (var i = 0; i < 10; i++)
            {
                await spool.AppendAsync("t", Payload(i), 1, false, default);
            }
        }

        var segment = Directory.GetFiles(_dir, "*.seg").Single();
        using (var f = new FileStream(segment, FileMode.Open))
        {
            f.SetLength(f.Length - 3);
        }

        await using var reopened = Open();
        Assert.Equal(9, reopened.Count);
        await reopened.AppendAsync("t", Payload(99), 1, false, default);
        Assert.Equal(10, reopened.Count);
    }

    [Fact]
    public async Task Spool_Full_DropsOldestQos0ThenRefusesNewest()
    {
        await using var spool = Open(max: 60, keepQos0: true);
        await spool.AppendAsync("t", new byte[20], 0, false, default);
        await spool.AppendAsync("t", new byte[20], 1, false, default);
        await spool.AppendAsync("t", new byte[20], 1, false, default);

        await spool.AppendAsync("t", new byte[20], 1, false, default); // makes room by dropping the QoS 0 message
        Assert.Equal(1, spool.Stats.DroppedCount);
        Assert.Equal(3, spool.Count);
        Assert.True((await spool.PeekAsync(default)).Qos == 1);

        await Assert.ThrowsAsync<SpoolFullException>(() => spool.AppendAsync("t", new byte[20], 1, false, default));
        Assert.Equal(1, spool.Stats.RefusedCount);
        await Assert.ThrowsAsync<SpoolFullException>(() => spool.AppendAsync("t", new byte[61], 1, false, default));
    }

    [Fact]
    public async Task Spool_Qos0WhileOffline_DroppedUnlessKept()
    {
        await using (var spool = Open())
        {
            Assert.Null(await spool.AppendAsync("t", Payload(1), 0, false, default));
            spool.SetOnline(true);
            Assert.NotNull(await spool.AppendAsync("t", Payload(2), 0, false, default));
            spool.SetOnline(false);
            Assert.Equal(0, spool.Count);
            Assert.Equal(2, spool.Stats.DroppedCount);
        }

        await using var keeping = Open(keepQos0: true);
        Assert.NotNull(await keeping.AppendAsync("t", Payload(3), 0, false, default));
        Assert.Equal(1, keeping.Count);
    }

    [Fact]
    public async Task Spool_DeliveredSegments_AreDeleted()
    {
        await using var spool = Open();
        for (var i = 0; i < 2000; i++)
        {
            await spool.AppendAsync("topic/with/some/length", new byte[64], 1, false, default);
        }

        Assert.True(Directory.GetFiles(_dir, "*.seg").Length > 5);
        while (spool.Count > 0)
        {
            await spool.MarkDeliveredAsync(await spool.PeekAsync(default), default);
        }

        Assert.Single(Directory.GetFiles(_dir, "*.seg"));
    }

    [Fact]
    public async Task Spool_Drops_AreExportedAsPrometheusMetrics()
    {
        var before = SpoolMetrics.Messages.WithLabels("dropped").Value;
        await using var spool = Open();
        await spool.AppendAsync("t", Payload(1), 0, false, default); // QoS 0 while offline: dropped

        Assert.Equal(before + 1, SpoolMetrics.Messages.WithLabels("dropped").Value);
        using var text = new MemoryStream();
        await Greengrass.Nucleus.Observability.NucleusMetrics.Registry.CollectAndExportAsTextAsync(text);
        var exposition = Encoding.UTF8.GetString(text.ToArray());
        Assert.Contains("greengrass_spool_messages_total{state=\"dropped\"}", exposition, StringComparison.Ordinal);
        Assert.Contains("greengrass_spool_queued_bytes", exposition, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
