using System.Text.Json.Nodes;
using Greengrass.EdgeCluster.Resources;
using Microsoft.AspNetCore.Http;

namespace Greengrass.EdgeCluster.Http;

/// <summary>
/// Legacy discovery (/api, /apis, /apis/{g}/{v}), /version and health. Aggregated discovery is not
/// served: the plain APIGroupList answer makes clients fall back to per-group discovery.
/// </summary>
internal sealed class Discovery(ResourceRegistry registry)
{
    public async Task<bool> TryServeAsync(HttpContext http, CancellationToken ct)
    {
        if (http.Request.Method != "GET")
        {
            return false;
        }
        var parts = (http.Request.Path.Value ?? "/").Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        JsonNode? body = parts switch
        {
            ["version"] => Version(),
            ["healthz"] or ["livez"] or ["readyz"] => null,
            ["api"] => new JsonObject
            {
                ["kind"] = "APIVersions",
                ["versions"] = new JsonArray("v1"),
                ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = http.Request.Host.Value }),
            },
            ["api", "v1"] => ResourceList("", "v1"),
            ["apis"] => GroupList(),
            ["apis", var g] when GroupOf(g) is { } group => group,
            ["apis", var g, var v] when registry.All.Any(t => t.Group == g && t.Version == v) => ResourceList(g, v),
            ["openapi", "v3"] => OpenApi.Index(registry),
            ["openapi", "v3", .. var rest] => OpenApi.TryDocument(registry, rest) ?? throw NotFound(),
            ["openapi", ..] => throw NotFound(),
            _ => JsonValue.Create(false),
        };
        if (body is JsonValue v2 && v2.GetValueKind() == System.Text.Json.JsonValueKind.False)
        {
            return false;
        }
        if (body is null)
        {
            await Responses.WriteTextAsync(http, "ok", ct);
            return true;
        }
        await Responses.WriteJsonAsync(http, 200, body, ct);
        return true;
    }

    private static Store.ApiException NotFound() => new(404, "NotFound", "the server could not find the requested resource");

    private static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = "v1.32.0-edgecluster",
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-01-01T00:00:00Z",
        ["goVersion"] = "go1.23",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    private JsonObject GroupList() => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray([.. registry.All.Where(t => t.Group.Length > 0).Select(t => t.Group).Distinct().Select(g => (JsonNode)GroupOf(g)!)]),
    };

    private JsonObject? GroupOf(string group)
    {
        var versions = registry.All.Where(t => t.Group == group).Select(t => t.Version).Distinct().ToList();
        if (versions.Count == 0)
        {
            return null;
        }
        JsonObject Gv(string v) => new() { ["groupVersion"] = $"{group}/{v}", ["version"] = v };
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = new JsonArray([.. versions.Select(v => (JsonNode)Gv(v))]),
            ["preferredVersion"] = Gv(versions[0]),
        };
    }

    private JsonObject ResourceList(string group, string version)
    {
        var resources = new JsonArray();
        foreach (var t in registry.All.Where(t => t.Group == group && t.Version == version))
        {
            resources.Add(new JsonObject
            {
                ["name"] = t.Resource,
                ["singularName"] = t.Singular,
                ["namespaced"] = t.Namespaced,
                ["kind"] = t.Kind,
                ["verbs"] = new JsonArray([.. ResourceType.AllVerbs.Select(v => (JsonNode)JsonValue.Create(v))]),
                ["shortNames"] = t.ShortNames.Count > 0 ? new JsonArray([.. t.ShortNames.Select(s => (JsonNode)JsonValue.Create(s))]) : null,
                ["categories"] = t.Categories.Count > 0 ? new JsonArray([.. t.Categories.Select(s => (JsonNode)JsonValue.Create(s))]) : null,
            });
            foreach (var sub in t.Subresources)
            {
                resources.Add(Subresource(t, sub));
            }
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    private static JsonObject Subresource(ResourceType t, string sub)
    {
        var (kind, group, ver, verbs) = sub switch
        {
            "token" => ("TokenRequest", "authentication.k8s.io", "v1", new[] { "create" }),
            "eviction" => ("Eviction", "policy", "v1", new[] { "create" }),
            "binding" => ("Binding", "", "", new[] { "create" }),
            "log" => ("Pod", "", "", new[] { "get" }),
            "scale" => ("Scale", "autoscaling", "v1", new[] { "get", "patch", "update" }),
            "finalize" => (t.Kind, "", "", new[] { "update" }),
            _ => (t.Kind, "", "", new[] { "get", "patch", "update" }),
        };
        var node = new JsonObject
        {
            ["name"] = $"{t.Resource}/{sub}",
            ["singularName"] = "",
            ["namespaced"] = t.Namespaced,
            ["kind"] = kind,
            ["verbs"] = new JsonArray([.. verbs.Select(v => (JsonNode)JsonValue.Create(v))]),
        };
        if (group.Length > 0)
        {
            node["group"] = group;
            node["version"] = ver;
        }
        return node;
    }
}
