using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Greengrass.Nucleus.Ipc.Services;
using Greengrass.Nucleus.Shadows;
using Greengrass.Nucleus.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Greengrass.Nucleus.Tests.Shadows;

/// <summary>The shadow service on a real folder and a real local bus: persistence, notifications, listing.</summary>
public sealed class ShadowServiceTests : IDisposable
{
    private const string Thing = "sensor-1";
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
    private readonly LocalPubSub _bus = new();
    private readonly ListLogger<ShadowService> _logger = new();

    public void Dispose() => _directory.Dispose();

    private ShadowService Open() =>
        new(new ShadowStore(_directory.Combine("shadows"), new ListLogger<ShadowStore>()), _bus, _time, _logger);

    private static byte[] Bytes(string json) => Encoding.UTF8.GetBytes(json);

    private static JsonNode Parse(byte[] payload) => JsonNode.Parse(payload)!;

    [Fact]
    public async Task Update_ThenNewServiceOnSameFolder_GetReturnsDocumentWithDelta()
    {
        using (var first = Open())
        {
            await first.UpdateAsync(Thing, "", Bytes("""{"state":{"desired":{"temp":20}}}"""), CancellationToken.None);
            await first.UpdateAsync(Thing, "", Bytes("""{"state":{"reported":{"temp":18}}}"""), CancellationToken.None);
        }

        using var second = Open();
        var document = Parse(await second.GetAsync(Thing, "", CancellationToken.None));

        Assert.Equal(2, document["version"]!.GetValue<long>());
        Assert.Equal(20, document["state"]!["delta"]!["temp"]!.GetValue<int>());
        Assert.Equal(18, document["state"]!["reported"]!["temp"]!.GetValue<int>());
        Assert.Equal(1_700_000_000, document["metadata"]!["desired"]!["temp"]!["timestamp"]!.GetValue<long>());
        _logger.AssertNoErrors();
    }

    [Fact]
    public async Task Update_Accepted_PublishesAcceptedDeltaAndDocumentsFromShadowManager()
    {
        var messages = new ConcurrentQueue<PubSubMessage>();
        using var subscription = _bus.Subscribe("$aws/things/sensor-1/shadow/name/config/#", "com.example.Watcher", true, messages.Enqueue);
        using var service = Open();

        var reply = Parse(await service.UpdateAsync(
            Thing, "config", Bytes("""{"state":{"desired":{"mode":"eco"},"reported":{"mode":"off"}},"clientToken":"c1"}"""), CancellationToken.None));

        var byTopic = messages.ToDictionary(m => m.Topic);
        Assert.Equal(
            ["$aws/things/sensor-1/shadow/name/config/update/accepted", "$aws/things/sensor-1/shadow/name/config/update/delta",
             "$aws/things/sensor-1/shadow/name/config/update/documents"],
            byTopic.Keys.Order(StringComparer.Ordinal));
        Assert.All(messages, m => Assert.Equal(ShadowService.ComponentName, m.Publisher));
        Assert.True(JsonNode.DeepEquals(reply, Parse(byTopic["$aws/things/sensor-1/shadow/name/config/update/accepted"].Binary!)));
        Assert.Equal("c1", reply["clientToken"]!.GetValue<string>());
        var delta = Parse(byTopic["$aws/things/sensor-1/shadow/name/config/update/delta"].Binary!);
        Assert.Equal("eco", delta["state"]!["mode"]!.GetValue<string>());
        Assert.Equal(1, delta["version"]!.GetValue<long>());
        var documents = Parse(byTopic["$aws/things/sensor-1/shadow/name/config/update/documents"].Binary!);
        Assert.Null(documents["previous"]);
        Assert.Equal("off", documents["current"]!["state"]!["reported"]!["mode"]!.GetValue<string>());
    }

    [Fact]
    public async Task Update_ReportedCatchesUp_NoDeltaPublished()
    {
        using var service = Open();
        await service.UpdateAsync(Thing, "", Bytes("""{"state":{"desired":{"on":true}}}"""), CancellationToken.None);
        var deltas = new ConcurrentQueue<PubSubMessage>();
        using var subscription = _bus.Subscribe("$aws/things/sensor-1/shadow/update/delta", "com.example.Watcher", true, deltas.Enqueue);

        await service.UpdateAsync(Thing, "", Bytes("""{"state":{"reported":{"on":true}}}"""), CancellationToken.None);

        Assert.Empty(deltas);
    }

    [Fact]
    public async Task Delete_ThenRestart_NotFoundAndVersionContinues()
    {
        using (var first = Open())
        {
            await first.UpdateAsync(Thing, "", Bytes("""{"state":{"reported":{"a":1}}}"""), CancellationToken.None);
            await first.UpdateAsync(Thing, "", Bytes("""{"state":{"reported":{"a":2}}}"""), CancellationToken.None);
            var deleted = Parse(await first.DeleteAsync(Thing, "", CancellationToken.None));
            Assert.Equal(2, deleted["version"]!.GetValue<long>());
        }

        using var second = Open();
        var missing = await Assert.ThrowsAsync<ShadowException>(() => second.GetAsync(Thing, "", CancellationToken.None));
        Assert.Equal(ShadowErrorKind.NotFound, missing.Kind);
        Assert.Equal(ShadowErrorKind.NotFound, (await Assert.ThrowsAsync<ShadowException>(() => second.DeleteAsync(Thing, "", CancellationToken.None))).Kind);

        var recreated = Parse(await second.UpdateAsync(Thing, "", Bytes("""{"state":{"reported":{"b":1}}}"""), CancellationToken.None));
        Assert.Equal(3, recreated["version"]!.GetValue<long>());
        Assert.Null(Parse(await second.GetAsync(Thing, "", CancellationToken.None))["state"]!["reported"]!["a"]);
    }

    [Fact]
    public async Task ListNamed_SkipsClassicAndDeleted_PagesInNameOrder()
    {
        using var service = Open();
        foreach (var name in new[] { "c", "a", "d", "b" })
        {
            await service.UpdateAsync(Thing, name, Bytes("""{"state":{"reported":{"x":1}}}"""), CancellationToken.None);
        }

        await service.UpdateAsync(Thing, "", Bytes("""{"state":{"reported":{"x":1}}}"""), CancellationToken.None);
        await service.UpdateAsync("other", "z", Bytes("""{"state":{"reported":{"x":1}}}"""), CancellationToken.None);
        await service.DeleteAsync(Thing, "c", CancellationToken.None);

        Assert.Equal(["a", "b"], await service.ListNamedAsync(Thing, 0, 2, CancellationToken.None));
        Assert.Equal(["d"], await service.ListNamedAsync(Thing, 2, 2, CancellationToken.None));
        Assert.Empty(await service.ListNamedAsync("nobody", 0, 25, CancellationToken.None));
    }

    [Fact]
    public async Task Load_CorruptFileAndLeftoverTemporary_ReadsAsMissingAndCleansUp()
    {
        var folder = _directory.Combine("shadows", Thing);
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "classic.json"), "{not json");
        var leftover = Path.Combine(folder, ".classic.json.0123.tmp");
        await File.WriteAllTextAsync(leftover, "partial");
        var storeLogger = new ListLogger<ShadowStore>();
        using var service = new ShadowService(new ShadowStore(_directory.Combine("shadows"), storeLogger), _bus, _time, _logger);

        var ex = await Assert.ThrowsAsync<ShadowException>(() => service.GetAsync(Thing, "", CancellationToken.None));

        Assert.Equal(ShadowErrorKind.NotFound, ex.Kind);
        Assert.False(File.Exists(leftover));
        Assert.Contains(storeLogger.Entries, e => e.Message.Contains("Ignoring unreadable shadow file", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Update_ManyAtOnce_EachGetsItsOwnVersion()
    {
        using var service = Open();

        var replies = await Task.WhenAll(Enumerable.Range(1, 20).Select(i =>
            service.UpdateAsync(Thing, "", Bytes($"{{\"state\":{{\"reported\":{{\"k{i}\":{i}}}}}}}"), CancellationToken.None)));

        Assert.Equal(Enumerable.Range(1, 20).Select(v => (long)v), replies.Select(r => Parse(r)["version"]!.GetValue<long>()).Order());
        var document = Parse(await service.GetAsync(Thing, "", CancellationToken.None));
        Assert.Equal(20, document["state"]!["reported"]!.AsObject().Count);
    }

    [Fact]
    public async Task Update_SmallerSizeLimit_Applies()
    {
        using var service = Open();
        service.DocumentSizeLimit = 64;

        var ex = await Assert.ThrowsAsync<ShadowException>(() =>
            service.UpdateAsync(Thing, "", Bytes($"{{\"state\":{{\"reported\":{{\"a\":\"{new string('x', 60)}\"}}}}}}"), CancellationToken.None));

        Assert.Equal(ShadowErrorKind.PayloadTooLarge, ex.Kind);
        Assert.Throws<ArgumentOutOfRangeException>(() => service.DocumentSizeLimit = 30721);
    }
}
