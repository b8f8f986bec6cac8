using System.Globalization;
using System.Text.Json.Nodes;

namespace Greengrass.EdgeCluster.Store;

/// <summary>
/// A committed object: its serialized bytes and the few facts the store and its controllers read without parsing
/// (name, namespace, uid, apiVersion, labels, the indexed fields that field selectors use, and what the garbage
/// collector looks at: owner references, deletion, finalizers). No parsed tree is kept: at 30,000 live objects the
/// trees were millions of small long-lived objects that every collection had to promote and then scan, where the
/// bytes and this summary are a dozen. A reader that needs more asks for <see cref="Parse"/>, a private copy.
/// Immutable, so it is safe to share between threads.
/// </summary>
internal sealed class StoredObject
{
    /// <summary>Field paths kept in the summary; a field selector on any other path parses the object.</summary>
    public static readonly IReadOnlyList<string> IndexedFields = ["spec.nodeName", "status.phase"];

    private static readonly KeyValuePair<string, string>[] NoPairs = [];
    private static readonly string[] NoStrings = [];
    private static readonly OwnerReference[] NoOwners = [];

    private readonly KeyValuePair<string, string>[] _labels;
    private readonly KeyValuePair<string, string>[] _fields;

    private StoredObject(JsonObject obj, byte[] bytes, long resourceVersion, StoredObject? previous)
    {
        Bytes = bytes;
        ResourceVersion = resourceVersion;
        ApiVersion = Same(Meta.Str(obj["apiVersion"]) ?? "", previous?.ApiVersion)!;
        Name = Same(Meta.Name(obj), previous?.Name)!;
        Namespace = Same(Meta.Namespace(obj), previous?.Namespace);
        Uid = Same(Meta.Uid(obj), previous?.Uid);
        IsDeleting = Meta.IsDeleting(obj);
        KeyValuePair<string, string>[] labels = obj["metadata"]?["labels"] is JsonObject { Count: > 0 } l
            ? [.. l.Select(p => KeyValuePair.Create(p.Key, Meta.Str(p.Value) ?? ""))]
            : NoPairs;
        _labels = Same(labels, previous?._labels);
        KeyValuePair<string, string>[] fields = [.. IndexedFields.Select(f => KeyValuePair.Create(f, Meta.Path(obj, f)!)).Where(p => p.Value is not null)];
        _fields = Same(fields.Length > 0 ? fields : NoPairs, previous?._fields);
        var finalizers = Meta.Finalizers(obj);
        Finalizers = finalizers.Count == 0 ? NoStrings : previous?.Finalizers is { } before && before.SequenceEqual(finalizers) ? before : [.. finalizers];
        OwnerReference[] owners = [.. Meta.OwnerReferences(obj).Select(o => new OwnerReference(o.Uid, o.Kind, o.Name))];
        OwnerReferences = owners.Length == 0 ? NoOwners : previous?.OwnerReferences is { } was && was.SequenceEqual(owners) ? was : owners;
    }

    /// <summary>
    /// Summarizes <paramref name="obj"/>, which the caller then drops: the stored object does not keep it. Values equal
    /// to those of <paramref name="previous"/> (the version it replaces) are taken from there: those are old already,
    /// so a new version adds its bytes and little else for the garbage collector to promote.
    /// </summary>
    public static StoredObject From(JsonObject obj, byte[] bytes, long resourceVersion, StoredObject? previous = null) =>
        new(obj, bytes, resourceVersion, previous);

    private static string? Same(string? value, string? previous) => value == previous ? previous : value;

    private static KeyValuePair<string, string>[] Same(KeyValuePair<string, string>[] value, KeyValuePair<string, string>[]? previous)
    {
        if (previous is null || previous.Length != value.Length)
        {
            return value;
        }
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i].Key != previous[i].Key || value[i].Value != previous[i].Value)
            {
                return value;
            }
        }
        return previous;
    }

    /// <summary>The object as the API serves it (UTF-8 JSON); never mutated.</summary>
    public byte[] Bytes { get; }

    public long ResourceVersion { get; }

    /// <summary><see cref="ResourceVersion"/> as <c>metadata.resourceVersion</c> spells it.</summary>
    public string ResourceVersionText => ResourceVersion.ToString(CultureInfo.InvariantCulture);

    public string ApiVersion { get; }

    public string Name { get; }

    public string? Namespace { get; }

    public string? Uid { get; }

    /// <summary>Whether <c>metadata.deletionTimestamp</c> is set.</summary>
    public bool IsDeleting { get; }

    public IReadOnlyList<string> Finalizers { get; }

    public IReadOnlyList<OwnerReference> OwnerReferences { get; }

    /// <summary>Labels in the order the object lists them.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Labels => _labels;

    /// <summary>Whether the garbage collector has to look again when this version comes or goes.</summary>
    public bool MattersToOwnership => IsDeleting || OwnerReferences.Count > 0;

    public bool TryGetLabel(string key, out string value)
    {
        foreach (var (k, v) in _labels)
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
    public string? IndexedField(string path)
    {
        switch (path)
        {
            case "metadata.name":
                return Name;
            case "metadata.namespace":
                return Namespace ?? "";
        }
        foreach (var (k, v) in _fields)
        {
            if (k == path)
            {
                return v;
            }
        }
        return IndexedFields.Contains(path) ? "" : null;
    }

    /// <summary>The value of one of the <see cref="IndexedFields"/>, or null when the object does not have it.</summary>
    public string? Field(string path)
    {
        if (!IndexedFields.Contains(path))
        {
            throw new ArgumentException($"{path} is not an indexed field", nameof(path));
        }
        foreach (var (k, v) in _fields)
        {
            if (k == path)
            {
                return v;
            }
        }
        return null;
    }

    /// <summary>A fresh parse of <see cref="Bytes"/>: the caller's own copy, free to change.</summary>
    public JsonObject Parse() => JsonNode.Parse(Bytes)!.AsObject();
}

/// <summary>One entry of <c>metadata.ownerReferences</c>, as far as the garbage collector reads it.</summary>
internal sealed record OwnerReference(string Uid, string Kind, string Name);
