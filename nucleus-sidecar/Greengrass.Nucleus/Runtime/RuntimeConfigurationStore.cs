using System.Text.Json.Nodes;
using Greengrass.Nucleus.Ipc.Services;
using Greengrass.Nucleus.Storage;

namespace Greengrass.Nucleus.Runtime;

/// <summary>
/// Component configuration for IPC and deployments: served from memory (IPC reads and watches need it synchronously)
/// and written through to the nucleus config store (<c>config/config.tlog</c>, §8.3) under
/// <c>services.&lt;component&gt;.configuration</c>. A write is appended and fsynced before it shows in memory, so an
/// acknowledged UpdateConfiguration survives <c>kill -9</c>. Writes are serialised: the staleness check, the disk
/// and the memory see them in one order.
/// </summary>
internal sealed class RuntimeConfigurationStore : IIpcConfigurationStore, IDisposable
{
    private static readonly DateTimeOffset DefaultsTime = DateTimeOffset.FromUnixTimeMilliseconds(Greengrass.Model.Configuration.TimestampedConfiguration.DefaultsTimestamp);
    private readonly InMemoryIpcConfigurationStore _memory = new();
    private readonly SemaphoreSlim _writes = new(1, 1);
    private ConfigStore? _disk;

    /// <summary>Attaches the store on disk and loads every component's persisted values with their own timestamps.</summary>
    public void Load(ConfigStore disk, IEnumerable<string> components)
    {
        _disk = disk;
        foreach (var component in components)
        {
            if (disk.ToJson("services", component, "configuration") is JsonObject stored)
            {
                foreach (var (path, value) in InMemoryIpcConfigurationStore.Leaves(stored, []))
                {
                    var modified = disk.Get(["services", component, "configuration", .. path])?.ModifiedAt ?? 0;
                    _memory.Merge(component, path[..^1], new JsonObject { [path[^1]] = value }, DateTimeOffset.FromUnixTimeMilliseconds(modified));
                }
            }
        }
    }

    public bool TryGet(string componentName, IReadOnlyList<string> keyPath, out JsonNode? value) =>
        _memory.TryGet(componentName, keyPath, out value);

    public async ValueTask<ConfigurationUpdateResult> MergeAsync(
        string componentName, IReadOnlyList<string> keyPath, JsonObject valueToMerge, DateTimeOffset timestamp, CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken);
        try
        {
            return await MergeCoreAsync(componentName, keyPath, valueToMerge, timestamp, cancellationToken);
        }
        finally
        {
            _writes.Release();
        }
    }

    public IDisposable Subscribe(string componentName, IReadOnlyList<string> keyPath, Action<ConfigurationChange> onChange) =>
        _memory.Subscribe(componentName, keyPath, onChange);

    /// <summary>
    /// Applies a deployment's configuration of one component the way the Greengrass config resolver does (§4.5, §8.3),
    /// with what a plan tells: the operator sends the resolved configuration, not the merge and reset documents, so the
    /// leaves this deployment changed are found by comparing it with the previously applied plan.
    /// A leaf whose planned value changed is written with <paramref name="timestamp"/> (the deployment's creation time)
    /// and so loses to a value written later over IPC; a leaf the plan no longer holds (a reset, or a default gone with a
    /// new recipe) is removed; a leaf the plan did not change only fills a gap, like recipe defaults (timestamp 1), so
    /// values a component changed over IPC survive the deployment. Values only IPC wrote stay.
    /// </summary>
    public async Task ApplyDeploymentAsync(string component, JsonObject? previous, JsonObject planned, DateTimeOffset timestamp, CancellationToken ct)
    {
        var before = previous is null ? [] : InMemoryIpcConfigurationStore.Leaves(previous, []).ToDictionary(l => Key(l.Path), l => l.Value);
        var after = InMemoryIpcConfigurationStore.Leaves(planned, []);
        var afterKeys = after.Select(l => Key(l.Path)).ToHashSet(StringComparer.Ordinal);
        await _writes.WaitAsync(ct);
        try
        {
            foreach (var gone in InMemoryIpcConfigurationStore.Leaves(previous ?? [], []).Where(l => !afterKeys.Contains(Key(l.Path))))
            {
                await RemoveCoreAsync(component, gone.Path, ct);
            }

            foreach (var (path, value) in after)
            {
                var changed = !before.TryGetValue(Key(path), out var old) || !JsonNode.DeepEquals(old, value);
                var present = _memory.TryGet(component, path, out _);
                if (changed || !present)
                {
                    // Per leaf, as the config store does: a stale leaf is skipped, the others still land.
                    await MergeCoreAsync(component, path[..^1], new JsonObject { [path[^1]] = value?.DeepClone() }, changed ? timestamp : DefaultsTime, ct);
                }
            }
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>Forgets a removed component's configuration, in memory and on disk.</summary>
    public async Task RemoveComponentAsync(string component, CancellationToken ct)
    {
        await _writes.WaitAsync(ct);
        try
        {
            _memory.Remove(component, []);
            if (_disk is { } disk)
            {
                await disk.RemoveAsync(["services", component], long.MaxValue, ct);
            }
        }
        finally
        {
            _writes.Release();
        }
    }

    public void Dispose() => _writes.Dispose();

    private async Task<ConfigurationUpdateResult> MergeCoreAsync(
        string component, IReadOnlyList<string> keyPath, JsonObject valueToMerge, DateTimeOffset timestamp, CancellationToken ct)
    {
        if (_memory.IsStale(component, keyPath, valueToMerge, timestamp))
        {
            return ConfigurationUpdateResult.Stale;
        }

        if (_disk is { } disk)
        {
            await disk.MergeAsync(["services", component, "configuration", .. keyPath], valueToMerge.DeepClone(), timestamp.ToUnixTimeMilliseconds(), ct);
        }

        return _memory.Merge(component, keyPath, valueToMerge, timestamp);
    }

    private async Task RemoveCoreAsync(string component, string[] path, CancellationToken ct)
    {
        if (!_memory.Remove(component, path))
        {
            return;
        }

        if (_disk is { } disk)
        {
            // A reset removes whatever the timestamps (§4.5 step 2).
            await disk.RemoveAsync(["services", component, "configuration", .. path], long.MaxValue, ct);
        }
    }

    private static string Key(string[] path) => string.Join('\u001f', path);
}
