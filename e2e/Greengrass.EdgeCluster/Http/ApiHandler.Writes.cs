using System.Text.Json.Nodes;
using Greengrass.EdgeCluster.Resources;
using Greengrass.EdgeCluster.Store;
using Microsoft.AspNetCore.Http;

namespace Greengrass.EdgeCluster.Http;

internal sealed partial class ApiHandler
{
    private async Task CreateAsync(HttpContext http, ApiPath path, CancellationToken ct)
    {
        if (path.Type.Namespaced && path.Namespace is null)
        {
            throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource: create a namespaced resource under /namespaces/{namespace}");
        }
        var body = RequireObject(await ReadBodyAsync(http, ct));
        switch (path.Subresource)
        {
            case "token":
                await WriteTokenAsync(http, path, body, ct);
                return;
            case "binding":
                Bind(path, body);
                await Responses.WriteSuccessAsync(http, path.Type, path.Name!, ct);
                return;
            case "eviction":
                store.Delete(path.Type, path.Namespace, path.Name!, new DeleteOptions());
                await Responses.WriteSuccessAsync(http, path.Type, path.Name!, ct);
                return;
        }
        CheckKind(path.Type, body);
        var ctx = Context(http);
        var created = store.Create(path.Type, path.Namespace, body, ctx);
        Responses.AddWarnings(http, ctx.Warnings);
        await Responses.WriteObjectAsync(http, 201, path.Type, created, ct);
    }

    private async Task UpdateAsync(HttpContext http, ApiPath path, CancellationToken ct)
    {
        var body = RequireObject(await ReadBodyAsync(http, ct));
        CheckKind(path.Type, body);
        var ctx = Context(http);
        var updated = store.Update(path.Type, path.Namespace, path.Name!, body, path.Subresource == "status", ctx);
        Responses.AddWarnings(http, ctx.Warnings);
        await Responses.WriteObjectAsync(http, 200, path.Type, updated, ct);
    }

    private async Task PatchAsync(HttpContext http, ApiPath path, CancellationToken ct)
    {
        var contentType = (http.Request.ContentType ?? "").Split(';')[0].Trim();
        var patch = await ReadBodyAsync(http, ct);
        var ctx = Context(http);
        Func<JsonObject, JsonObject> change = contentType switch
        {
            "application/json-patch+json" => current => RequireObject(Patches.JsonPatch(current, patch)),
            "application/merge-patch+json" => current => RequireObject(Patches.MergePatch(current, patch)),
            "application/strategic-merge-patch+json" when path.Type.IsCustom => current => RequireObject(Patches.MergePatch(current, patch)),
            "application/strategic-merge-patch+json" => current => RequireObject(Patches.StrategicMergePatch(current, patch)),
            "application/apply-patch+yaml" => current => RequireObject(Patches.MergePatch(current, patch)),
            _ => throw new ApiException(415, "UnsupportedMediaType",
                $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json"),
        };
        StoredObject result;
        if (contentType == "application/apply-patch+yaml" && store.Get(path.Type, path.Namespace, path.Name!) is null)
        {
            // Server-side apply of an absent object creates it (field ownership is not tracked).
            var body = RequireObject(patch.DeepClone());
            Meta.Of(body)["name"] = path.Name;
            result = store.Create(path.Type, path.Namespace, body, ctx);
            Responses.AddWarnings(http, ctx.Warnings);
            await Responses.WriteObjectAsync(http, 201, path.Type, result, ct);
            return;
        }
        result = store.Mutate(path.Type, path.Namespace, path.Name!, change, path.Subresource == "status", ctx);
        Responses.AddWarnings(http, ctx.Warnings);
        await Responses.WriteObjectAsync(http, 200, path.Type, result, ct);
    }

    private async Task DeleteAsync(HttpContext http, ApiPath path, CancellationToken ct)
    {
        var options = await DeleteOptionsAsync(http, ct);
        var (obj, gone) = store.Delete(path.Type, path.Namespace, path.Name!, options);
        if (gone && path.Type.StorageKey != "/pods")
        {
            await Responses.WriteSuccessAsync(http, path.Type, path.Name!, ct);
            return;
        }
        await Responses.WriteObjectAsync(http, gone ? 200 : 202, path.Type, obj, ct);
    }

    private async Task DeleteCollectionAsync(HttpContext http, ApiPath path, CancellationToken ct)
    {
        var options = await DeleteOptionsAsync(http, ct);
        var q = http.Request.Query;
        var list = store.List(path.Type, path.Namespace, Selector.ParseLabels(q["labelSelector"]), Selector.ParseFields(q["fieldSelector"]), 0, null);
        foreach (var item in list.Items)
        {
            try
            {
                store.Delete(path.Type, item.Namespace, item.Name, options);
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // deleted concurrently: the goal is reached
            }
        }
        await Responses.WriteJsonAsync(http, 200, new JsonObject
        {
            ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success",
        }, ct);
    }

    private static async Task<DeleteOptions> DeleteOptionsAsync(HttpContext http, CancellationToken ct)
    {
        var q = http.Request.Query;
        JsonObject body = [];
        if (http.Request.ContentLength > 0 || http.Request.Headers.TransferEncoding.Count > 0)
        {
            body = RequireObject(await ReadBodyAsync(http, ct));
        }
        long? grace = Meta.Long(body["gracePeriodSeconds"]) ?? (string.IsNullOrEmpty(q["gracePeriodSeconds"]) ? null : ParseInt(q["gracePeriodSeconds"], "gracePeriodSeconds"));
        var policy = (string?)body["propagationPolicy"] ?? NullIfEmpty(q["propagationPolicy"]);
        if (policy is null && body["orphanDependents"]?.GetValue<bool>() == true)
        {
            policy = "Orphan";
        }
        var dryRun = q["dryRun"].Count > 0 || body["dryRun"] is JsonArray { Count: > 0 };
        return new DeleteOptions(grace, policy, (string?)body["preconditions"]?["uid"], (string?)body["preconditions"]?["resourceVersion"], dryRun);
    }

    private static WriteContext Context(HttpContext http)
    {
        var q = http.Request.Query;
        var mode = (string?)q["fieldValidation"] switch
        {
            null or "" or "Warn" => FieldValidation.Warn,
            "Strict" => FieldValidation.Strict,
            "Ignore" => FieldValidation.Ignore,
            var other => throw ApiException.BadRequest($"fieldValidation: Unsupported value: \"{other}\": supported values: \"Ignore\", \"Strict\", \"Warn\""),
        };
        var dryRun = (string?)q["dryRun"] switch
        {
            null or "" => false,
            "All" => true,
            var other => throw ApiException.BadRequest($"dryRun: Unsupported value: \"{other}\": supported values: \"All\""),
        };
        return new WriteContext { FieldValidation = mode, DryRun = dryRun };
    }

    private static JsonObject RequireObject(JsonNode? node) =>
        node as JsonObject ?? throw ApiException.BadRequest($"the request body must be a JSON object, not {node?.GetValueKind().ToString().ToLowerInvariant() ?? "null"}");

    private static void CheckKind(ResourceType t, JsonObject body)
    {
        var kind = (string?)(body["kind"] as JsonValue);
        var apiVersion = (string?)(body["apiVersion"] as JsonValue);
        if ((kind is not null && kind != t.Kind) || (apiVersion is not null && apiVersion.Split('/')[0] != t.ApiVersion.Split('/')[0] && apiVersion != t.ApiVersion))
        {
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) and kind ({kind}) do not match the resource {t.QualifiedResource} ({t.ApiVersion}, {t.Kind})");
        }
    }

    private void Bind(ApiPath path, JsonObject binding)
    {
        var node = (string?)binding["target"]?["name"] ?? throw ApiException.BadRequest("binding target.name is required");
        store.Mutate(path.Type, path.Namespace, path.Name!, pod =>
        {
            if (pod["spec"]?["nodeName"] is JsonValue assigned && (string?)assigned is { Length: > 0 } existing)
            {
                throw new ApiException(409, "Conflict", $"Operation cannot be fulfilled on pods/binding \"{path.Name}\": pod {path.Name} is already assigned to node \"{existing}\"");
            }
            pod["spec"]!["nodeName"] = node;
            return pod;
        }, false, new WriteContext());
    }

    private async Task WriteTokenAsync(HttpContext http, ApiPath path, JsonObject request, CancellationToken ct)
    {
        store.GetRequired(path.Type, path.Namespace, path.Name!);
        var seconds = Meta.Long(request["spec"]?["expirationSeconds"]) ?? 3600;
        var (token, expires) = tokens.Issue(path.Namespace!, path.Name!, TimeSpan.FromSeconds(Math.Max(600, seconds)));
        request["kind"] = "TokenRequest";
        request["apiVersion"] = "authentication.k8s.io/v1";
        request["status"] = new JsonObject { ["token"] = token, ["expirationTimestamp"] = Meta.Timestamp(expires) };
        await Responses.WriteJsonAsync(http, 201, request, ct);
    }
}
