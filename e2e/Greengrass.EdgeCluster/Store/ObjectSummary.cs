using System.Text.Json.Nodes;

namespace Greengrass.EdgeCluster.Store;

/// <summary>
/// What the store and its controllers read of a committed object without parsing it and what seldom changes from one
/// version to the next: store key, name, namespace, uid, apiVersion, labels, and what the garbage collector looks at
/// (owner references, deletion, finalizers). The indexed fields, which writes do change (a bind, a phase), are kept
/// by the <see cref="StoredObject"/> itself. Immutable. A version whose summary equals the one of the version it
/// replaces shares that instance (nearly every write), and otherwise shares each value that did not change: what is
/// old already costs the garbage collector nothing to promote again.
/// </summary>
internal sealed class ObjectSummary
{
    private static readonly KeyValuePair<string, string>[] NoPairs = [];
    private static readonly string[] NoStrings = [];
    private static readonly OwnerReference[] NoOwners = [];

    private ObjectSummary(string key, string apiVersion, string name, string? ns, string? uid, bool isDeleting, KeyValuePair<string, string>[] labels,
        string[] finalizers, OwnerReference[] ownerReferences)
    {
        Key = key;
        ApiVersion = apiVersion;
        Name = name;
        Namespace = ns;
        Uid = uid;
        IsDeleting = isDeleting;
        Labels = labels;
        Finalizers = finalizers;
        OwnerReferences = ownerReferences;
    }

    /// <summary>The store key, <c>namespace/name</c> (see <see cref="ResourceStore.KeyOf"/>).</summary>
    public string Key { get; }

    public string ApiVersion { get; }

    public string Name { get; }

    public string? Namespace { get; }

    public string? Uid { get; }

    public bool IsDeleting { get; }

    /// <summary>Labels in the order the object lists them.</summary>
    public KeyValuePair<string, string>[] Labels { get; }

    public string[] Finalizers { get; }

    public OwnerReference[] OwnerReferences { get; }

    /// <summary>The summary of <paramref name="obj"/>, sharing what equals <paramref name="previous"/> (the summary of the version it replaces).</summary>
    public static ObjectSummary Of(JsonObject obj, ObjectSummary? previous)
    {
        var apiVersion = Same(Meta.Str(obj["apiVersion"]) ?? "", previous?.ApiVersion)!;
        var name = Same(Meta.Name(obj), previous?.Name)!;
        var ns = Same(Meta.Namespace(obj), previous?.Namespace);
        var uid = Same(Meta.Uid(obj), previous?.Uid);
        var isDeleting = Meta.IsDeleting(obj);
        KeyValuePair<string, string>[] labels = obj["metadata"]?["labels"] is JsonObject { Count: > 0 } l
            ? [.. l.Select(p => KeyValuePair.Create(p.Key, Meta.Str(p.Value) ?? ""))]
            : NoPairs;
        labels = Same(labels, previous?.Labels);
        var finalizerList = Meta.Finalizers(obj);
        var finalizers = finalizerList.Count == 0 ? NoStrings
            : previous?.Finalizers is { } before && before.SequenceEqual(finalizerList) ? before : [.. finalizerList];
        OwnerReference[] owners = [.. Meta.OwnerReferences(obj).Select(o => new OwnerReference(o.Uid, o.Kind, o.Name))];
        owners = owners.Length == 0 ? NoOwners : previous?.OwnerReferences is { } was && was.SequenceEqual(owners) ? was : owners;
        if (previous is not null && ReferenceEquals(apiVersion, previous.ApiVersion) && ReferenceEquals(name, previous.Name) &&
            ReferenceEquals(ns, previous.Namespace) && ReferenceEquals(uid, previous.Uid) && isDeleting == previous.IsDeleting &&
            ReferenceEquals(labels, previous.Labels) &&
            ReferenceEquals(finalizers, previous.Finalizers) && ReferenceEquals(owners, previous.OwnerReferences))
        {
            return previous;
        }
        var key = previous is not null && ReferenceEquals(name, previous.Name) && ReferenceEquals(ns, previous.Namespace)
            ? previous.Key
            : ResourceStore.KeyOf(ns, name);
        return new ObjectSummary(key, apiVersion, name, ns, uid, isDeleting, labels, finalizers, owners);
    }

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
}
