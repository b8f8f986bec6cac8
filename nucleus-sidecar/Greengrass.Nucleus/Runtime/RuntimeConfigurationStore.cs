using System.Text.Json.Nodes;
using Greengrass.Nucleus.Ipc.Services;
using Greengrass.Nucleus.Storage;

namespace Greengrass.Nucleus.Runtime;

/// <summary>
/// Component configuration for IPC and deployments: served from memory (IPC reads and watches need it synchronously)
/// and written through to the nucleus config store (<c>config/config.tlog</c>, §8.3) under
/// <c>services.&lt;component&gt;.configuration</c>, so that UpdateConfiguration survives a restart.
/// </summary>
internal sealed class RuntimeConfigurationStore(Action<Task> track) : IIpcConfigurationStore
{
    private readonly InMemoryIpcConfigurationStore _memory = new();
    private ConfigStore? _disk;

    /// <summary>Attaches the store on disk and loads every component's persisted values with their own timestamps.</summary>
    public void Load(ConfigStore disk, IEnumerable<string> components)
    {
        _disk = disk;
        foreach (var component in components)
        {
            if (disk.ToJson("services", component, "configuration") is JsonObject stored)
            {
                Seed(component, [], stored);
            }
        }
    }

    /// <summary>Whether the store already holds configuration for <paramref name="component"/>.</summary>
    public bool Has(string component) => _memory.TryGet(component, [], out _);

    public bool TryGet(string componentName, IReadOnlyList<string> keyPath, out JsonNode? value) =>
        _memory.TryGet(componentName, keyPath, out value);

    public ConfigurationUpdateResult Merge(string componentName, IReadOnlyList<string> keyPath, JsonObject valueToMerge, DateTimeOffset timestamp)
    {
        var result = _memory.Merge(componentName, keyPath, valueToMerge, timestamp);
        if (result == ConfigurationUpdateResult.Applied && _disk is { } disk)
        {
            // The disk store applies the same timestamp rule, so writes finishing out of order still converge.
            track(disk.MergeAsync(["services", componentName, "configuration", .. keyPath], valueToMerge.DeepClone(), timestamp.ToUnixTimeMilliseconds(), CancellationToken.None));
        }

        return result;
    }

    public IDisposable Subscribe(string componentName, IReadOnlyList<string> keyPath, Action<ConfigurationChange> onChange) =>
        _memory.Subscribe(componentName, keyPath, onChange);

    private void Seed(string component, IReadOnlyList<string> path, JsonObject node)
    {
        foreach (var (key, child) in node)
        {
            string[] childPath = [.. path, key];
            if (child is JsonObject inner && inner.Count > 0)
            {
                Seed(component, childPath, inner);
                continue;
            }

            var modified = _disk!.Get(["services", component, "configuration", .. childPath])?.ModifiedAt ?? 0;
            _memory.Merge(component, path, new JsonObject { [key] = child?.DeepClone() }, DateTimeOffset.FromUnixTimeMilliseconds(modified));
        }
    }
}
