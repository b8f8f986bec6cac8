using System.Text.Json.Nodes;

namespace Greengrass.Model.Configuration;

/// <summary>The MERGE write of the nucleus config store: recursive for objects, timestamp-guarded for everything else.</summary>
internal static class ConfigurationMergeRules
{
    public static bool MergeInto(ConfigurationContainer target, JsonObject values, long timestamp)
    {
        var changed = false;
        foreach (var (key, value) in values)
        {
            changed |= value is JsonObject obj
                ? MergeObject(target, key, obj, timestamp)
                : MergeLeaf(target, key, value, timestamp);
        }

        return changed;
    }

    private static bool MergeObject(ConfigurationContainer target, string key, JsonObject value, long timestamp)
    {
        switch (target.Find(key))
        {
            case ConfigurationContainer existing:
                return MergeInto(existing, value, timestamp);
            case ConfigurationLeaf leaf when timestamp < leaf.Timestamp:
                return false;
            default:
                var container = new ConfigurationContainer(key, timestamp);
                target.Remove(key);
                target.Set(container);
                MergeInto(container, value, timestamp);
                return true;
        }
    }

    private static bool MergeLeaf(ConfigurationContainer target, string key, JsonNode? value, long timestamp)
    {
        switch (target.Find(key))
        {
            case ConfigurationLeaf leaf:
                if (timestamp < leaf.Timestamp)
                {
                    return false;
                }

                // An equal value is not a change, but the newer write still owns the leaf from now on.
                leaf.Timestamp = timestamp;
                if (JsonNode.DeepEquals(leaf.Value, value))
                {
                    return false;
                }

                leaf.Value = value?.DeepClone();
                return true;
            case ConfigurationContainer container when timestamp < container.Newest():
                return false;
            default:
                target.Remove(key);
                target.Set(new ConfigurationLeaf(key, timestamp, value?.DeepClone()));
                return true;
        }
    }
}
