using Greengrass.EdgeCluster.Store;

namespace Greengrass.EdgeCluster.Nodes;

/// <summary>
/// What the scheduler knows between passes, kept current from the changes only: mirrors of pods and
/// nodes, the pending pods, each node's pod count and the schedulable nodes ordered by that count.
/// A pass used to rebuild all of it from full copies of 20,000 pods and 5,000 nodes. Pods are followed
/// through their stored summaries (node name, deletion) without parsing; a node is parsed once per change
/// into the few fields placement reads.
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
    public Dictionary<string, NodeView> Nodes { get; } = new(StringComparer.Ordinal);

    /// <summary>Schedulable nodes, fewest pods first.</summary>
    public SortedSet<(int Load, string Name)> ByLoad { get; } = [];

    public void Refresh()
    {
        foreach (var key in Pods.Refresh())
        {
            var pod = Pods.Items.GetValueOrDefault(key);
            var node = pod?.Field("spec.nodeName");
            SetBinding(key, node);
            if (pod is not null && node is null && !pod.IsDeleting)
            {
                Pending.Add(key);
            }
            else
            {
                Pending.Remove(key);
            }
        }
        foreach (var key in NodeMirror.Refresh())
        {
            UpdateNode(key);
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

    /// <summary>Takes in one node that was added, changed or removed.</summary>
    private void UpdateNode(string key)
    {
        var stored = NodeMirror.Items.GetValueOrDefault(key);
        var name = stored?.Name ?? key[1..]; // nodes are cluster-scoped: the key is "/" + name
        if (Nodes.Remove(name))
        {
            ByLoad.Remove((_load.GetValueOrDefault(name), name));
        }
        if (stored is not null && NodeView.FromSchedulable(stored.Parse()) is { } view)
        {
            Nodes[name] = view;
            ByLoad.Add((_load.GetValueOrDefault(name), name));
        }
    }
}
