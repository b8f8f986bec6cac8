using System.Text.Json.Nodes;

namespace Greengrass.EdgeCluster.Resources;

/// <summary>Turns a CustomResourceDefinition into the resource types it serves.</summary>
internal static class CrdTypes
{
    public static List<ResourceType> FromCrd(JsonObject crd)
    {
        var spec = crd["spec"]!.AsObject();
        var names = spec["names"]!.AsObject();
        var group = (string)spec["group"]!;
        var result = new List<ResourceType>();
        foreach (var version in spec["versions"]?.AsArray() ?? [])
        {
            if (version is null || version["served"]?.GetValue<bool>() == false)
            {
                continue;
            }
            // Read by requests on many threads (admission, OpenAPI): materialized before it is shared.
            var schema = version["schema"]?["openAPIV3Schema"]?.DeepClone().AsObject() is { } s ? Store.Meta.Materialized(s) : null;
            result.Add(new ResourceType
            {
                Group = group,
                Version = (string)version["name"]!,
                Resource = (string)names["plural"]!,
                Kind = (string)names["kind"]!,
                Singular = (string?)names["singular"] ?? ((string)names["kind"]!).ToLowerInvariant(),
                Namespaced = (string?)spec["scope"] != "Cluster",
                ShortNames = Strings(names["shortNames"]),
                Categories = Strings(names["categories"]),
                Subresources = version["subresources"]?["status"] is not null ? ["status"] : [],
                PrinterColumns = Columns(version["additionalPrinterColumns"]),
                Schema = schema,
                HasCelRules = schema is not null && schema.ToJsonString().Contains("\"x-kubernetes-validations\"", StringComparison.Ordinal),
                IsCustom = true,
            });
        }
        return result;
    }

    private static List<string> Strings(JsonNode? node) =>
        node is JsonArray a ? [.. a.Select(n => (string)n!)] : [];

    private static List<PrinterColumn> Columns(JsonNode? node)
    {
        var columns = new List<PrinterColumn>();
        foreach (var c in node?.AsArray() ?? [])
        {
            columns.Add(new PrinterColumn((string)c!["name"]!, (string?)c["type"] ?? "string", (string)c["jsonPath"]!,
                (string?)c["description"] ?? "", (string?)c["format"], (int)(Store.Meta.Long(c["priority"]) ?? 0)));
        }
        if (!columns.Any(c => c.JsonPath == ".metadata.creationTimestamp"))
        {
            columns.Add(new PrinterColumn("Age", "date", ".metadata.creationTimestamp"));
        }
        return columns;
    }
}
