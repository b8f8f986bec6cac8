using System.Globalization;
using System.Text.Json.Nodes;

namespace Greengrass.EdgeCluster.Store;

/// <summary>
/// A committed object: its serialized bytes, the values of the indexed fields that field selectors use, and an
/// <see cref="ObjectSummary"/> of the rest the store and its controllers read without parsing (name, namespace, uid,
/// apiVersion, labels, and what the garbage collector looks at), usually shared with the version before. No parsed
/// tree is kept: at 30,000 live objects the trees were millions of small long-lived objects that every collection
/// had to promote and then scan. A new version adds its bytes (off the young generations, see <see cref="ObjectDraft"/>)
/// and this one small object. A reader that needs more asks for <see cref="Parse"/>, a private copy.
/// Immutable, so it is safe to share between threads.
/// </summary>
internal sealed class StoredObject
{
    /// <summary>Field paths kept beside the bytes; a field selector on any other path parses the object.</summary>
    public static readonly IReadOnlyList<string> IndexedFields = [NodeNamePath, PhasePath];

    private const string NodeNamePath = "spec.nodeName";
    private const string PhasePath = "status.phase";

    /// <summary>The pod phases, so a phase read from a new version is one of these instances rather than a new string.</summary>
    private static readonly string[] KnownPhases = ["Pending", "Running", "Succeeded", "Failed", "Unknown", "Active", "Terminating"];

    private readonly ObjectSummary _summary;
    private readonly string? _nodeName;
    private readonly string? _phase;

    internal StoredObject(ObjectSummary summary, IndexedValues indexed, ReadOnlyMemory<byte> bytes, long resourceVersion)
    {
        _summary = summary;
        _nodeName = indexed.NodeName;
        _phase = indexed.Phase;
        Bytes = bytes;
        ResourceVersion = resourceVersion;
    }

    /// <summary>
    /// Summarizes <paramref name="obj"/>, which the caller then drops: the stored object does not keep it. Values equal
    /// to those of <paramref name="previous"/> (the version it replaces) are taken from there: those are old already,
    /// so a new version adds its bytes and little else for the garbage collector to promote.
    /// </summary>
    public static StoredObject From(JsonObject obj, byte[] bytes, long resourceVersion, StoredObject? previous = null) =>
        new(ObjectSummary.Of(obj, previous?._summary), Indexed(obj, previous), bytes, resourceVersion);

    /// <summary>The values of the <see cref="IndexedFields"/> in <paramref name="obj"/>, shared with <paramref name="previous"/> where equal.</summary>
    internal static IndexedValues Indexed(JsonObject obj, StoredObject? previous)
    {
        var nodeName = Meta.FieldText(obj["spec"]?["nodeName"]);
        var phase = Meta.FieldText(obj["status"]?["phase"]);
        if (phase is not null && Array.IndexOf(KnownPhases, phase) is var known and >= 0)
        {
            phase = KnownPhases[known];
        }
        return new IndexedValues(nodeName == previous?._nodeName ? previous?._nodeName : nodeName, phase == previous?._phase ? previous?._phase : phase);
    }

    /// <summary>The summary, for a new version that may share it (<see cref="ObjectDraft"/>).</summary>
    internal ObjectSummary Summary => _summary;

    /// <summary>The object as the API serves it (UTF-8 JSON); never mutated.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    public long ResourceVersion { get; }

    /// <summary><see cref="ResourceVersion"/> as <c>metadata.resourceVersion</c> spells it.</summary>
    public string ResourceVersionText => ResourceVersion.ToString(CultureInfo.InvariantCulture);

    public string ApiVersion => _summary.ApiVersion;

    public string Name => _summary.Name;

    public string? Namespace => _summary.Namespace;

    public string? Uid => _summary.Uid;

    /// <summary>Whether <c>metadata.deletionTimestamp</c> is set.</summary>
    public bool IsDeleting => _summary.IsDeleting;

    public IReadOnlyList<string> Finalizers => _summary.Finalizers;

    public IReadOnlyList<OwnerReference> OwnerReferences => _summary.OwnerReferences;

    /// <summary>Labels in the order the object lists them.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Labels => _summary.Labels;

    /// <summary>Whether the garbage collector has to look again when this version comes or goes.</summary>
    public bool MattersToOwnership => IsDeleting || OwnerReferences.Count > 0;

    public bool TryGetLabel(string key, out string value)
    {
        foreach (var (k, v) in _summary.Labels)
        {
            if (k == key)
            {
                value = v;
                return true;
            }
        }
        value = "";
        return false;
    }

    /// <summary>
    /// The value a field selector compares for <paramref name="path"/>, as <see cref="Meta.Path"/> reads it (a missing
    /// field is ""), or null when the path is not in the summary and only a parse can tell.
    /// </summary>
    public string? IndexedField(string path) => path switch
    {
        "metadata.name" => Name,
        "metadata.namespace" => Namespace ?? "",
        NodeNamePath => _nodeName ?? "",
        PhasePath => _phase ?? "",
        _ => null,
    };

    /// <summary>The value of one of the <see cref="IndexedFields"/>, or null when the object does not have it.</summary>
    public string? Field(string path) => path switch
    {
        NodeNamePath => _nodeName,
        PhasePath => _phase,
        _ => throw new ArgumentException($"{path} is not an indexed field", nameof(path)),
    };

    /// <summary>A fresh parse of <see cref="Bytes"/>: the caller's own copy, free to change.</summary>
    public JsonObject Parse() => JsonNode.Parse(Bytes.Span)!.AsObject();
}

/// <summary>The values of a version's <see cref="StoredObject.IndexedFields"/>; null when absent.</summary>
internal readonly record struct IndexedValues(string? NodeName, string? Phase);

/// <summary>One entry of <c>metadata.ownerReferences</c>, as far as the garbage collector reads it.</summary>
internal sealed record OwnerReference(string Uid, string Kind, string Name);
