using System.Text.Json.Nodes;
using Greengrass.Operator.Tests.Support;

namespace Greengrass.Operator.Tests.Crds;

public sealed class StructuralSchemaTests
{
    [Theory]
    [MemberData(nameof(GeneratedCrds.FileNames), MemberType = typeof(GeneratedCrds))]
    public void CrdSchema_IsStructural(string fileName)
    {
        var violations = StructuralSchema.Violations(GeneratedCrds.Schema(GeneratedCrds.Json(fileName)));
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void CrdSchemas_PreserveUnknownFieldsOnlyWhereGreengrassIsFreeForm()
    {
        var found = GeneratedCrds.Files
            .SelectMany(f => PreservePaths(GeneratedCrds.Schema(GeneratedCrds.Json(f.FileName)), (string)GeneratedCrds.Json(f.FileName)["spec"]!["names"]!["kind"]!))
            .Order(StringComparer.Ordinal);

        Assert.Equal(
            [
                "Component:.spec.configuration.defaultConfiguration",
                "Component:.spec.lifecycle",
                "Component:.spec.manifests[*].lifecycle",
                "CoreDevice:.spec.placement.affinity",
                "Deployment:.spec.components[*].configurationUpdate.merge",
                "Deployment:.status.rollout.revisions[*].components[*].configurationUpdate.merge",
            ],
            found);
    }

    [Fact]
    public void Walker_UntypedNode_IsReported()
    {
        var schema = Parse("""{"type":"object","properties":{"spec":{"properties":{"a":{"type":"string"}}}}}""");
        Assert.Contains(StructuralSchema.Violations(schema), v => v.StartsWith(".spec: no type", StringComparison.Ordinal));
    }

    [Fact]
    public void Walker_PropertiesBesideAdditionalProperties_IsReported()
    {
        var schema = Parse("""{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":{"type":"string"}}""");
        Assert.Contains(StructuralSchema.Violations(schema), v => v.Contains("properties and additionalProperties together", StringComparison.Ordinal));
    }

    [Fact]
    public void Walker_ArrayWithoutItemsAndUnknownRequired_AreReported()
    {
        var schema = Parse("""{"type":"object","required":["b"],"properties":{"a":{"type":"array"}}}""");
        var violations = StructuralSchema.Violations(schema);
        Assert.Contains(violations, v => v == ".a: array without a single items schema");
        Assert.Contains(violations, v => v == "root: required field 'b' is not a property");
    }

    [Fact]
    public void Walker_IntOrStringWithType_IsReported()
    {
        var schema = Parse("""{"type":"object","properties":{"a":{"type":"string","x-kubernetes-int-or-string":true}}}""");
        Assert.Contains(StructuralSchema.Violations(schema), v => v == ".a: int-or-string must not also have a type");
    }

    [Fact]
    public void Walker_ForbiddenKeyword_IsReported()
    {
        var schema = Parse("""{"type":"object","properties":{"a":{"$ref":"#/definitions/x"}}}""");
        Assert.Contains(StructuralSchema.Violations(schema), v => v == ".a: forbidden keyword $ref");
    }

    [Fact]
    public void Walker_LookaheadPattern_IsReported()
    {
        var schema = Parse("""{"type":"object","properties":{"a":{"type":"string","pattern":"^(?!x)"}}}""");
        Assert.Contains(StructuralSchema.Violations(schema), v => v == ".a: pattern uses lookaround or backreferences, which RE2 lacks");
    }

    private static JsonObject Parse(string json) => (JsonObject)JsonNode.Parse(json)!;

    private static IEnumerable<string> PreservePaths(JsonObject node, string prefix, string path = "")
    {
        if (node["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true)
        {
            yield return $"{prefix}:{path}";
        }

        var children = (node["properties"] as JsonObject)?.Select(p => (path + "." + p.Key, (JsonObject)p.Value!)) ?? [];
        if ((node["items"] ?? node["additionalProperties"]) is JsonObject inner)
        {
            children = children.Append((path + "[*]", inner));
        }

        foreach (var (childPath, child) in children)
        {
            foreach (var found in PreservePaths(child, prefix, childPath))
            {
                yield return found;
            }
        }
    }
}
