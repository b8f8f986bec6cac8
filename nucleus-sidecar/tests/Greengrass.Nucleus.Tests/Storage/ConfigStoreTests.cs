using System.Text.Json.Nodes;
using Greengrass.Nucleus.Storage;
using Greengrass.Nucleus.Tests.TestSupport;

namespace Greengrass.Nucleus.Tests.Storage;

public sealed class ConfigStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static Task<ConfigStore> OpenAsync(TempDirectory dir, ListLogger<ConfigStore>? logger = null, int compactAfter = 15_000) =>
        ConfigStore.OpenAsync(dir.Combine("config", "config.tlog"), logger ?? new ListLogger<ConfigStore>(), None, compactAfter);

    [Fact]
    public async Task MergeAsync_OlderTimestamp_IgnoredNewerOrEqualApplied()
    {
        using var dir = new TempDirectory();
        await using var store = await OpenAsync(dir);
        string[] key = ["services", "a", "configuration", "port"];

        await store.MergeAsync(key, 8080, 100, None);
        var older = await store.MergeAsync(key, 9090, 50, None);
        var equalTime = await store.MergeAsync(key, 7070, 100, None);

        Assert.Equal(0, older);
        Assert.Equal(1, equalTime);
        Assert.Equal(7070, store.Get(key)!.Value!.GetValue<int>());
        Assert.Equal(100, store.Get(key)!.ModifiedAt);
    }

    [Fact]
    public async Task MergeAsync_ObjectValue_BecomesTreeWithCaseInsensitiveKeys()
    {
        using var dir = new TempDirectory();
        await using var store = await OpenAsync(dir);

        await store.MergeAsync(["services", "a", "configuration"], JsonNode.Parse("""{"Mqtt":{"Port":8883,"Topics":["x","y"]},"debug":true}"""), 1, None);

        Assert.Equal(8883, store.Get("SERVICES", "A", "configuration", "mqtt", "port")!.Value!.GetValue<int>());
        Assert.Equal("""["x","y"]""", store.Get("services", "a", "configuration", "Mqtt", "Topics")!.Value!.ToJsonString());
        Assert.Equal("""{"Mqtt":{"Port":8883,"Topics":["x","y"]},"debug":true}""", store.ToJson("services", "a", "configuration")!.ToJsonString());
    }

    [Fact]
    public async Task OpenAsync_AfterWritesAndAbruptClose_ReloadsValuesAndTimestamps()
    {
        using var dir = new TempDirectory();
        var store = await OpenAsync(dir);
        await store.MergeAsync(["services", "a", "configuration"], JsonNode.Parse("""{"k":"v1","n":1}"""), 10, None);
        await store.MergeAsync(["services", "a", "configuration", "k"], "v2", 20, None);
        await store.RemoveAsync(["services", "a", "configuration", "n"], 30, None);

        // No dispose: every accepted change is already fsynced, as after kill -9.
        await using var reopened = await OpenAsync(dir);

        Assert.Equal(20, reopened.Get("services", "a", "configuration", "k")!.ModifiedAt);
        Assert.Equal("v2", reopened.Get("services", "a", "configuration", "k")!.Value!.GetValue<string>());
        Assert.Null(reopened.Get("services", "a", "configuration", "n"));
        await store.DisposeAsync();
    }

    [Fact]
    public async Task OpenAsync_TornLastLineFromCrash_DroppedAndLogStaysAppendable()
    {
        using var dir = new TempDirectory();
        var logger = new ListLogger<ConfigStore>();
        await using (var store = await OpenAsync(dir))
        {
            await store.MergeAsync(["a", "b"], "kept", 5, None);
        }

        await File.AppendAllTextAsync(dir.Combine("config", "config.tlog"), """{"TS":6,"TP":["a","c"],"W":"chan""");

        await using (var store = await OpenAsync(dir, logger))
        {
            Assert.Equal("kept", store.Get("a", "b")!.Value!.GetValue<string>());
            Assert.Null(store.Get("a", "c"));
            await store.MergeAsync(["a", "d"], "after", 7, None);
        }

        await using var third = await OpenAsync(dir);
        Assert.Equal("after", third.Get("a", "d")!.Value!.GetValue<string>());
        Assert.Equal("kept", third.Get("a", "b")!.Value!.GetValue<string>());
        Assert.Contains(logger.Entries, e => e.Message.Contains("incomplete entry"));
    }

    [Fact]
    public async Task MergeAsync_UnderscoreKeys_KeptInMemoryButNeverWrittenToLog()
    {
        using var dir = new TempDirectory();
        await using (var store = await OpenAsync(dir))
        {
            await store.MergeAsync(["services", "a", "_private"], "secret", 1, None);
            await store.MergeAsync(["services", "a", "public"], "open", 1, None);
            Assert.Equal("secret", store.Get("services", "a", "_private")!.Value!.GetValue<string>());
        }

        var log = await File.ReadAllTextAsync(dir.Combine("config", "config.tlog"));
        Assert.DoesNotContain("secret", log);
        Assert.Contains("\"W\":\"changed\"", log);
    }

    [Fact]
    public async Task MergeAsync_PastCompactionThreshold_LogRewrittenWithSameTree()
    {
        using var dir = new TempDirectory();
        await using (var store = await OpenAsync(dir, compactAfter: 10))
        {
            for (var i = 0; i < 25; i++)
            {
                await store.MergeAsync(["counter"], i, i, None);
            }

            await store.MergeAsync(["other"], "x", 1, None);
        }

        var lines = await File.ReadAllLinesAsync(dir.Combine("config", "config.tlog"));
        Assert.True(lines.Length <= 11, $"log has {lines.Length} lines after compaction");
        await using var reopened = await OpenAsync(dir, compactAfter: 10);
        Assert.Equal(24, reopened.Get("counter")!.Value!.GetValue<int>());
        Assert.Equal(24, reopened.Get("counter")!.ModifiedAt);
        Assert.Equal("x", reopened.Get("other")!.Value!.GetValue<string>());
    }

    [Fact]
    public async Task RemoveAsync_OlderThanLeaf_KeepsValue()
    {
        using var dir = new TempDirectory();
        await using var store = await OpenAsync(dir);
        await store.MergeAsync(["a", "b"], 1, 100, None);

        Assert.False(await store.RemoveAsync(["a", "b"], 99, None));
        Assert.True(await store.RemoveAsync(["a"], 100, None));
        Assert.Null(store.ToJson("a"));
    }

    [Fact]
    public async Task MergeAsync_EmptyKey_RejectedNamingThePath()
    {
        using var dir = new TempDirectory();
        await using var store = await OpenAsync(dir);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => store.MergeAsync(["services", ""], 1, 1, None));

        Assert.Contains("'services/'", ex.Message);
    }
}
