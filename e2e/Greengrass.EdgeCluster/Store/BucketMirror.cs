namespace Greengrass.EdgeCluster.Store;

/// <summary>
/// A reader's own copy of one bucket, kept current from the store's event log the way an informer
/// follows a watch: a snapshot first, then only the changes, and a fresh snapshot when the log was
/// compacted past it. A controller that looks at every pod on every pass would copy the whole bucket
/// each time (20,000 pods: a large-object-heap array per pass); with a mirror a pass costs what changed.
/// Not thread-safe: one controller loop owns it.
/// </summary>
internal sealed class BucketMirror(ResourceStore store, string storageKey)
{
    private readonly Dictionary<string, StoredObject> _items = new(StringComparer.Ordinal);
    private long _version = -1;

    public IReadOnlyDictionary<string, StoredObject> Items => _items;

    /// <summary>Brings the copy up to date and returns the keys that were added, changed or removed.</summary>
    public IReadOnlyCollection<string> Refresh()
    {
        var changes = _version < 0 ? null : store.ChangesSince(storageKey, _version);
        if (changes is not { } delta)
        {
            return Relist();
        }
        var changed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ev in delta.Events)
        {
            var key = ev.Key;
            changed.Add(key);
            if (ev.Type == "DELETED")
            {
                _items.Remove(key);
            }
            else
            {
                _items[key] = ev.New; // the store's own object, shared: its bytes and summary, no parsed copy
            }
        }
        _version = delta.ResourceVersion;
        return changed;
    }

    private HashSet<string> Relist()
    {
        var (items, version) = store.SnapshotAt(storageKey);
        var changed = new HashSet<string>(_items.Keys, StringComparer.Ordinal);
        _items.Clear();
        foreach (var item in items)
        {
            var key = ResourceStore.KeyOf(item.Namespace, item.Name);
            _items[key] = item;
            changed.Add(key);
        }
        _version = version;
        return changed;
    }
}
