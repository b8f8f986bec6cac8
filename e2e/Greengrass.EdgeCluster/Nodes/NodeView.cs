using System.Text.Json.Nodes;
using Greengrass.EdgeCluster.Store;

namespace Greengrass.EdgeCluster.Nodes;

/// <summary>One taint of a node, as the scheduler compares it with a pod's tolerations.</summary>
internal sealed record Taint(string? Key, string? Value, string? Effect);

/// <summary>
/// What the scheduler reads of a schedulable node: its name, labels and taints. Built once per node version, so a
/// scheduling pass neither parses nodes nor keeps their whole trees.
/// </summary>
internal sealed record NodeView(string Name, IReadOnlyDictionary<string, string> Labels, IReadOnlyList<Taint> Taints)
{
    /// <summary>The view of <paramref name="node"/>, or null when pods cannot be scheduled to it (cordoned or not Ready).</summary>
    public static NodeView? FromSchedulable(JsonObject node)
    {
        if (!Scheduler.IsSchedulable(node))
        {
            return null;
        }
        var taints = (node["spec"]?["taints"]?.AsArray() ?? [])
            .Select(t => new Taint(Meta.Str(t?["key"]), Meta.Str(t?["value"]), Meta.Str(t?["effect"])))
            .ToArray();
        return new NodeView(Meta.Name(node), Meta.Labels(node), taints);
    }
}
