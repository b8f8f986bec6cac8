using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Greengrass.Operator.Tests.Support;

/// <summary>
/// Checks the Kubernetes rules for structural schemas (apiextensions.k8s.io/v1) on a JSON schema and returns every
/// violation with its path: every node typed unless int-or-string or preserve-unknown-fields, no properties beside
/// additionalProperties, items for arrays, required names that exist, and none of the keywords CRDs forbid.
/// </summary>
internal static partial class StructuralSchema
{
    private static readonly string[] Types = ["object", "array", "string", "integer", "number", "boolean"];

    private static readonly string[] Forbidden = ["$ref", "definitions", "dependencies", "additionalItems", "patternProperties", "id", "$schema"];

    public static IReadOnlyList<string> Violations(JsonObject root)
    {
        var violations = new List<string>();
        if ((string?)root["type"] != "object")
        {
            violations.Add("root: type must be object");
        }

        Walk(root, "", violations);
        return violations;
    }

    private static void Walk(JsonObject node, string path, List<string> violations)
    {
        var type = (string?)node["type"];
        var intOrString = node["x-kubernetes-int-or-string"]?.GetValue<bool>() == true;
        var preserve = node["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
        Check(violations, path, type is not null || intOrString || preserve, "no type, and neither int-or-string nor preserve-unknown-fields");
        Check(violations, path, type is null || Types.Contains(type), $"unknown type '{type}'");
        Check(violations, path, !(intOrString && type is not null), "int-or-string must not also have a type");
        Check(violations, path, !(node.ContainsKey("properties") && node.ContainsKey("additionalProperties")), "properties and additionalProperties together");
        Check(violations, path, node["uniqueItems"]?.GetValue<bool>() != true, "uniqueItems: true is forbidden");
        foreach (var keyword in Forbidden)
        {
            Check(violations, path, !node.ContainsKey(keyword), $"forbidden keyword {keyword}");
        }

        CheckValues(node, type, path, violations);
        if (type == "array")
        {
            Check(violations, path, node["items"] is JsonObject, "array without a single items schema");
        }

        if (node["properties"] is JsonObject properties)
        {
            Check(violations, path, type == "object", "properties on a non-object");
            foreach (var name in node["required"]?.AsArray().Select(r => (string)r!) ?? [])
            {
                Check(violations, path, properties.ContainsKey(name), $"required field '{name}' is not a property");
            }

            foreach (var (name, child) in properties)
            {
                Walk((JsonObject)child!, path + "." + name, violations);
            }
        }

        if (node["additionalProperties"] is JsonObject values)
        {
            Walk(values, path + "[*]", violations);
        }

        if (node["items"] is JsonObject items)
        {
            Walk(items, path + "[*]", violations);
            CheckListMap(node, items, path, violations);
        }
    }

    private static void CheckValues(JsonObject node, string? type, string path, List<string> violations)
    {
        if (node["enum"] is JsonArray values)
        {
            Check(violations, path, type == "string" && values.All(v => v?.GetValueKind() == System.Text.Json.JsonValueKind.String), "enum values must be strings on a string node");
        }

        if ((string?)node["pattern"] is { } pattern)
        {
            Check(violations, path, type == "string" || node["x-kubernetes-int-or-string"] is not null, "pattern on a non-string");
            // The API server runs patterns with RE2: no lookaround, no backreferences.
            Check(violations, path, !Re2Unsupported().IsMatch(pattern), "pattern uses lookaround or backreferences, which RE2 lacks");
            try
            {
                _ = new Regex(pattern);
            }
            catch (ArgumentException e)
            {
                violations.Add($"{path}: pattern does not compile: {e.Message}");
            }
        }
    }

    private static void CheckListMap(JsonObject node, JsonObject items, string path, List<string> violations)
    {
        if ((string?)node["x-kubernetes-list-type"] != "map")
        {
            return;
        }

        var required = items["required"]?.AsArray().Select(r => (string)r!).ToHashSet() ?? [];
        foreach (var key in node["x-kubernetes-list-map-keys"]?.AsArray().Select(k => (string)k!) ?? [])
        {
            Check(violations, path, required.Contains(key), $"list-map key '{key}' is not a required item field");
        }
    }

    private static void Check(List<string> violations, string path, bool ok, string message)
    {
        if (!ok)
        {
            violations.Add($"{(path.Length == 0 ? "root" : path)}: {message}");
        }
    }

    [GeneratedRegex("\\(\\?<?[=!]|\\\\[1-9]|\\\\k<")]
    private static partial Regex Re2Unsupported();
}
