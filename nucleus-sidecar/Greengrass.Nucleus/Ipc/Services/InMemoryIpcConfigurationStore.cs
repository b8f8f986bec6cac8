using System.Text.Json.Nodes;

namespace Greengrass.Nucleus.Ipc.Services;

/// <summary>
/// Configuration for IPC held in memory: the runtime puts the config store on disk behind it
/// (<c>RuntimeConfigurationStore</c>); on its own nothing survives a restart. Each leaf keeps its modification time; merges follow the Greengrass rule that an older timestamp never
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

    public ValueTask<ConfigurationUpdateResult> MergeAsync(
        string componentName, IReadOnlyList<string> keyPath, JsonObject valueToMerge, DateTimeOffset timestamp, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Merge(componentName, keyPath, valueToMerge, timestamp));

    /// <summary>The synchronous <see cref="MergeAsync"/>: nothing here waits for a disk.</summary>
    public ConfigurationUpdateResult Merge(string componentName, IReadOnlyList<string> keyPath, JsonObject valueToMerge, DateTimeOffset timestamp)
    {
        var leaves = Leaves(valueToMerge, keyPath);
        List<(Watch Watch, ConfigurationChange Change)> notify;
        lock (_gate)
        {
            if (leaves.Any(leaf => IsNewerThan(componentName, leaf.Path, timestamp)))
            {
                return ConfigurationUpdateResult.Stale;
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

            notify = Watchers(componentName, leaves.Select(leaf => leaf.Path));
        }

        Notify(notify);
        return ConfigurationUpdateResult.Applied;
    }

    /// <summary>True when merging <paramref name="valueToMerge"/> with <paramref name="timestamp"/> would be rejected as stale.</summary>
    public bool IsStale(string componentName, IReadOnlyList<string> keyPath, JsonObject valueToMerge, DateTimeOffset timestamp)
    {
        var leaves = Leaves(valueToMerge, keyPath);
        lock (_gate)
        {
            return leaves.Any(leaf => IsNewerThan(componentName, leaf.Path, timestamp));
        }
    }

    /// <summary>The modification time of the leaf at <paramref name="path"/>; null when no leaf is there.</summary>
    public DateTimeOffset? ModifiedAt(string componentName, IReadOnlyList<string> path)
    {
        lock (_gate)
        {
            return _modified.TryGetValue((componentName, Key([.. path])), out var stored) ? stored : null;
        }
    }

    /// <summary>Removes the node at <paramref name="path"/> (empty: the whole configuration), whatever its timestamps.</summary>
    public bool Remove(string componentName, IReadOnlyList<string> path)
    {
        List<(Watch Watch, ConfigurationChange Change)> notify;
        lock (_gate)
        {
            if (!_configs.TryGetValue(componentName, out var root) || !RemoveNode(root, path, componentName))
            {
                return false;
            }

            notify = Watchers(componentName, [[.. path]]);
        }

        Notify(notify);
        return true;
    }

    /// <summary>Every leaf (a non-object value or an empty object) of <paramref name="value"/>, with its path under <paramref name="prefix"/>.</summary>
    public static List<(string[] Path, JsonNode? Value)> Leaves(JsonObject value, IReadOnlyList<string> prefix)
    {
        var leaves = new List<(string[] Path, JsonNode? Value)>();
        Flatten(value, [.. prefix], leaves);
        return leaves;
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

    private bool RemoveNode(JsonObject root, IReadOnlyList<string> path, string componentName)
    {
        if (path.Count == 0)
        {
            _configs.Remove(componentName);
        }
        else
        {
            JsonNode? parent = root;
            foreach (var key in path.Take(path.Count - 1))
            {
                parent = parent is JsonObject obj && obj.TryGetPropertyValue(key, out var next) ? next : null;
            }

            if (parent is not JsonObject container || !container.Remove(path[^1]))
            {
                return false;
            }
        }

        var prefix = Key([.. path]);
        foreach (var key in _modified.Keys.Where(k => k.Component == componentName && Under(k.Path, prefix)).ToList())
        {
            _modified.Remove(key);
        }

        return true;
    }

    private static bool Under(string key, string prefix) =>
        prefix.Length == 0 || key == prefix || key.StartsWith(prefix + '\u001f', StringComparison.Ordinal);

    private List<(Watch Watch, ConfigurationChange Change)> Watchers(string componentName, IEnumerable<string[]> paths) =>
        [.. from path in paths
            from watch in _watches
            where watch.Component == componentName && Related(watch.KeyPath, path)
            select (watch, new ConfigurationChange(componentName, path))];

    private static void Notify(List<(Watch Watch, ConfigurationChange Change)> notify)
    {
        foreach (var (watch, change) in notify)
        {
            watch.OnChange(change);
        }
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
