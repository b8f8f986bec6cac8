using System.Text.Json.Nodes;

namespace Greengrass.Nucleus.Storage;

/// <summary>
/// One node of the configuration tree: an interior node (children, names case-insensitive but stored with
/// their original case) or a leaf (a value and the epoch-millisecond time it was last changed).
/// </summary>
internal sealed class ConfigNode
{
    private ConfigNode(string name, bool isLeaf)
    {
        Name = name;
        IsLeaf = isLeaf;
    }

    public string Name { get; }

    public bool IsLeaf { get; }

    public JsonNode? Value { get; private set; }

    public long ModifiedAt { get; private set; }

    public Dictionary<string, ConfigNode> Children { get; } = new(StringComparer.OrdinalIgnoreCase);

    public static ConfigNode Interior(string name) => new(name, isLeaf: false);

    public static ConfigNode Leaf(string name, JsonNode? value, long modifiedAt) =>
        new(name, isLeaf: true) { Value = value?.DeepClone(), ModifiedAt = modifiedAt };

    /// <summary>Applies a proposed value when it is not older than the current one; equal values are no-ops.</summary>
    public bool TrySet(JsonNode? value, long timestamp)
    {
        if (timestamp < ModifiedAt)
        {
            return false;
        }

        if (JsonNode.DeepEquals(Value, value))
        {
            ModifiedAt = timestamp;
            return false;
        }

        Value = value?.DeepClone();
        ModifiedAt = timestamp;
        return true;
    }

    /// <summary>The newest modification time of this node or anything below it.</summary>
    public long NewestModification() =>
        IsLeaf ? ModifiedAt : Children.Values.Select(c => c.NewestModification()).DefaultIfEmpty(0).Max();

    public JsonNode? ToJson()
    {
        if (IsLeaf)
        {
            return Value?.DeepClone();
        }

        var obj = new JsonObject();
        foreach (var child in Children.Values)
        {
            obj[child.Name] = child.ToJson();
        }

        return obj;
    }

    /// <summary>Every leaf below this node with its full path.</summary>
    public IEnumerable<(IReadOnlyList<string> Path, ConfigNode Leaf)> Leaves(IReadOnlyList<string> prefix)
    {
        if (IsLeaf)
        {
            yield return (prefix, this);
            yield break;
        }

        foreach (var child in Children.Values)
        {
            foreach (var leaf in child.Leaves([.. prefix, child.Name]))
            {
                yield return leaf;
            }
        }
    }
}
