using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Greengrass.EdgeCluster.Store;

/// <summary>
/// <c>--state-dir</c>: a JSON snapshot plus an append-only log of commits. On start the log is
/// replayed over the snapshot and compacted into a new snapshot.
/// </summary>
internal sealed class StatePersistence : IStateLog, IDisposable
{
    private const string SnapshotFile = "snapshot.json";
    private const string LogFile = "changes.jsonl";
    private readonly string _dir;
    private readonly StreamWriter _log;

    private StatePersistence(string dir)
    {
        _dir = dir;
        _log = new StreamWriter(new FileStream(Path.Combine(dir, LogFile), FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false)) { AutoFlush = true };
    }

    /// <summary>Loads the directory's state into the store and starts logging to it.</summary>
    public static StatePersistence Open(string dir, ResourceStore store)
    {
        Directory.CreateDirectory(dir);
        var objects = new Dictionary<(string, string), byte[]>();
        long rv = 0;
        var snapshotPath = Path.Combine(dir, SnapshotFile);
        if (File.Exists(snapshotPath))
        {
            var snapshot = JsonNode.Parse(File.ReadAllBytes(snapshotPath))!.AsObject();
            rv = Meta.Long(snapshot["resourceVersion"])!.Value;
            foreach (var o in snapshot["objects"]!.AsArray())
            {
                objects[((string)o!["k"]!, (string)o["key"]!)] = JsonSerializer.SerializeToUtf8Bytes(o["o"]);
            }
        }
        var logPath = Path.Combine(dir, LogFile);
        if (File.Exists(logPath))
        {
            foreach (var line in File.ReadLines(logPath).Where(l => l.Length > 0))
            {
                JsonNode? entry;
                try
                {
                    entry = JsonNode.Parse(line);
                }
                catch (JsonException)
                {
                    break; // a torn last line after a crash: everything before it is intact
                }
                rv = Math.Max(rv, Meta.Long(entry!["rv"])!.Value);
                var id = ((string)entry["k"]!, (string)entry["key"]!);
                if (entry["o"] is { } obj)
                {
                    objects[id] = JsonSerializer.SerializeToUtf8Bytes(obj);
                }
                else
                {
                    objects.Remove(id);
                }
            }
        }
        store.Restore(objects.Select(p => (p.Key.Item1, p.Key.Item2, p.Value)), rv);
        WriteSnapshot(dir, objects, rv);
        File.WriteAllText(logPath, "");
        return new StatePersistence(dir);
    }

    public void Append(string storageKey, string key, long resourceVersion, ReadOnlyMemory<byte>? bytes)
    {
        var entry = new JsonObject
        {
            ["rv"] = resourceVersion,
            ["k"] = storageKey,
            ["key"] = key,
            ["o"] = bytes is { } b ? JsonNode.Parse(b.Span) : null,
        };
        _log.WriteLine(entry.ToJsonString());
    }

    private static void WriteSnapshot(string dir, Dictionary<(string, string), byte[]> objects, long rv)
    {
        var array = new JsonArray();
        foreach (var ((k, key), bytes) in objects)
        {
            array.Add(new JsonObject { ["k"] = k, ["key"] = key, ["o"] = JsonNode.Parse(bytes) });
        }
        var tmp = Path.Combine(dir, SnapshotFile + ".tmp");
        File.WriteAllText(tmp, new JsonObject { ["resourceVersion"] = rv, ["objects"] = array }.ToJsonString());
        File.Move(tmp, Path.Combine(dir, SnapshotFile), overwrite: true);
    }

    public void Dispose() => _log.Dispose();
}
