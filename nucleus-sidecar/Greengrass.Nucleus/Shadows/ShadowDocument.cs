using System.Text.Json.Nodes;

namespace Greengrass.Nucleus.Shadows;

/// <summary>
/// One stored shadow: the desired and reported state with their metadata (a timestamp per leaf), the version
/// and the time of the last change. A deleted shadow stays as a tombstone so its version keeps counting,
/// as the AWS IoT shadow service does: a shadow created again after a delete continues from the old version.
/// </summary>
internal sealed class ShadowDocument
{
    public JsonObject? Desired { get; set; }

    public JsonObject? Reported { get; set; }

    public JsonObject? DesiredMetadata { get; set; }

    public JsonObject? ReportedMetadata { get; set; }

    /// <summary>0 for a shadow never written; every accepted update adds one.</summary>
    public long Version { get; set; }

    /// <summary>Epoch seconds of the last accepted update or delete.</summary>
    public long Timestamp { get; set; }

    public bool Deleted { get; set; }

    /// <summary>True when a get would find the shadow.</summary>
    public bool Exists => Version > 0 && !Deleted;

    public ShadowDocument Clone() => new()
    {
        Desired = Copy(Desired),
        Reported = Copy(Reported),
        DesiredMetadata = Copy(DesiredMetadata),
        ReportedMetadata = Copy(ReportedMetadata),
        Version = Version,
        Timestamp = Timestamp,
        Deleted = Deleted,
    };

    /// <summary><c>{"desired", "reported"[, "delta"]}</c>, each only when present.</summary>
    public JsonObject StateNode(bool withDelta)
    {
        var state = new JsonObject();
        Add(state, "desired", Desired);
        Add(state, "reported", Reported);
        if (withDelta)
        {
            Add(state, "delta", ShadowRules.Delta(Desired, Reported));
        }

        return state;
    }

    public JsonObject MetadataNode()
    {
        var metadata = new JsonObject();
        Add(metadata, "desired", DesiredMetadata);
        Add(metadata, "reported", ReportedMetadata);
        return metadata;
    }

    /// <summary>The document as the service shows it: state (with delta), metadata, version, timestamp.</summary>
    public JsonObject ToResponse(long now) => new()
    {
        ["state"] = StateNode(withDelta: true),
        ["metadata"] = MetadataNode(),
        ["version"] = Version,
        ["timestamp"] = now,
    };

    /// <summary>The form kept on disk.</summary>
    public JsonObject ToStored() => new()
    {
        ["version"] = Version,
        ["timestamp"] = Timestamp,
        ["deleted"] = Deleted,
        ["state"] = StateNode(withDelta: false),
        ["metadata"] = MetadataNode(),
    };

    /// <summary>Reads <see cref="ToStored"/>; throws <see cref="FormatException"/> naming the field that is wrong.</summary>
    public static ShadowDocument FromStored(JsonNode? node)
    {
        if (node is not JsonObject root)
        {
            throw new FormatException("shadow file: must be a JSON object");
        }

        try
        {
            return new ShadowDocument
            {
                Version = root["version"]?.GetValue<long>() ?? throw new FormatException("shadow file: version is missing"),
                Timestamp = root["timestamp"]?.GetValue<long>() ?? 0,
                Deleted = root["deleted"]?.GetValue<bool>() ?? false,
                Desired = Object(root, "state", "desired"),
                Reported = Object(root, "state", "reported"),
                DesiredMetadata = Object(root, "metadata", "desired"),
                ReportedMetadata = Object(root, "metadata", "reported"),
            };
        }
        catch (InvalidOperationException ex)
        {
            throw new FormatException($"shadow file: a field has the wrong JSON kind: {ex.Message}", ex);
        }
    }

    private static JsonObject? Object(JsonObject root, string section, string name) => root[section]?[name] switch
    {
        null => null,
        JsonObject value => Copy(value),
        _ => throw new FormatException($"shadow file: {section}.{name} must be an object"),
    };

    private static void Add(JsonObject target, string name, JsonObject? value)
    {
        if (value is not null)
        {
            target[name] = Copy(value);
        }
    }

    private static JsonObject? Copy(JsonObject? value) => (JsonObject?)value?.DeepClone();
}
