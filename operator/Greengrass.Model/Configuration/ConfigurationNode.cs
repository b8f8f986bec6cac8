using System.Text.Json.Nodes;

namespace Greengrass.Model.Configuration;

/// <summary>A node of the timestamped tree: a leaf (any JSON value except an object) or a container of named children.</summary>
internal abstract class ConfigurationNode(string name, long timestamp)
{
    public string Name { get; set; } = name;

    /// <summary>For a leaf, when its value was last written; for a container, when it was created.</summary>
    public long Timestamp { get; set; } = timestamp;

    /// <summary>The newest timestamp in this subtree: what a write must match or beat to replace the whole subtree.</summary>
    public abstract long Newest();

    public abstract JsonNode? ToJson();

    public abstract ConfigurationNode Clone();
}

internal sealed class ConfigurationLeaf(string name, long timestamp, JsonNode? value) : ConfigurationNode(name, timestamp)
{
    public JsonNode? Value { get; set; } = value;

    public override long Newest() => Timestamp;

    public override JsonNode? ToJson() => Value?.DeepClone();

    public override ConfigurationNode Clone() => new ConfigurationLeaf(Name, Timestamp, Value?.DeepClone());
}

/// <summary>Children keep the case they were first written with, and are found case-insensitively (as the nucleus config store does).</summary>
internal sealed class ConfigurationContainer(string name, long timestamp) : ConfigurationNode(name, timestamp)
{
    private readonly List<ConfigurationNode> _children = [];
    private readonly Dictionary<string, ConfigurationNode> _byName = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<ConfigurationNode> Children => _children;

    public ConfigurationNode? Find(string name) => _byName.GetValueOrDefault(name);

    public void Set(ConfigurationNode child)
    {
        if (_byName.TryGetValue(child.Name, out var existing))
        {
            _children[_children.IndexOf(existing)] = child;
        }
        else
        {
            _children.Add(child);
        }

        _byName[child.Name] = child;
    }

    public bool Remove(string name)
    {
        if (!_byName.Remove(name, out var existing))
        {
            return false;
        }

        _children.Remove(existing);
        return true;
    }

    public void Clear()
    {
        _children.Clear();
        _byName.Clear();
    }

    public override long Newest() => _children.Count == 0 ? Timestamp : Math.Max(Timestamp, _children.Max(c => c.Newest()));

    public override JsonNode ToJson()
    {
        var json = new JsonObject();
        foreach (var child in _children)
        {
            json[child.Name] = child.ToJson();
        }

        return json;
    }

    public override ConfigurationNode Clone()
    {
        var copy = new ConfigurationContainer(Name, Timestamp);
        foreach (var child in _children)
        {
            copy.Set(child.Clone());
        }

        return copy;
    }
}
