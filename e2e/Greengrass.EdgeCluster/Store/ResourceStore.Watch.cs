using System.Globalization;
using Greengrass.EdgeCluster.Resources;

namespace Greengrass.EdgeCluster.Store;

internal sealed partial class ResourceStore
{
    /// <summary>
    /// Starts a watch. With no resourceVersion (or "0") the current objects come first as ADDED;
    /// with a version, the retained events after it are replayed; a version older than the
    /// retained window is 410 Gone.
    /// </summary>
    public WatchSubscription Watch(ResourceType t, string? ns, Selector labels, Selector fields, string? resourceVersion, bool? sendInitialEvents)
    {
        using (Enter(StoreOp.Watch))
        {
            var sub = new WatchSubscription(t.StorageKey, ns, labels, fields, Unsubscribe) { StartResourceVersion = _resourceVersion };
            var initial = sendInitialEvents ?? string.IsNullOrEmpty(resourceVersion) || resourceVersion == "0";
            if (!string.IsNullOrEmpty(resourceVersion) && resourceVersion != "0")
            {
                if (!long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var since))
                {
                    throw ApiException.BadRequest($"resourceVersion: Invalid value: \"{resourceVersion}\": must be a non-negative integer");
                }
                if (since < _compactedThrough)
                {
                    throw ApiException.Gone($"too old resource version: {since} ({_compactedThrough + 1})");
                }
                if (!initial)
                {
                    Replay(sub, since);
                }
            }
            if (initial)
            {
                foreach (var (key, obj) in Bucket(t.StorageKey))
                {
                    if ((ns is null || key.StartsWith(ns + "/", StringComparison.Ordinal)) && sub.Matches(obj))
                    {
                        sub.Channel.Writer.TryWrite(new WatchOut("ADDED", obj.Bytes, obj.ResourceVersion));
                    }
                }
            }
            _watchers.Add(sub);
            return sub;
        }
    }

    /// <summary>
    /// The bucket's objects and the version they are current at, taken atomically: the start of a mirror
    /// that then follows <see cref="ChangesSince"/>.
    /// </summary>
    public (IReadOnlyList<StoredObject> Items, long ResourceVersion) SnapshotAt(string storageKey)
    {
        using (Enter(StoreOp.Snapshot))
        {
            return ([.. Bucket(storageKey).Values], _resourceVersion);
        }
    }

    /// <summary>
    /// The bucket's events after <paramref name="since"/>, oldest first, and the version they bring a reader to;
    /// null when the event log no longer reaches back that far (the reader takes a new snapshot, as a watch
    /// client relists on 410). Reads the log from its newest end, so the cost is the number of new events.
    /// </summary>
    public (IReadOnlyList<StoreEvent> Events, long ResourceVersion)? ChangesSince(string storageKey, long since)
    {
        using (Enter(StoreOp.Read))
        {
            if (since < _compactedThrough)
            {
                return null;
            }
            var first = _log.Count;
            var count = 0;
            while (first > 0 && _log[first - 1].ResourceVersion > since)
            {
                first--;
                count += _log[first].StorageKey == storageKey ? 1 : 0;
            }
            var events = new StoreEvent[count]; // sized first: the events are structs of seven fields
            for (int i = first, n = 0; n < count; i++)
            {
                if (_log[i].StorageKey == storageKey)
                {
                    events[n++] = _log[i];
                }
            }
            return (events, _resourceVersion);
        }
    }

    private void Replay(WatchSubscription sub, long since)
    {
        for (var i = 0; i < _log.Count; i++)
        {
            if (_log[i].ResourceVersion > since)
            {
                Deliver(sub, _log[i]);
            }
        }
    }

    private void Unsubscribe(WatchSubscription sub)
    {
        using (Enter(StoreOp.Watch))
        {
            _watchers.Remove(sub);
        }
    }

    private void Dispatch(in StoreEvent ev)
    {
        foreach (var sub in _watchers)
        {
            Deliver(sub, ev);
        }
    }

    /// <summary>Translates a store event for one watcher: objects entering or leaving its selector become ADDED/DELETED.</summary>
    private static void Deliver(WatchSubscription sub, in StoreEvent ev)
    {
        if (sub.StorageKey != ev.StorageKey || (sub.Namespace is not null && sub.Namespace != ev.Namespace))
        {
            return;
        }
        var matchesNew = sub.Matches(ev.New);
        var matchesOld = ev.Old is not null && sub.Matches(ev.Old);
        var type = ev.Type switch
        {
            "ADDED" => matchesNew ? "ADDED" : null,
            "DELETED" => matchesNew || matchesOld ? "DELETED" : null,
            _ => (matchesOld, matchesNew) switch
            {
                (true, true) => "MODIFIED",
                (false, true) => "ADDED",
                (true, false) => "DELETED",
                _ => null,
            },
        };
        if (type is not null)
        {
            sub.Channel.Writer.TryWrite(new WatchOut(type, ev.Bytes, ev.ResourceVersion));
        }
    }
}
