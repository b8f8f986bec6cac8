using System.Text.Json.Nodes;

namespace Greengrass.Nucleus.Ipc.Services;

/// <summary>
/// In-memory configuration for IPC until the nucleus config store exists: nothing survives a restart.
/// Each leaf keeps its modification time; merges follow the Greengrass rule that an older timestamp never
/// overwrites a newer value (§13 #4). Objects merge key by key; arrays and scalars are replaced whole.
/// </summary>
internal sealed class InMemoryIpcConfigurationStore : IIpcConfigurationStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, JsonObject> _configs = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Component, string Path), DateTimeOffset> _modified = [];
    private readonly List<Watch> _watches = [];

    public bool TryGet(string componentName, IReadOnlyList<string> keyPath, out JsonNode? value)
    {
        lock (_gate)
        {
            value = null;
            if (!_configs.TryGetValue(componentName, out var root))
            {
                return false;
            }

            JsonNode? node = root;
            foreach (var key in keyPath)
            {
                if (node is not JsonObject obj || !obj.TryGetPropertyValue(key, out node))
                {
                    return false;
                }
            }

            value = node?.DeepClone();
            return true;
        }
    }

    public ConfigurationUpdateResult Merge(string componentName, IReadOnlyList<string> keyPath, JsonObject valueToMerge, DateTimeOffset timestamp)
    {
        var leaves = new List<(string[] Path, JsonNode? Value)>();
        Flatten(valueToMerge, [.. keyPath], leaves);
        List<(Watch Watch, ConfigurationChange Change)> notify;
        lock (_gate)
        {
            foreach (var (path, _) in leaves)
            {
                if (IsNewerThan(componentName, path, timestamp))
                {
                    return ConfigurationUpdateResult.Stale;
                }
            }

            if (!_configs.TryGetValue(componentName, out var root))
            {
                _configs[componentName] = root = [];
            }

            foreach (var (path, value) in leaves)
            {
                SetLeaf(root, path, value);
                _modified[(componentName, Key(path))] = timestamp;
            }

            notify = [.. from leaf in leaves
                         from watch in _watches
                         where watch.Component == componentName && Related(watch.KeyPath, leaf.Path)
                         select (watch, new ConfigurationChange(componentName, leaf.Path))];
        }

        foreach (var (watch, change) in notify)
        {
            watch.OnChange(change);
        }

        return ConfigurationUpdateResult.Applied;
    }

    public IDisposable Subscribe(string componentName, IReadOnlyList<string> keyPath, Action<ConfigurationChange> onChange)
    {
        var watch = new Watch(this, componentName, [.. keyPath], onChange);
        lock (_gate)
        {
            _watches.Add(watch);
        }

        return watch;
    }

    /// <summary>True when the leaf at <paramref name="path"/>, or a leaf on the way to it, was modified after <paramref name="timestamp"/>.</summary>
    private bool IsNewerThan(string component, string[] path, DateTimeOffset timestamp)
    {
        for (var length = 1; length <= path.Length; length++)
        {
            if (_modified.TryGetValue((component, Key(path.AsSpan(0, length))), out var stored) && stored > timestamp)
            {
                return true;
            }
        }

        return false;
    }

    private static void Flatten(JsonObject value, string[] prefix, List<(string[] Path, JsonNode? Value)> leaves)
    {
        foreach (var (key, child) in value)
        {
            string[] path = [.. prefix, key];
            if (child is JsonObject obj && obj.Count > 0)
            {
                Flatten(obj, path, leaves);
            }
            else
            {
                leaves.Add((path, child?.DeepClone()));
            }
        }
    }

    private static void SetLeaf(JsonObject root, string[] path, JsonNode? value)
    {
        var node = root;
        foreach (var key in path[..^1])
        {
            if (node[key] is not JsonObject next)
            {
                next = [];
                node[key] = next;
            }

            node = next;
        }

        node[path[^1]] = value;
    }

    private static bool Related(string[] watched, string[] changed)
    {
        var common = Math.Min(watched.Length, changed.Length);
        for (var i = 0; i < common; i++)
        {
            if (watched[i] != changed[i])
            {
                return false;
            }
        }

        return true;
    }

    private static string Key(ReadOnlySpan<string> path) => string.Join('\u001f', path.ToArray());

    private sealed class Watch(InMemoryIpcConfigurationStore store, string component, string[] keyPath, Action<ConfigurationChange> onChange) : IDisposable
    {
        public string Component { get; } = component;

        public string[] KeyPath { get; } = keyPath;

        public Action<ConfigurationChange> OnChange { get; } = onChange;

        public void Dispose()
        {
            lock (store._gate)
            {
                store._watches.Remove(this);
            }
        }
    }
}
