using System.Text.Json;
using System.Text.Json.Nodes;
using Greengrass.EdgeCluster.Store;

namespace Greengrass.EdgeCluster.Schema;

/// <summary>
/// Shape checks on <c>metadata</c> for every kind, so that controllers reading labels, finalizers and
/// owner references never meet a malformed value: a bad shape is a 422 naming the field.
/// </summary>
internal static class MetadataValidation
{
    public static List<FieldError> Check(JsonObject obj)
    {
        var errors = new List<FieldError>();
        if (obj["metadata"] is { } m && m is not JsonObject)
        {
            errors.Add(FieldError.TypeMismatch("metadata", m, "object"));
            return errors;
        }
        var meta = obj["metadata"] as JsonObject;
        foreach (var map in new[] { "labels", "annotations" })
        {
            if (meta?[map] is { } node && (node is not JsonObject o || o.Any(p => !IsString(p.Value))))
            {
                errors.Add(FieldError.TypeMismatch($"metadata.{map}", node, "map of string"));
            }
        }
        if (meta?["finalizers"] is { } finalizers && (finalizers is not JsonArray f || f.Any(v => !IsString(v))))
        {
            errors.Add(FieldError.TypeMismatch("metadata.finalizers", finalizers, "array of string"));
        }
        if (meta?["ownerReferences"] is { } owners)
        {
            if (owners is not JsonArray list)
            {
                errors.Add(FieldError.TypeMismatch("metadata.ownerReferences", owners, "array"));
                return errors;
            }
            for (var i = 0; i < list.Count; i++)
            {
                foreach (var field in new[] { "apiVersion", "kind", "name", "uid" })
                {
                    if (!IsString(list[i]?[field]) || string.IsNullOrEmpty(Meta.Str(list[i]?[field])))
                    {
                        errors.Add(FieldError.Required($"metadata.ownerReferences[{i}].{field}"));
                    }
                }
            }
        }
        return errors;
    }

    private static bool IsString(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String;
}
