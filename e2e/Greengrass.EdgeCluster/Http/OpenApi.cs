using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Greengrass.EdgeCluster.Resources;

namespace Greengrass.EdgeCluster.Http;

/// <summary>
/// A small OpenAPI v3 surface: the index and one document per group-version with every resource's
/// paths (PATCH declares <c>fieldValidation</c>, so kubectl validates on the server instead of the
/// client) and the CRD schemas as components (for <c>kubectl explain</c>). Built-in kinds carry no
/// schema: kubectl then falls back to its compiled-in types for strategic merge patches.
/// </summary>
internal static class OpenApi
{
    public static JsonObject Index(ResourceRegistry registry)
    {
        var paths = new JsonObject();
        foreach (var gv in registry.All.Select(t => (t.Group, t.Version)).Distinct())
        {
            var key = gv.Group.Length == 0 ? $"api/{gv.Version}" : $"apis/{gv.Group}/{gv.Version}";
            var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Document(registry, gv.Group, gv.Version).ToJsonString())))[..32];
            paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={hash}" };
        }
        return new JsonObject { ["paths"] = paths };
    }

    public static JsonObject? TryDocument(ResourceRegistry registry, string[] parts) => parts switch
    {
        ["api", var v] when registry.All.Any(t => t.Group.Length == 0 && t.Version == v) => Document(registry, "", v),
        ["apis", var g, var v] when registry.All.Any(t => t.Group == g && t.Version == v) => Document(registry, g, v),
        _ => null,
    };

    private static JsonObject Document(ResourceRegistry registry, string group, string version)
    {
        var paths = new JsonObject();
        var schemas = new JsonObject();
        foreach (var t in registry.All.Where(t => t.Group == group && t.Version == version))
        {
            var prefix = group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}";
            var collection = t.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{t.Resource}" : $"{prefix}/{t.Resource}";
            paths[collection] = new JsonObject { ["get"] = Operation(t, "list"), ["post"] = Operation(t, "create") };
            paths[collection + "/{name}"] = new JsonObject
            {
                ["get"] = Operation(t, "get"), ["put"] = Operation(t, "update"), ["patch"] = Operation(t, "patch"), ["delete"] = Operation(t, "delete"),
            };
            if (t.Schema is not null)
            {
                var schema = t.Schema.DeepClone().AsObject();
                schema["x-kubernetes-group-version-kind"] = new JsonArray(Gvk(t));
                schemas[SchemaName(t)] = schema;
            }
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    private static JsonObject Operation(ResourceType t, string action)
    {
        var parameters = new JsonArray(Param("dryRun"), Param("fieldManager"));
        if (action is "create" or "update" or "patch")
        {
            parameters.Add(Param("fieldValidation"));
        }
        return new JsonObject
        {
            ["operationId"] = action + t.Kind,
            ["x-kubernetes-action"] = action,
            ["x-kubernetes-group-version-kind"] = Gvk(t),
            ["parameters"] = parameters,
            ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
        };
    }

    private static JsonObject Param(string name) => new()
    {
        ["name"] = name, ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" }, ["uniqueItems"] = true,
    };

    private static JsonObject Gvk(ResourceType t) => new() { ["group"] = t.Group, ["version"] = t.Version, ["kind"] = t.Kind };

    private static string SchemaName(ResourceType t) =>
        string.Join('.', t.Group.Split('.').Reverse()) + $".{t.Version}.{t.Kind}";
}
