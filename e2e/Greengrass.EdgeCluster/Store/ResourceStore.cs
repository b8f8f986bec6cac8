using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Greengrass.EdgeCluster.Resources;

namespace Greengrass.EdgeCluster.Store;

/// <summary>
/// The in-memory object store: one bucket per (group, resource), one monotonic resourceVersion,
/// an event log for watches. Every read and write takes one lock, which makes each write atomic with
/// its event and keeps watch order equal to commit order. Objects are kept as their serialized bytes plus a
/// summary; a write parses the current version into a private tree that is dropped after the commit.
/// </summary>
internal sealed partial class ResourceStore
{
    private readonly Lock _gate = new();
    private readonly StoreLockMetrics _lockMetrics = new();
    private readonly Dictionary<string, SortedDictionary<string, StoredObject>> _buckets = new(StringComparer.Ordinal);
    private readonly EventLog _log;
    private readonly List<WatchSubscription> _watchers = [];
    private readonly ResourceRegistry _registry;
    private readonly TimeProvider _time;
    private readonly StoreOptions _options;
    private long _resourceVersion;
    private long _compactedThrough;
    private long _ownershipVersion;

    public ResourceStore(ResourceRegistry registry, TimeProvider time, StoreOptions options)
    {
        _registry = registry;
        _time = time;
        _options = options;
        _log = new EventLog(Math.Max(1, options.WatchWindow));
    }

    public IAdmission? Admission { get; set; }
    public IStateLog? StateLog { get; set; }

    /// <summary>Raised after every commit, outside the lock; controllers use it as a wake-up signal.</summary>
    public event Action<string>? Committed;

    /// <summary>Raised after a delete request or a removal, outside the lock; wakes the garbage collector.</summary>
    public event Action<string>? Deleting;

    public ResourceRegistry Registry => _registry;

    /// <summary>
    /// The version of the last commit the garbage collector has to look at: a removal, an object with owner
    /// references or a deletionTimestamp (before or after), or a namespace, service account or CRD change.
    /// Writes of plain objects (a pod's status, a node's Lease) leave it alone, so a quiet collector stays quiet.
    /// </summary>
    public long OwnershipVersion => Volatile.Read(ref _ownershipVersion);

    public long CurrentResourceVersion
    {
        get { using (Enter(StoreOp.Read)) { return _resourceVersion; } }
    }

    /// <summary>Lock wait and hold histograms per operation, for <c>/metrics</c>.</summary>
    public IReadOnlyList<StoreLockSample> LockMetrics()
    {
        lock (_gate)
        {
            return _lockMetrics.Sample();
        }
    }

    /// <summary>Takes the store lock and measures the wait and, on dispose, the hold time.</summary>
    private Held Enter(StoreOp op)
    {
        var asked = Stopwatch.GetTimestamp();
        _gate.Enter();
        return new Held(this, op, asked, Stopwatch.GetTimestamp());
    }

    private readonly ref struct Held(ResourceStore store, StoreOp op, long asked, long acquired)
    {
        public void Dispose()
        {
            store._lockMetrics.Record(op, acquired - asked, Stopwatch.GetTimestamp() - acquired);
            store._gate.Exit();
        }
    }

    public static string KeyOf(string? ns, string name) => (ns ?? "") + "/" + name;

    public StoredObject? Get(ResourceType t, string? ns, string name)
    {
        using (Enter(StoreOp.Read))
        {
            return Bucket(t.StorageKey).GetValueOrDefault(KeyOf(ns, name));
        }
    }

    public StoredObject GetRequired(ResourceType t, string? ns, string name) =>
        Get(t, ns, name) ?? throw ApiException.NotFound(t, name);

    /// <summary>Every stored object of a bucket.</summary>
    public IReadOnlyList<StoredObject> Snapshot(string storageKey)
    {
        using (Enter(StoreOp.Snapshot))
        {
            return [.. Bucket(storageKey).Values];
        }
    }

    public IReadOnlyList<string> StorageKeys()
    {
        using (Enter(StoreOp.Read))
        {
            return [.. _buckets.Keys];
        }
    }

    public ListResult List(ResourceType t, string? ns, Selector labels, Selector fields, int limit, string? continueToken,
        string? resourceVersion = null, string? resourceVersionMatch = null)
    {
        using (Enter(StoreOp.List))
        {
            CheckListVersion(resourceVersion, resourceVersionMatch);
            var start = continueToken is null ? null : ContinueToken.Parse(continueToken);
            var items = new List<StoredObject>();
            long remaining = 0;
            string? lastKey = null;
            foreach (var (key, obj) in Bucket(t.StorageKey))
            {
                if ((ns is not null && !key.StartsWith(ns + "/", StringComparison.Ordinal)) ||
                    (start is not null && string.CompareOrdinal(key, start) <= 0) ||
                    !labels.Matches(obj) || !fields.Matches(obj))
                {
                    continue;
                }
                if (limit > 0 && items.Count >= limit)
                {
                    remaining++;
                    continue;
                }
                items.Add(obj);
                lastKey = key;
            }
            var next = remaining > 0 ? ContinueToken.Build(_resourceVersion, lastKey!) : null;
            return new ListResult(items, _resourceVersion, next, remaining > 0 ? remaining : null);
        }
    }

    private void CheckListVersion(string? resourceVersion, string? match)
    {
        if (!string.IsNullOrEmpty(match) && string.IsNullOrEmpty(resourceVersion))
        {
            throw ApiException.BadRequest("resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided");
        }
        if (string.IsNullOrEmpty(resourceVersion))
        {
            return;
        }
        if (!long.TryParse(resourceVersion, out var rv) || rv < 0)
        {
            throw ApiException.BadRequest($"resourceVersion: Invalid value: \"{resourceVersion}\": must be a non-negative integer");
        }
        if (match == "Exact" && rv != _resourceVersion)
        {
            // History is not kept beyond the current state, as after an etcd compaction.
            throw ApiException.Gone($"too old resource version: {rv} ({_resourceVersion})");
        }
        if (match is not (null or "" or "Exact" or "NotOlderThan"))
        {
            throw ApiException.BadRequest($"resourceVersionMatch: Unsupported value: \"{match}\": supported values: \"Exact\", \"NotOlderThan\"");
        }
    }

    private SortedDictionary<string, StoredObject> Bucket(string storageKey)
    {
        if (!_buckets.TryGetValue(storageKey, out var bucket))
        {
            bucket = new SortedDictionary<string, StoredObject>(StringComparer.Ordinal);
            _buckets[storageKey] = bucket;
        }
        return bucket;
    }

    /// <summary>
    /// Stamps the next resourceVersion, stores (or removes) the object, logs and dispatches the event. The
    /// object is serialized once, with its new version, for the store, the log, every watcher and the size
    /// check of a create or update (which throws before anything is committed). What is kept is the bytes and
    /// a summary (<see cref="StoredObject"/>); <paramref name="obj"/> is the caller's and dies with the request.
    /// </summary>
    /// <summary>Commits an object worked out under the lock (the deletion paths); the hot writes bring a draft made before.</summary>
    private StoredObject Commit(ResourceType t, string? ns, string name, JsonObject obj, string type, StoredObject? old) =>
        Commit(t, ns, name, ObjectDraft.Of(obj, old, _resourceVersion + 1), type, old);

    /// <summary>
    /// Makes <paramref name="draft"/> the current version (under the lock): the next resourceVersion, the bucket, the
    /// persisted state, the event log and the watchers.
    /// </summary>
    private StoredObject Commit(ResourceType t, string? ns, string name, ObjectDraft draft, string type, StoredObject? old)
    {
        var rv = _resourceVersion + 1;
        var stored = draft.Commit(rv);
        Volatile.Write(ref _resourceVersion, rv);
        var key = stored.Name == name && stored.Namespace == ns ? draft.Summary.Key : KeyOf(ns, name);
        if (type == "DELETED")
        {
            Bucket(t.StorageKey).Remove(key);
        }
        else
        {
            Bucket(t.StorageKey)[key] = stored;
        }
        StateLog?.Append(t.StorageKey, key, rv, type == "DELETED" ? default(ReadOnlyMemory<byte>?) : stored.Bytes);
        if (type == "DELETED" || stored.MattersToOwnership || old?.MattersToOwnership == true ||
            t.StorageKey is "/namespaces" or "/serviceaccounts" || t.StorageKey == _registry.Crds.StorageKey)
        {
            Volatile.Write(ref _ownershipVersion, rv);
        }
        var ev = new StoreEvent(rv, type, t.StorageKey, ns, key, old, stored);
        if (_log.Append(ev, out var evicted))
        {
            _compactedThrough = evicted.ResourceVersion;
        }
        Dispatch(ev);
        if (t.StorageKey == _registry.Crds.StorageKey)
        {
            _registry.ApplyCrd(name, type == "DELETED" ? null : stored.Parse());
        }
        return stored;
    }

    /// <summary>
    /// A draft of <paramref name="obj"/> for a commit after the current version, made outside the lock; fails as too
    /// large before anything is locked.
    /// </summary>
    private ObjectDraft Draft(ResourceType t, JsonObject obj, StoredObject? previous)
    {
        var draft = ObjectDraft.Of(obj, previous, Volatile.Read(ref _resourceVersion) + 1);
        if (draft.Length > _options.MaxObjectBytes)
        {
            throw TooLarge(t, obj, draft.Length);
        }
        return draft;
    }

    /// <summary>Loads persisted state at start-up, before any request is served.</summary>
    public void Restore(IEnumerable<(string StorageKey, string Key, byte[] Bytes)> objects, long resourceVersion)
    {
        using (Enter(StoreOp.Restore))
        {
            foreach (var (storageKey, key, bytes) in objects)
            {
                var node = JsonNode.Parse(bytes)!.AsObject();
                var rv = long.Parse(Meta.ResourceVersion(node) ?? "0", System.Globalization.CultureInfo.InvariantCulture);
                Bucket(storageKey)[key] = StoredObject.From(node, bytes, rv);
                if (storageKey == _registry.Crds.StorageKey)
                {
                    _registry.ApplyCrd(Meta.Name(node), node);
                }
            }
            _resourceVersion = resourceVersion;
            _compactedThrough = resourceVersion;
        }
    }

    private void RaiseCommitted(string storageKey) => Committed?.Invoke(storageKey);

    private void RaiseDeleting(string storageKey) => Deleting?.Invoke(storageKey);

    private string Now() => Meta.Timestamp(_time.GetUtcNow());

    /// <summary>Opaque list continuation: the version and the last key returned, base64 JSON like the API server's.</summary>
    private static class ContinueToken
    {
        public static string Build(long rv, string lastKey) =>
            Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = rv, ["start"] = lastKey }.ToJsonString()));

        public static string Parse(string token)
        {
            try
            {
                var node = JsonNode.Parse(Convert.FromBase64String(token));
                return (string?)node?["start"] ?? throw new FormatException();
            }
            catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
            {
                throw ApiException.BadRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
            }
        }
    }
}
