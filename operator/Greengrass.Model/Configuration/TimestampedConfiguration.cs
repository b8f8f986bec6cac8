using System.Text.Json.Nodes;

namespace Greengrass.Model.Configuration;

/// <summary>What <see cref="TimestampedConfiguration.Reset"/> did.</summary>
public enum ResetOutcome
{
    /// <summary>The pointer was <c>""</c>: everything was removed.</summary>
    Cleared,

    /// <summary>The node at the pointer was removed.</summary>
    Removed,

    /// <summary>Nothing exists at the pointer; nothing changed.</summary>
    NotFound,

    /// <summary>The pointer has a segment that reads as an array index; resetting array elements is not supported, nothing changed.</summary>
    SkippedArrayElement,
}

/// <summary>A value found in a <see cref="TimestampedConfiguration"/>.</summary>
/// <param name="Value">The value (a copy); null for a JSON null.</param>
/// <param name="Timestamp">For a leaf, when it was written; for an object, the newest timestamp inside it.</param>
public sealed record ConfigurationEntry(JsonNode? Value, long Timestamp);

/// <summary>
/// The nucleus configuration tree (GREENGRASS.md §8.3) as pure data: every leaf carries the timestamp (epoch ms) of its
/// last write, and a write only lands when its timestamp is at least the stored one, so an older deployment cannot
/// overwrite what a newer one wrote. Recipe defaults are merged with timestamp 1 and therefore only fill gaps (or refresh
/// values that are themselves still defaults). Keys are matched case-insensitively and keep the case first written.
/// </summary>
/// <remarks>
/// Leaves hold any JSON value other than an object, arrays included: an array is replaced wholesale, never appended to.
/// Merging an object over a leaf, or a leaf over an object, changes the node's type when the write's timestamp is at
/// least the newest timestamp of what it replaces.
/// </remarks>
public sealed class TimestampedConfiguration
{
    /// <summary>The timestamp recipe defaults are merged with.</summary>
    public const long DefaultsTimestamp = 1;

    private readonly ConfigurationContainer _root;

    /// <summary>Creates an empty configuration.</summary>
    public TimestampedConfiguration() => _root = new ConfigurationContainer(string.Empty, 0);

    private TimestampedConfiguration(ConfigurationContainer root) => _root = root;

    /// <summary>Creates a configuration holding <paramref name="values"/>, every leaf stamped with <paramref name="timestamp"/>.</summary>
    /// <param name="values">The initial values; null for none.</param>
    /// <param name="timestamp">The timestamp of every initial leaf.</param>
    /// <returns>The configuration.</returns>
    public static TimestampedConfiguration FromJson(JsonObject? values, long timestamp)
    {
        var configuration = new TimestampedConfiguration();
        if (values is not null)
        {
            configuration.Merge(values, timestamp);
        }

        return configuration;
    }

    /// <summary>Merges values: objects recursively, every other value (arrays, null) replaces the leaf; older writes are ignored.</summary>
    /// <param name="values">The values to merge.</param>
    /// <param name="timestamp">The write's timestamp; a leaf changes only if this is at least its stored timestamp.</param>
    /// <returns>True when at least one value changed.</returns>
    public bool Merge(JsonObject values, long timestamp)
    {
        ArgumentNullException.ThrowIfNull(values);
        return ConfigurationMergeRules.MergeInto(_root, values, timestamp);
    }

    /// <summary>Merges recipe defaults with <see cref="DefaultsTimestamp"/>, so they only fill keys nothing newer wrote.</summary>
    /// <param name="defaults">The recipe's <c>DefaultConfiguration</c>.</param>
    /// <returns>True when at least one value changed.</returns>
    public bool MergeDefaults(JsonObject defaults) => Merge(defaults, DefaultsTimestamp);

    /// <summary>Removes what a pointer designates, whatever its timestamp (the deployment <c>reset</c> operation).</summary>
    /// <param name="pointer">The pointer; <c>""</c> removes everything.</param>
    /// <returns>What happened.</returns>
    public ResetOutcome Reset(JsonPointer pointer)
    {
        ArgumentNullException.ThrowIfNull(pointer);
        if (pointer.IsWholeDocument)
        {
            _root.Clear();
            return ResetOutcome.Cleared;
        }

        // As in the Java nucleus, any segment that reads as an index marks an array element, which reset does not support.
        if (pointer.Segments.Any(JsonPointer.IsArrayIndex))
        {
            return ResetOutcome.SkippedArrayElement;
        }

        var parent = FindContainer(pointer.Segments.Take(pointer.Segments.Count - 1));
        return parent is not null && parent.Remove(pointer.Segments[^1]) ? ResetOutcome.Removed : ResetOutcome.NotFound;
    }

    /// <summary>Looks a value up by key path (keys matched case-insensitively).</summary>
    /// <param name="path">The keys from the root; none for the whole configuration.</param>
    /// <returns>The value and its timestamp, or null when nothing is there.</returns>
    public ConfigurationEntry? Lookup(params string[] path)
    {
        ArgumentNullException.ThrowIfNull(path);
        ConfigurationNode node = _root;
        foreach (var key in path)
        {
            if (node is not ConfigurationContainer container || container.Find(key) is not { } child)
            {
                return null;
            }

            node = child;
        }

        return new ConfigurationEntry(node.ToJson(), node.Newest());
    }

    /// <summary>Looks a value up by JSON pointer (keys matched case-insensitively; leaves are not descended into).</summary>
    /// <param name="pointer">The pointer.</param>
    /// <returns>The value and its timestamp, or null when nothing is there.</returns>
    public ConfigurationEntry? Lookup(JsonPointer pointer)
    {
        ArgumentNullException.ThrowIfNull(pointer);
        return Lookup([.. pointer.Segments]);
    }

    /// <summary>The values without timestamps.</summary>
    /// <returns>A new JSON object.</returns>
    public JsonObject ToJson() => (JsonObject)_root.ToJson();

    /// <summary>An independent copy.</summary>
    /// <returns>The copy.</returns>
    public TimestampedConfiguration Clone() => new((ConfigurationContainer)_root.Clone());

    private ConfigurationContainer? FindContainer(IEnumerable<string> path)
    {
        var node = _root;
        foreach (var key in path)
        {
            if (node.Find(key) is not ConfigurationContainer child)
            {
                return null;
            }

            node = child;
        }

        return node;
    }
}
