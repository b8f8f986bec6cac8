using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Greengrass.EdgeCluster.Store;

namespace Greengrass.EdgeCluster.Schema;

/// <summary>
/// Applies a structural OpenAPI v3 schema the way the API server does for custom resources:
/// nulls of non-nullable fields dropped, defaults applied, unknown fields pruned (and reported),
/// then type, enum, pattern, bounds, lengths and required checked.
/// </summary>
internal sealed class SchemaValidator
{
    private static readonly HashSet<string> RootFields = ["apiVersion", "kind", "metadata"];
    private readonly List<FieldError> _errors = [];
    private readonly List<string> _unknown = [];

    public IReadOnlyList<FieldError> Errors => _errors;

    /// <summary>Paths of fields the schema does not declare; they have been removed from the object.</summary>
    public IReadOnlyList<string> UnknownFields => _unknown;

    public static SchemaValidator Run(JsonObject schema, JsonObject obj)
    {
        var validator = new SchemaValidator();
        validator.WalkObject(schema, obj, "", root: true);
        return validator;
    }

    private void Walk(JsonObject schema, JsonNode node, string path)
    {
        if (schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true)
        {
            if (!(IsInteger(node) || IsKind(node, JsonValueKind.String)))
            {
                _errors.Add(FieldError.TypeMismatch(path, node, "integer,string"));
                return;
            }
        }
        else if (!TypeMatches((string?)schema["type"], node))
        {
            _errors.Add(FieldError.TypeMismatch(path, node, (string)schema["type"]!));
            return;
        }
        CheckEnum(schema, node, path);
        switch (node)
        {
            case JsonObject o:
                WalkObject(schema, o, path, root: false);
                break;
            case JsonArray a:
                WalkArray(schema, a, path);
                break;
            case JsonValue v:
                CheckScalar(schema, v, path);
                break;
        }
    }

    private void WalkObject(JsonObject schema, JsonObject obj, string path, bool root)
    {
        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"];
        var preserve = schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
        ApplyDefaults(properties, obj);
        foreach (var (key, value) in obj.ToList())
        {
            var childPath = path.Length == 0 ? key : $"{path}.{key}";
            if (root && RootFields.Contains(key))
            {
                continue;
            }
            var childSchema = properties?[key] as JsonObject ?? additional as JsonObject;
            if (childSchema is null)
            {
                var allowAny = preserve || (additional is JsonValue b && b.GetValueKind() == JsonValueKind.True);
                if (!allowAny)
                {
                    _unknown.Add(childPath);
                    obj.Remove(key);
                }
                continue;
            }
            if (value is null)
            {
                if (childSchema["nullable"]?.GetValue<bool>() != true)
                {
                    obj.Remove(key);
                }
                continue;
            }
            Walk(childSchema, value, childPath);
        }
        foreach (var required in schema["required"]?.AsArray() ?? [])
        {
            var name = (string)required!;
            if (!obj.ContainsKey(name))
            {
                _errors.Add(FieldError.Required(path.Length == 0 ? name : $"{path}.{name}"));
            }
        }
        CheckCount(schema, obj.Count, path, "minProperties", "maxProperties", "properties");
    }

    private static void ApplyDefaults(JsonObject? properties, JsonObject obj)
    {
        foreach (var (key, prop) in properties ?? [])
        {
            if (prop?["default"] is { } def && (!obj.ContainsKey(key) || (obj[key] is null && prop["nullable"]?.GetValue<bool>() != true)))
            {
                obj[key] = def.DeepClone();
            }
        }
    }

    private void WalkArray(JsonObject schema, JsonArray array, string path)
    {
        CheckCount(schema, array.Count, path, "minItems", "maxItems", "items");
        if (schema["items"] is not JsonObject items)
        {
            return;
        }
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is { } item)
            {
                Walk(items, item, $"{path}[{i}]");
            }
            else if (items["nullable"]?.GetValue<bool>() != true)
            {
                _errors.Add(FieldError.TypeMismatch($"{path}[{i}]", null, (string?)items["type"] ?? "object"));
            }
        }
    }

    private void CheckScalar(JsonObject schema, JsonValue value, string path)
    {
        if (value.TryGetValue<string>(out var s))
        {
            if (schema["minLength"] is { } min && s.Length < Meta.Long(min))
            {
                _errors.Add(FieldError.InvalidValue(path, value, $"{path} in body should be at least {min} chars long"));
            }
            if (schema["maxLength"] is { } max && s.Length > Meta.Long(max))
            {
                _errors.Add(new FieldError(path, "FieldValueTooLong", $"Too long: may not be more than {max} bytes"));
            }
            if ((string?)schema["pattern"] is { } pattern && !Regex.IsMatch(s, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
            {
                _errors.Add(FieldError.InvalidValue(path, value, $"{path} in body should match '{pattern}'"));
            }
            return;
        }
        if (value.GetValueKind() != JsonValueKind.Number)
        {
            return;
        }
        var number = value.GetValue<double>();
        var exclusiveMin = schema["exclusiveMinimum"]?.GetValue<bool>() == true;
        var exclusiveMax = schema["exclusiveMaximum"]?.GetValue<bool>() == true;
        if (schema["minimum"] is { } minimum && (number < Meta.Double(minimum) || (exclusiveMin && number <= Meta.Double(minimum))))
        {
            _errors.Add(FieldError.InvalidValue(path, value, $"{path} in body should be greater than or equal to {minimum}"));
        }
        if (schema["maximum"] is { } maximum && (number > Meta.Double(maximum) || (exclusiveMax && number >= Meta.Double(maximum))))
        {
            _errors.Add(FieldError.InvalidValue(path, value, $"{path} in body should be less than or equal to {maximum}"));
        }
    }

    private void CheckEnum(JsonObject schema, JsonNode node, string path)
    {
        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, node)))
        {
            _errors.Add(FieldError.Unsupported(path, node, allowed.Select(a => a?.ToJsonString() ?? "null")));
        }
    }

    private void CheckCount(JsonObject schema, int count, string path, string minKey, string maxKey, string noun)
    {
        if (schema[minKey] is { } min && count < Meta.Long(min))
        {
            _errors.Add(FieldError.InvalidValue(path, null, $"{path} in body should have at least {min} {noun}"));
        }
        if (schema[maxKey] is { } max && count > Meta.Long(max))
        {
            _errors.Add(new FieldError(path, "FieldValueTooMany", $"Too many: {count}: must have at most {max} {noun}"));
        }
    }

    private static bool TypeMatches(string? type, JsonNode node) => type switch
    {
        null or "" => true,
        "object" => node is JsonObject,
        "array" => node is JsonArray,
        "string" => IsKind(node, JsonValueKind.String),
        "boolean" => IsKind(node, JsonValueKind.True) || IsKind(node, JsonValueKind.False),
        "number" => IsKind(node, JsonValueKind.Number),
        "integer" => IsInteger(node),
        _ => true,
    };

    private static bool IsKind(JsonNode node, JsonValueKind kind) => node is JsonValue v && v.GetValueKind() == kind;

    private static bool IsInteger(JsonNode node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && Math.Abs(v.GetValue<double>() % 1) < double.Epsilon;
}
