using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Storage;

/// <summary>A leaf value of the configuration with its modification time (epoch milliseconds).</summary>
internal sealed record ConfigValue(JsonNode? Value, long ModifiedAt);

/// <summary>
/// The nucleus configuration tree with per-leaf timestamps, persisted as an append-only transaction log
/// (<c>config/config.tlog</c>, one JSON object per line, the Java nucleus' format). Every accepted change is
/// appended and fsynced before the call returns, so the tree survives <c>kill -9</c>; a torn last line from
/// an interrupted append is dropped on load. The log is rewritten atomically from the tree when it grows
/// past <see cref="CompactAfterEntries"/>.
/// </summary>
internal sealed partial class ConfigStore : IAsyncDisposable
{
    private readonly string _logPath;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConfigNode _root = ConfigNode.Interior("");
    private FileStream? _log;
    private int _entries;

    private ConfigStore(string logPath, ILogger logger, int compactAfterEntries)
    {
        _logPath = logPath;
        _logger = logger;
        CompactAfterEntries = compactAfterEntries;
    }

    /// <summary>Log entries after which the log is rewritten from the tree; the Java nucleus uses 15 000.</summary>
    public int CompactAfterEntries { get; }

    /// <summary>Loads the tree from <paramref name="logPath"/> (absent = empty) and opens the log for appending.</summary>
    public static async Task<ConfigStore> OpenAsync(string logPath, ILogger logger, CancellationToken ct, int compactAfterEntries = 15_000)
    {
        var store = new ConfigStore(Path.GetFullPath(logPath), logger, compactAfterEntries);
        var removed = AtomicFile.DeleteLeftoverTemporaries(Path.GetDirectoryName(store._logPath)!);
        if (removed > 0)
        {
            StorageLog.LeftoverTemporariesRemoved(logger, removed, Path.GetDirectoryName(store._logPath)!);
        }

        await store.ReplayAsync(ct);
        if (store._entries > compactAfterEntries)
        {
            await store.CompactCoreAsync(ct);
        }

        store._log ??= OpenForAppend(store._logPath);
        return store;
    }

    public ConfigValue? Get(params string[] path)
    {
        _gate.Wait();
        try
        {
            return Find(path) is { IsLeaf: true } leaf ? new ConfigValue(leaf.Value?.DeepClone(), leaf.ModifiedAt) : null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The subtree at <paramref name="path"/> as JSON (the whole tree for an empty path), or null.</summary>
    public JsonNode? ToJson(params string[] path)
    {
        _gate.Wait();
        try
        {
            return Find(path)?.ToJson();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Merges <paramref name="value"/> at <paramref name="path"/>: objects become interior nodes, anything else
    /// (scalars, arrays, null) a leaf. A leaf changes only when <paramref name="timestamp"/> is not older than its
    /// current time. Returns the number of leaves that changed.
    /// </summary>
    public async Task<int> MergeAsync(IReadOnlyList<string> path, JsonNode? value, long timestamp, CancellationToken ct)
    {
        ValidatePath(path);
        await _gate.WaitAsync(ct);
        try
        {
            var changes = new List<(IReadOnlyList<string> Path, JsonNode? Value)>();
            MergeInto(path, value, timestamp, changes);
            foreach (var (leafPath, leafValue) in changes)
            {
                await AppendAsync("changed", leafPath, leafValue, timestamp, ct);
            }

            await FlushAndMaybeCompactAsync(changes.Count, ct);
            return changes.Count;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Removes the node at <paramref name="path"/> unless something below it is newer than <paramref name="timestamp"/>.</summary>
    public async Task<bool> RemoveAsync(IReadOnlyList<string> path, long timestamp, CancellationToken ct)
    {
        ValidatePath(path);
        await _gate.WaitAsync(ct);
        try
        {
            var parent = Find(path.Take(path.Count - 1).ToArray());
            if (parent is null || parent.IsLeaf || !parent.Children.TryGetValue(path[^1], out var node) ||
                node.NewestModification() > timestamp)
            {
                return false;
            }

            parent.Children.Remove(path[^1]);
            await AppendAsync("removed", path, null, timestamp, ct);
            await FlushAndMaybeCompactAsync(1, ct);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_log is not null)
        {
            await _log.DisposeAsync();
        }

        _gate.Dispose();
    }

    private ConfigNode? Find(IReadOnlyList<string> path)
    {
        var node = _root;
        foreach (var segment in path)
        {
            if (node.IsLeaf || !node.Children.TryGetValue(segment, out var child))
            {
                return null;
            }

            node = child;
        }

        return node;
    }

    private void MergeInto(IReadOnlyList<string> path, JsonNode? value, long timestamp, List<(IReadOnlyList<string>, JsonNode?)> changes)
    {
        if (value is JsonObject obj)
        {
            EnsureInterior(path, timestamp);
            foreach (var (key, child) in obj)
            {
                MergeInto([.. path, key], child, timestamp, changes);
            }

            return;
        }

        var parent = EnsureInterior(path.Take(path.Count - 1).ToArray(), timestamp);
        if (!parent.Children.TryGetValue(path[^1], out var leaf) || !leaf.IsLeaf)
        {
            if (leaf is not null && leaf.NewestModification() > timestamp)
            {
                return;
            }

            parent.Children[path[^1]] = ConfigNode.Leaf(path[^1], value, timestamp);
            changes.Add((path, value));
        }
        else if (leaf.TrySet(value, timestamp))
        {
            changes.Add((path, value));
        }
    }

    private ConfigNode EnsureInterior(IReadOnlyList<string> path, long timestamp)
    {
        var node = _root;
        foreach (var segment in path)
        {
            if (!node.Children.TryGetValue(segment, out var child) || (child.IsLeaf && child.ModifiedAt <= timestamp))
            {
                child = ConfigNode.Interior(segment);
                node.Children[segment] = child;
            }
            else if (child.IsLeaf)
            {
                throw new InvalidOperationException(
                    $"Configuration key '{string.Join('/', path)}' cannot hold children: '{segment}' is a newer value.");
            }

            node = child;
        }

        return node;
    }

    private static void ValidatePath(IReadOnlyList<string> path)
    {
        if (path.Count == 0 || path.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException($"Configuration path '{string.Join('/', path)}' is empty or has an empty key.", nameof(path));
        }
    }

    private static FileStream OpenForAppend(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 4096, FileOptions.Asynchronous);
    }

    private static byte[] EncodeEntry(string what, IReadOnlyList<string> path, JsonNode? value, long timestamp)
    {
        var entry = new JsonObject
        {
            ["TS"] = timestamp,
            ["TP"] = new JsonArray(path.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray()),
            ["W"] = what,
            ["V"] = value?.DeepClone(),
        };
        return Encoding.UTF8.GetBytes(entry.ToJsonString() + "\n");
    }

    // Keys starting with "_" are runtime-only in the Java nucleus and never reach the log.
    private static bool IsTransient(IReadOnlyList<string> path) => path.Any(p => p.StartsWith('_'));

    private async Task AppendAsync(string what, IReadOnlyList<string> path, JsonNode? value, long timestamp, CancellationToken ct)
    {
        if (IsTransient(path))
        {
            return;
        }

        _log ??= OpenForAppend(_logPath);
        await _log.WriteAsync(EncodeEntry(what, path, value, timestamp), ct);
        _entries++;
    }

    private async Task FlushAndMaybeCompactAsync(int changed, CancellationToken ct)
    {
        if (changed == 0 || _log is null)
        {
            return;
        }

        await _log.FlushAsync(ct);
        _log.Flush(flushToDisk: true);
        if (_entries > CompactAfterEntries)
        {
            await CompactCoreAsync(ct);
        }
    }
}
