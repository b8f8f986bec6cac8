using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Greengrass.Operator.Tests.Support;

/// <summary>
/// Validates a resource against a CRD schema the way the API server would before CEL: types, required fields,
/// enums, patterns, bounds, and unknown fields (which the server would silently prune). Metadata is the server's.
/// </summary>
internal static class SchemaValidator
{
    public static IReadOnlyList<string> Validate(JsonNode resource, JsonObject schema)
    {
        var errors = new List<string>();
        Walk(resource, schema, "", errors);
        return errors;
    }

    private static void Walk(JsonNode? value, JsonObject schema, string path, List<string> errors)
    {
        if (path == ".metadata")
        {
            return;
        }

        if (value is null)
        {
            errors.Add($"{path}: null");
            return;
        }

        if (schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true)
        {
            CheckIntOrString(value, schema, path, errors);
            return;
        }

        switch ((string?)schema["type"])
        {
            case "object":
                WalkObject(value, schema, path, errors);
                break;
            case "array" when value is JsonArray array:
                CheckSize(array.Count, schema, "Items", path, errors);
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(array[i], (JsonObject)schema["items"]!, $"{path}[{i}]", errors);
                }

                break;
            case "string" when value.GetValueKind() == JsonValueKind.String:
                CheckString(value.GetValue<string>(), schema, path, errors);
                break;
            case "integer" when value.GetValueKind() == JsonValueKind.Number && value.ToJsonString().All(c => char.IsDigit(c) || c == '-'):
            case "number" when value.GetValueKind() == JsonValueKind.Number:
                CheckRange(Number(value), schema, path, errors);
                break;
            case "boolean" when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                break;
            case null when schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true:
                break;
            default:
                errors.Add($"{path}: {value.GetValueKind()} where the schema says {schema["type"]}");
                break;
        }
    }

    private static void WalkObject(JsonNode value, JsonObject schema, string path, List<string> errors)
    {
        if (value is not JsonObject obj)
        {
            errors.Add($"{path}: {value.GetValueKind()} where the schema says object");
            return;
        }

        foreach (var name in schema["required"]?.AsArray().Select(r => (string)r!) ?? [])
        {
            if (!obj.ContainsKey(name))
            {
                errors.Add($"{path}: missing required field '{name}'");
            }
        }

        var preserve = schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
        var properties = schema["properties"] as JsonObject;
        var values = schema["additionalProperties"] as JsonObject;
        CheckSize(obj.Count, schema, "Properties", path, errors);
        foreach (var (name, child) in obj)
        {
            if (properties?[name] is JsonObject property)
            {
                Walk(child, property, $"{path}.{name}", errors);
            }
            else if (values is not null)
            {
                Walk(child, values, $"{path}.{name}", errors);
            }
            else if (!preserve && !(path.Length == 0 && name is "apiVersion" or "kind"))
            {
                errors.Add($"{path}.{name}: unknown field (the API server would prune it)");
            }
        }
    }

    private static void CheckIntOrString(JsonNode value, JsonObject schema, string path, List<string> errors)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                CheckString(value.GetValue<string>(), schema, path, errors);
                break;
            case JsonValueKind.Number:
                break;
            default:
                errors.Add($"{path}: {value.GetValueKind()} where the schema says int-or-string");
                break;
        }
    }

    private static void CheckString(string text, JsonObject schema, string path, List<string> errors)
    {
        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => (string?)a == text))
        {
            errors.Add($"{path}: '{text}' is not one of {allowed.ToJsonString()}");
        }

        if ((string?)schema["pattern"] is { } pattern && !Regex.IsMatch(text, pattern))
        {
            errors.Add($"{path}: '{text}' does not match {pattern}");
        }

        CheckSize(text.Length, schema, "Length", path, errors);
    }

    private static void CheckSize(int size, JsonObject schema, string what, string path, List<string> errors)
    {
        if (schema["min" + what] is { } min && size < Number(min))
        {
            errors.Add($"{path}: size {size} below min{what} {min}");
        }

        if (schema["max" + what] is { } max && size > Number(max))
        {
            errors.Add($"{path}: size {size} above max{what} {max}");
        }
    }

    private static double Number(JsonNode node) => double.Parse(node.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

    private static void CheckRange(double number, JsonObject schema, string path, List<string> errors)
    {
        if (schema["minimum"] is { } min && number < Number(min))
        {
            errors.Add($"{path}: {number} below minimum {min}");
        }

        if (schema["maximum"] is { } max && number > Number(max))
        {
            errors.Add($"{path}: {number} above maximum {max}");
        }
    }
}
