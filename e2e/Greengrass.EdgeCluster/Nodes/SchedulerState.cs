using Greengrass.EdgeCluster.Store;

namespace Greengrass.EdgeCluster.Nodes;

/// <summary>
/// What the scheduler knows between passes, kept current from the changes only: mirrors of pods and
/// nodes, the pending pods, each node's pod count and the schedulable nodes ordered by that count.
/// A pass used to rebuild all of it from full copies of 20,000 pods and 5,000 nodes.
/// </summary>
internal sealed class SchedulerState(ResourceStore store)
{
    private readonly Dictionary<string, string> _boundTo = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _load = new(StringComparer.Ordinal);

    public BucketMirror Pods { get; } = new(store, "/pods");
    public BucketMirror NodeMirror { get; } = new(store, "/nodes");

    /// <summary>Pods with no node and no deletionTimestamp, in key order (the order passes bind them in).</summary>
    public SortedSet<string> Pending { get; } = new(StringComparer.Ordinal);

    /// <summary>Schedulable nodes by name.</summary>
    public Dictionary<string, System.Text.Json.Nodes.JsonObject> Nodes { get; } = new(StringComparer.Ordinal);

    /// <summary>Schedulable nodes, fewest pods first.</summary>
    public SortedSet<(int Load, string Name)> ByLoad { get; } = [];

    public void Refresh()
    {
        foreach (var key in Pods.Refresh())
        {
            var pod = Pods.Items.GetValueOrDefault(key)?.Node;
            var node = pod is null ? null : Meta.Str(pod["spec"]?["nodeName"]);
            SetBinding(key, node);
            if (pod is not null && node is null && !Meta.IsDeleting(pod))
            {
                Pending.Add(key);
            }
            else
            {
                Pending.Remove(key);
            }
        }
        if (NodeMirror.Refresh().Count > 0)
        {
            RebuildNodes();
        }
    }

    /// <summary>A bind this scheduler just wrote: counted now, so the rest of the pass spreads the pods.</summary>
    public void Bound(string podKey, string node)
    {
        SetBinding(podKey, node);
        Pending.Remove(podKey);
    }

    private void SetBinding(string podKey, string? node)
    {
        var old = _boundTo.GetValueOrDefault(podKey);
        if (old == node)
        {
            return;
        }
        if (old is not null)
        {
            AddLoad(old, -1);
            _boundTo.Remove(podKey);
        }
        if (node is not null)
        {
            AddLoad(node, 1);
            _boundTo[podKey] = node;
        }
    }

    private void AddLoad(string node, int delta)
    {
        var before = _load.GetValueOrDefault(node);
        _load[node] = before + delta;
        if (Nodes.ContainsKey(node))
        {
            ByLoad.Remove((before, node));
            ByLoad.Add((before + delta, node));
        }
    }

    private void RebuildNodes()
    {
        Nodes.Clear();
        ByLoad.Clear();
        foreach (var stored in NodeMirror.Items.Values)
        {
            if (Scheduler.IsSchedulable(stored.Node))
            {
                var name = Meta.Name(stored.Node);
                Nodes[name] = stored.Node;
                ByLoad.Add((_load.GetValueOrDefault(name), name));
            }
        }
    }
}
