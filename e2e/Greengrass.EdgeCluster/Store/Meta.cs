using System.Globalization;
using System.Text.Json.Nodes;

namespace Greengrass.EdgeCluster.Store;

/// <summary>Small helpers over an object's <c>metadata</c>.</summary>
internal static class Meta
{
    public static JsonObject Of(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject m)
        {
            return m;
        }
        var created = new JsonObject();
        obj["metadata"] = created;
        return created;
    }

    public static string Name(JsonObject obj) => Str(obj["metadata"]?["name"]) ?? "";

    public static string? Namespace(JsonObject obj) => Str(obj["metadata"]?["namespace"]);

    public static string? Uid(JsonObject obj) => Str(obj["metadata"]?["uid"]);

    public static string? ResourceVersion(JsonObject obj) => Str(obj["metadata"]?["resourceVersion"]);

    public static bool IsDeleting(JsonObject obj) => obj["metadata"]?["deletionTimestamp"] is not null;

    public static List<string> Finalizers(JsonObject obj) =>
        obj["metadata"]?["finalizers"] is JsonArray a ? [.. a.Select(n => Str(n) ?? "")] : [];

    public static void SetFinalizers(JsonObject obj, IReadOnlyCollection<string> finalizers)
    {
        var m = Of(obj);
        if (finalizers.Count == 0)
        {
            m.Remove("finalizers");
        }
        else
        {
            m["finalizers"] = new JsonArray([.. finalizers.Select(f => (JsonNode)JsonValue.Create(f))]);
        }
    }

    public static IReadOnlyDictionary<string, string> Labels(JsonObject obj) =>
        obj["metadata"]?["labels"] is JsonObject l
            ? l.ToDictionary(p => p.Key, p => Str(p.Value) ?? "", StringComparer.Ordinal)
            : new Dictionary<string, string>();

    public static IEnumerable<(string Uid, string Kind, string Name)> OwnerReferences(JsonObject obj)
    {
        foreach (var r in obj["metadata"]?["ownerReferences"]?.AsArray() ?? [])
        {
            yield return (Str(r?["uid"]) ?? "", Str(r?["kind"]) ?? "", Str(r?["name"]) ?? "");
        }
    }

    public static string Timestamp(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset? ParseTimestamp(JsonNode? node) =>
        Str(node) is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    /// <summary>A number whatever CLR type the node was built from (parsed JSON or a value set in code).</summary>
    public static long? Long(JsonNode? node) => node is JsonValue v
        ? v.TryGetValue<long>(out var l) ? l : v.TryGetValue<int>(out var i) ? i : v.TryGetValue<double>(out var d) && d % 1 == 0 ? (long)d
        : throw new InvalidOperationException($"expected an integer, got {v.ToJsonString()}")
        : null;

    public static double? Double(JsonNode? node) => node is JsonValue v
        ? v.TryGetValue<double>(out var d) ? d : v.TryGetValue<long>(out var l) ? l : v.TryGetValue<int>(out var i) ? i
        : throw new InvalidOperationException($"expected a number, got {v.ToJsonString()}")
        : null;

    public static string? Str(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node is JsonValue other ? other.ToJsonString() : null;

    /// <summary>
    /// Builds every child of a parsed tree now: a parsed node builds its children on first access, which is not
    /// safe when several threads read the same tree, so a tree kept for sharing is materialized once, up front.
    /// </summary>
    public static T Materialized<T>(T node) where T : JsonNode
    {
        static void Visit(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (_, child) in o)
                    {
                        Visit(child);
                    }
                    break;
                case JsonArray a:
                    foreach (var child in a)
                    {
                        Visit(child);
                    }
                    break;
            }
        }
        Visit(node);
        return node;
    }

    /// <summary>Reads a dotted path such as <c>spec.nodeName</c> as a string, for field selectors.</summary>
    public static string? Path(JsonObject obj, string dotted)
    {
        JsonNode? node = obj;
        foreach (var part in dotted.Split('.'))
        {
            node = node is JsonObject o ? o[part] : null;
        }
        return FieldText(node);
    }

    /// <summary>A field's value as field selectors compare it: a string as it is, anything else as its JSON; null when absent.</summary>
    public static string? FieldText(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };
}
