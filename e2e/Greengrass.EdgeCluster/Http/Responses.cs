using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Greengrass.EdgeCluster.Resources;
using Greengrass.EdgeCluster.Store;
using Microsoft.AspNetCore.Http;

namespace Greengrass.EdgeCluster.Http;

/// <summary>Writes objects, lists and Status errors the way the API server frames them.</summary>
internal static class Responses
{
    public const string Json = "application/json";

    public static Task WriteJsonAsync(HttpContext http, int code, JsonNode node, CancellationToken ct)
    {
        http.Response.StatusCode = code;
        http.Response.ContentType = Json;
        return http.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(node), ct).AsTask();
    }

    public static async Task WriteObjectAsync(HttpContext http, int code, ResourceType t, StoredObject obj, CancellationToken ct)
    {
        http.Response.StatusCode = code;
        http.Response.ContentType = Json;
        await http.Response.Body.WriteAsync(Render(t, obj), ct);
    }

    public static Task WriteStatusAsync(HttpContext http, ApiException e, CancellationToken ct) =>
        WriteJsonAsync(http, e.Code, e.ToStatus(), ct);

    public static Task WriteSuccessAsync(HttpContext http, ResourceType t, string name, CancellationToken ct) =>
        WriteJsonAsync(http, 200, new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["details"] = new JsonObject { ["name"] = name, ["group"] = t.Group, ["kind"] = t.Resource },
        }, ct);

    /// <summary>The stored bytes, with apiVersion rewritten when a custom resource is read at another served version.</summary>
    public static ReadOnlyMemory<byte> Render(ResourceType t, StoredObject obj) =>
        obj.ApiVersion == t.ApiVersion ? obj.Bytes : WithApiVersion(t, obj.Parse());

    /// <summary>As <see cref="Render(ResourceType, StoredObject)"/>, for an object known only by its bytes (a watch event).</summary>
    public static ReadOnlyMemory<byte> Render(ResourceType t, ReadOnlyMemory<byte> bytes)
    {
        var obj = JsonNode.Parse(bytes.Span)!.AsObject();
        return (string?)obj["apiVersion"] == t.ApiVersion ? bytes : WithApiVersion(t, obj);
    }

    private static byte[] WithApiVersion(ResourceType t, JsonObject obj)
    {
        obj["apiVersion"] = t.ApiVersion;
        return JsonSerializer.SerializeToUtf8Bytes(obj);
    }

    public static async Task WriteListAsync(HttpContext http, ResourceType t, ListResult list, CancellationToken ct)
    {
        http.Response.StatusCode = 200;
        http.Response.ContentType = Json;
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", t.ListKind);
            writer.WriteString("apiVersion", t.ApiVersion);
            writer.WriteStartObject("metadata");
            writer.WriteString("resourceVersion", list.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (list.Continue is not null)
            {
                writer.WriteString("continue", list.Continue);
                writer.WriteNumber("remainingItemCount", list.RemainingItemCount ?? 0);
            }
            writer.WriteEndObject();
            writer.WriteStartArray("items");
            foreach (var item in list.Items)
            {
                writer.WriteRawValue(Render(t, item).Span, skipInputValidation: true);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(http.Response.Body, ct);
    }

    public static void AddWarnings(HttpContext http, IEnumerable<string> warnings)
    {
        foreach (var warning in warnings.Distinct())
        {
            var escaped = warning.Replace("\\", "\\\\").Replace("\"", "\\\"");
            http.Response.Headers.Append("Warning", $"299 - \"{escaped}\"");
        }
    }

    public static async Task WriteTextAsync(HttpContext http, string text, CancellationToken ct)
    {
        http.Response.StatusCode = 200;
        http.Response.ContentType = "text/plain";
        await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
    }
}
