using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Greengrass.EdgeCluster.Tests.Support;

/// <summary>Helpers shared by the semantics tests: unique names, namespaces, CRDs and raw Status reading.</summary>
public static class TestObjects
{
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    public static async Task<string> NamespaceAsync(Kubernetes k)
    {
        var name = Unique("ec-test");
        await k.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    public static V1ConfigMap ConfigMap(string name, Dictionary<string, string>? labels = null, Dictionary<string, string>? data = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Data = data ?? new Dictionary<string, string> { ["k"] = "v" },
    };

    /// <summary>A namespaced CRD <c>widgets.{group}</c> with a schema, a status subresource (optional) and printer columns.</summary>
    public static string WidgetCrdJson(string group, bool statusSubresource = true) => $$"""
        {
          "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
          "metadata": { "name": "widgets.{{group}}" },
          "spec": {
            "group": "{{group}}", "scope": "Namespaced",
            "names": { "plural": "widgets", "singular": "widget", "kind": "Widget", "shortNames": ["wdg"] },
            "versions": [{
              "name": "v1", "served": true, "storage": true,
              {{(statusSubresource ? "\"subresources\": { \"status\": {} }," : "")}}
              "additionalPrinterColumns": [
                { "name": "Size", "type": "integer", "jsonPath": ".spec.size" },
                { "name": "Phase", "type": "string", "jsonPath": ".status.phase" }
              ],
              "schema": { "openAPIV3Schema": {
                "type": "object",
                "properties": {
                  "spec": {
                    "type": "object", "required": ["size"],
                    "properties": {
                      "size": { "type": "integer", "minimum": 1, "maximum": 10 },
                      "color": { "type": "string", "enum": ["red", "blue"], "default": "red" },
                      "name": { "type": "string", "pattern": "^[a-z]+$", "maxLength": 8 },
                      "port": { "x-kubernetes-int-or-string": true },
                      "tags": { "type": "array", "maxItems": 2, "items": { "type": "string" } },
                      "extra": { "type": "object", "x-kubernetes-preserve-unknown-fields": true }
                    }
                  },
                  "status": { "type": "object", "properties": { "phase": { "type": "string" } } }
                }
              } }
            }]
          }
        }
        """;

    public static async Task CreateWidgetCrdAsync(Kubernetes k, string group, bool statusSubresource = true)
    {
        var crd = KubernetesJson.Deserialize<V1CustomResourceDefinition>(WidgetCrdJson(group, statusSubresource));
        await k.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        // A real API server takes a moment to serve a new CRD; the emulator serves it at once.
        await Eventually.True(async () =>
        {
            try
            {
                await k.CustomObjects.ListNamespacedCustomObjectAsync(group, "v1", "default", "widgets");
                return true;
            }
            catch (HttpOperationException)
            {
                return false;
            }
        }, $"widgets.{group} to be served");
    }

    public static JsonObject Widget(string group, string name, int size, JsonObject? extraSpec = null)
    {
        var spec = new JsonObject { ["size"] = size };
        foreach (var (key, value) in extraSpec ?? [])
        {
            spec[key] = value?.DeepClone();
        }
        return new JsonObject
        {
            ["apiVersion"] = $"{group}/v1",
            ["kind"] = "Widget",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = spec,
        };
    }

    public static JsonObject ToNode(object result) => JsonNode.Parse(JsonSerializer.Serialize(result))!.AsObject();

    /// <summary>The Status object of a failed call, parsed from the response body.</summary>
    public static JsonObject StatusOf(HttpOperationException e) => JsonNode.Parse(e.Response.Content)!.AsObject();

    public static async Task<HttpOperationException> FailsAsync(Func<Task> call)
    {
        return await Assert.ThrowsAsync<HttpOperationException>(call);
    }
}
