using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Greengrass.Operator.Tests.Support;

namespace Greengrass.Operator.Tests.Crds;

public sealed partial class PrinterColumnTests
{
    // The object metadata is the API server's; its schema in a CRD is a bare object.
    private static readonly Dictionary<string, string> MetadataFields = new()
    {
        ["name"] = "string", ["namespace"] = "string", ["creationTimestamp"] = "date-time", ["generation"] = "integer",
        ["uid"] = "string", ["resourceVersion"] = "string", ["deletionTimestamp"] = "date-time",
    };

    [Theory]
    [InlineData("Component", "Component,Version,Type,Ready,Age")]
    [InlineData("Deployment", "Target,Revision,Rollout,InProgress,Succeeded,Failed,Ready")]
    [InlineData("CoreDevice", "Thing,Node,Nucleus,Health,Components,Ready")]
    [InlineData("ClientDevice", "Thing,Ready,Age")]
    public void PrinterColumns_AreTheAgreedOnes_InOrder(string kind, string columns)
    {
        var actual = Columns(GeneratedCrds.JsonOfKind(kind)).Select(c => (string)c["name"]!);
        Assert.Equal(columns.Split(','), actual);
    }

    [Theory]
    [MemberData(nameof(GeneratedCrds.FileNames), MemberType = typeof(GeneratedCrds))]
    public void PrinterColumns_PointAtFieldsOfTheRightType(string fileName)
    {
        var crd = GeneratedCrds.Json(fileName);
        var schema = GeneratedCrds.Schema(crd);
        foreach (var column in Columns(crd))
        {
            var path = (string)column["jsonPath"]!;
            var fieldType = Resolve(schema, path);
            Assert.True(fieldType is not null, $"{fileName}: column {column["name"]} points at {path}, which is not in the schema");
            var expected = (string)column["type"]! switch
            {
                "date" => "date-time",
                var other => other,
            };
            Assert.True(expected == fieldType, $"{fileName}: column {column["name"]} is {column["type"]} but {path} is {fieldType}");
        }
    }

    [Theory]
    [InlineData(".spec.componentName", "string")]
    [InlineData(".status.conditions[?(@.type==\"Ready\")].status", "string")]
    [InlineData(".metadata.creationTimestamp", "date-time")]
    [InlineData(".spec.manifests[0].artifacts[*].uri", "string")]
    [InlineData(".spec.nothing", null)]
    [InlineData(".status.conditions[?(@.nothing==\"Ready\")].status", null)]
    [InlineData(".spec.componentName.deeper", null)]
    [InlineData("spec.componentName", null)]
    public void Resolver_FindsOnlyFieldsThatExist(string path, string? expected)
    {
        Assert.Equal(expected, Resolve(GeneratedCrds.Schema(GeneratedCrds.JsonOfKind("Component")), path));
    }

    private static IEnumerable<JsonObject> Columns(JsonObject crd) =>
        crd["spec"]!["versions"]![0]!["additionalPrinterColumns"]!.AsArray().Cast<JsonObject>();

    /// <summary>The type of the field a simple JSONPath names (date-time for timestamps), or null when it names none.</summary>
    private static string? Resolve(JsonObject schema, string path)
    {
        var tokens = Token().Matches(path);
        if (tokens.Sum(t => t.Length) != path.Length || tokens.Count == 0)
        {
            return null;
        }

        JsonObject? node = schema;
        for (var i = 0; i < tokens.Count && node is not null; i++)
        {
            var token = tokens[i];
            if (token.Groups["name"].Success)
            {
                var name = token.Groups["name"].Value;
                if (i == 1 && (string?)tokens[0].Groups["name"].Value == "metadata")
                {
                    return i == tokens.Count - 1 && MetadataFields.TryGetValue(name, out var type) ? type : null;
                }

                node = node["properties"]?[name] as JsonObject;
            }
            else
            {
                var items = (string?)node["type"] == "array" ? node["items"] as JsonObject : null;
                var filterField = token.Groups["filter"].Value;
                node = filterField.Length == 0 || items?["properties"]?[filterField] is not null ? items : null;
            }
        }

        if (node is null)
        {
            return null;
        }

        return (string?)node["format"] == "date-time" ? "date-time" : (string?)node["type"];
    }

    [GeneratedRegex("\\.(?<name>[A-Za-z0-9_]+)|\\[\\?\\(@\\.(?<filter>[A-Za-z0-9_]+)==\"[^\"]*\"\\)\\]|\\[(?:[0-9]+|\\*)\\]")]
    private static partial Regex Token();
}
