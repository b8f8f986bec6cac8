using System.Text.Json.Nodes;
using Greengrass.Nucleus.Ipc.Services;
using Greengrass.Nucleus.Runtime;
using Greengrass.Nucleus.Storage;
using Greengrass.Nucleus.Tests.TestSupport;

namespace Greengrass.Nucleus.Tests.Runtime;

/// <summary>The runtime's configuration store: IPC updates written through to config.tlog, deployments applied over them (§4.5, §8.3).</summary>
public sealed class RuntimeConfigurationStoreTests : IAsyncLifetime
{
    private const string Component = "com.example.Config";
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Deployed = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    private readonly TempDirectory _directory = new();
    private ConfigStore _disk = null!;
    private RuntimeConfigurationStore _store = null!;

    public async Task InitializeAsync() => (_disk, _store) = await OpenAsync();

    public async Task DisposeAsync()
    {
        _store.Dispose();
        await _disk.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task MergeAsync_Acknowledged_IsInTheLogWhenItReturns()
    {
        await _store.ApplyDeploymentAsync(Component, null, Json("""{"greeting":"deployed"}"""), Deployed, None);

        var result = await _store.MergeAsync(Component, [], Json("""{"greeting":"over ipc"}"""), Deployed.AddMinutes(1), None);

        Assert.Equal(ConfigurationUpdateResult.Applied, result);
        // A second store on the same log sees exactly what was fsynced, as a nucleus started after kill -9 would.
        var (disk, reopened) = await OpenAsync();
        await using (disk)
        {
            using (reopened)
            {
                Assert.Equal("over ipc", Text(reopened, "greeting"));
            }
        }
    }

    [Fact]
    public async Task MergeAsync_OlderThanStored_IsStaleAndNotWritten()
    {
        await _store.MergeAsync(Component, [], Json("""{"greeting":"new"}"""), Deployed, None);

        var result = await _store.MergeAsync(Component, [], Json("""{"greeting":"old"}"""), Deployed.AddSeconds(-1), None);

        Assert.Equal(ConfigurationUpdateResult.Stale, result);
        Assert.Equal("new", Text(_store, "greeting"));
        Assert.Equal("new", _disk.Get("services", Component, "configuration", "greeting")!.Value!.GetValue<string>());
    }

    [Fact]
    public async Task ApplyDeployment_LeafUnchangedByThePlan_KeepsTheIpcValue()
    {
        var plan = Json("""{"greeting":"deployed","other":1}""");
        await _store.ApplyDeploymentAsync(Component, null, plan, Deployed, None);
        await _store.MergeAsync(Component, [], Json("""{"greeting":"over ipc"}"""), Deployed.AddMinutes(1), None);

        await _store.ApplyDeploymentAsync(Component, plan, Json("""{"greeting":"deployed","other":2}"""), Deployed.AddMinutes(2), None);

        Assert.Equal("over ipc", Text(_store, "greeting"));
        Assert.Equal(2, Value(_store, "other")!.GetValue<int>());
    }

    [Fact]
    public async Task ApplyDeployment_LeafChangedByANewerDeployment_OverwritesTheIpcValue()
    {
        var plan = Json("""{"greeting":"deployed"}""");
        await _store.ApplyDeploymentAsync(Component, null, plan, Deployed, None);
        await _store.MergeAsync(Component, [], Json("""{"greeting":"over ipc"}"""), Deployed.AddMinutes(1), None);

        await _store.ApplyDeploymentAsync(Component, plan, Json("""{"greeting":"merged"}"""), Deployed.AddMinutes(2), None);

        Assert.Equal("merged", Text(_store, "greeting"));
    }

    [Fact]
    public async Task ApplyDeployment_CreatedBeforeTheIpcUpdate_LosesToIt()
    {
        var plan = Json("""{"greeting":"deployed"}""");
        await _store.ApplyDeploymentAsync(Component, null, plan, Deployed, None);
        await _store.MergeAsync(Component, [], Json("""{"greeting":"over ipc"}"""), Deployed.AddMinutes(5), None);

        await _store.ApplyDeploymentAsync(Component, plan, Json("""{"greeting":"merged"}"""), Deployed.AddMinutes(2), None);

        Assert.Equal("over ipc", Text(_store, "greeting"));
    }

    [Fact]
    public async Task ApplyDeployment_LeafGoneFromThePlan_IsRemovedEvenAfterAnIpcUpdate()
    {
        var plan = Json("""{"greeting":"deployed","limits":{"max":5}}""");
        await _store.ApplyDeploymentAsync(Component, null, plan, Deployed, None);
        await _store.MergeAsync(Component, ["limits"], Json("""{"max":9}"""), Deployed.AddMinutes(1), None);

        await _store.ApplyDeploymentAsync(Component, plan, Json("""{"greeting":"deployed"}"""), Deployed.AddMinutes(2), None);

        Assert.False(_store.TryGet(Component, ["limits", "max"], out _));
        Assert.Null(_disk.Get("services", Component, "configuration", "limits", "max"));
        Assert.Equal("deployed", Text(_store, "greeting"));
    }

    [Fact]
    public async Task ApplyDeployment_KeyOnlyIpcWrote_Stays()
    {
        var plan = Json("""{"greeting":"deployed"}""");
        await _store.ApplyDeploymentAsync(Component, null, plan, Deployed, None);
        await _store.MergeAsync(Component, [], Json("""{"extra":true}"""), Deployed.AddMinutes(1), None);

        await _store.ApplyDeploymentAsync(Component, plan, Json("""{"greeting":"again"}"""), Deployed.AddMinutes(2), None);

        Assert.True(Value(_store, "extra")!.GetValue<bool>());
    }

    [Fact]
    public async Task Load_AfterReopen_RestoresValuesWithTheirTimestamps()
    {
        await _store.ApplyDeploymentAsync(Component, null, Json("""{"greeting":"deployed"}"""), Deployed, None);
        await _store.MergeAsync(Component, [], Json("""{"greeting":"over ipc"}"""), Deployed.AddMinutes(3), None);

        var (disk, reopened) = await OpenAsync();
        await using (disk)
        {
            using (reopened)
            {
                // The restored leaf keeps its IPC timestamp: an older update is still refused after the restart.
                var stale = await reopened.MergeAsync(Component, [], Json("""{"greeting":"older"}"""), Deployed.AddMinutes(2), None);
                Assert.Equal(ConfigurationUpdateResult.Stale, stale);
                Assert.Equal("over ipc", Text(reopened, "greeting"));
            }
        }
    }

    [Fact]
    public async Task RemoveComponent_ForgetsItsConfigurationOnDisk()
    {
        await _store.ApplyDeploymentAsync(Component, null, Json("""{"greeting":"deployed"}"""), Deployed, None);

        await _store.RemoveComponentAsync(Component, None);

        Assert.False(_store.TryGet(Component, [], out _));
        Assert.Null(_disk.ToJson("services", Component));
    }

    private async Task<(ConfigStore Disk, RuntimeConfigurationStore Store)> OpenAsync()
    {
        var disk = await ConfigStore.OpenAsync(_directory.Combine("config", "config.tlog"), new ListLogger<ConfigStore>(), None);
        var store = new RuntimeConfigurationStore();
        store.Load(disk, [Component]);
        return (disk, store);
    }

    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    private static string Text(RuntimeConfigurationStore store, string key) => Value(store, key)!.GetValue<string>();

    private static JsonNode? Value(RuntimeConfigurationStore store, string key) =>
        store.TryGet(Component, [key], out var value) ? value : throw new InvalidOperationException($"no {key}");
}
