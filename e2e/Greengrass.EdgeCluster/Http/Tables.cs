using System.Globalization;
using System.Text.Json.Nodes;
using Greengrass.EdgeCluster.Resources;
using Greengrass.EdgeCluster.Store;
using Microsoft.AspNetCore.Http;

namespace Greengrass.EdgeCluster.Http;

/// <summary>meta.k8s.io/v1 Table responses for <c>kubectl get</c>: Name plus the type's printer columns.</summary>
internal static class Tables
{
    public static bool Wanted(HttpContext http) =>
        http.Request.Headers.Accept.Any(a => a is not null && a.Contains("as=Table", StringComparison.Ordinal));

    public static JsonObject Build(ResourceType t, IEnumerable<JsonObject> objects, long resourceVersion, string? continueToken, string? includeObject, DateTimeOffset now)
    {
        var columns = new JsonArray(Column("Name", "string", "name", "Name must be unique within a namespace.", 0));
        foreach (var c in t.PrinterColumns)
        {
            columns.Add(Column(c.Name, c.Type, c.Format ?? "", c.Description, c.Priority));
        }
        var rows = new JsonArray([.. objects.Select(o => (JsonNode)Row(t, o, includeObject, now))]);
        var meta = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) };
        if (continueToken is not null)
        {
            meta["continue"] = continueToken;
        }
        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = meta,
            ["columnDefinitions"] = columns,
            ["rows"] = rows,
        };
    }

    private static JsonObject Column(string name, string type, string format, string description, int priority) => new()
    {
        ["name"] = name, ["type"] = type, ["format"] = format, ["description"] = description, ["priority"] = priority,
    };

    private static JsonObject Row(ResourceType t, JsonObject obj, string? includeObject, DateTimeOffset now)
    {
        var cells = new JsonArray(JsonValue.Create(Meta.Name(obj)));
        foreach (var c in t.PrinterColumns)
        {
            cells.Add(Cell(c, obj, now));
        }
        JsonNode? embedded = includeObject switch
        {
            "None" => null,
            "Object" => obj.DeepClone(),
            _ => new JsonObject
            {
                ["kind"] = "PartialObjectMetadata",
                ["apiVersion"] = "meta.k8s.io/v1",
                ["metadata"] = obj["metadata"]?.DeepClone(),
            },
        };
        return new JsonObject { ["cells"] = cells, ["object"] = embedded };
    }

    private static JsonNode? Cell(PrinterColumn c, JsonObject obj, DateTimeOffset now)
    {
        var value = c.JsonPath.StartsWith("__", StringComparison.Ordinal) ? Computed(c.JsonPath, obj) : JsonPathLite.Evaluate(obj, c.JsonPath);
        if (c.Type == "date" && Meta.ParseTimestamp(value) is { } ts)
        {
            return HumanDuration(now - ts);
        }
        return value?.DeepClone() ?? (c.Type is "integer" or "number" ? null : JsonValue.Create("<none>"));
    }

    private static JsonNode? Computed(string name, JsonObject obj)
    {
        var statuses = obj["status"]?["containerStatuses"]?.AsArray() ?? [];
        return name switch
        {
            "__ready" => $"{statuses.Count(s => s?["ready"]?.GetValue<bool>() == true)}/{obj["spec"]?["containers"]?.AsArray().Count ?? 0}",
            "__restarts" => statuses.Sum(s => Meta.Long(s?["restartCount"]) ?? 0),
            "__datacount" => (obj["data"] as JsonObject)?.Count ?? 0,
            "__nodeready" => (obj["status"]?["conditions"]?.AsArray() ?? []).Any(c => (string?)c?["type"] == "Ready" && (string?)c["status"] == "True") ? "Ready" : "NotReady",
            "__roles" => "<none>",
            _ => null,
        };
    }

    /// <summary>The short age format kubectl prints: 45s, 5m10s, 3h, 2d.</summary>
    public static string HumanDuration(TimeSpan d)
    {
        var s = Math.Max(0, (long)d.TotalSeconds);
        return s switch
        {
            < 120 => $"{s}s",
            < 600 => s % 60 == 0 ? $"{s / 60}m" : $"{s / 60}m{s % 60}s",
            < 3 * 3600 => $"{s / 60}m",
            < 8 * 3600 => (s / 60) % 60 == 0 ? $"{s / 3600}h" : $"{s / 3600}h{(s / 60) % 60}m",
            < 48 * 3600 => $"{s / 3600}h",
            < 8 * 86400 => (s / 3600) % 24 == 0 ? $"{s / 86400}d" : $"{s / 86400}d{(s / 3600) % 24}h",
            < 2 * 365 * 86400 => $"{s / 86400}d",
            _ => $"{s / (365 * 86400)}y",
        };
    }
}

/// <summary>The JSONPath subset printer columns use: <c>.a.b</c>, <c>.a[0]</c>, <c>.a[?(@.type=="Ready")].status</c>.</summary>
internal static class JsonPathLite
{
    public static JsonNode? Evaluate(JsonNode? root, string path)
    {
        var node = root;
        var i = 0;
        path = path.Trim().TrimStart('{').TrimEnd('}');
        while (i < path.Length && node is not null)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                node = node is JsonObject o ? o[path[(i + 1)..end]] : null;
                i = end;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                if (end < 0)
                {
                    return null;
                }
                node = Index(node, path[(i + 1)..end]);
                i = end + 1;
            }
            else
            {
                return null;
            }
        }
        return node;
    }

    private static JsonNode? Index(JsonNode node, string inner)
    {
        if (node is not JsonArray a)
        {
            return null;
        }
        if (int.TryParse(inner, out var n))
        {
            return n >= 0 && n < a.Count ? a[n] : null;
        }
        if (inner.StartsWith("?(@.", StringComparison.Ordinal) && inner.EndsWith(')'))
        {
            var cond = inner[4..^1];
            var eq = cond.IndexOf("==", StringComparison.Ordinal);
            if (eq < 0)
            {
                return null;
            }
            var field = cond[..eq].Trim();
            var expected = cond[(eq + 2)..].Trim().Trim('"', '\'');
            return a.FirstOrDefault(item => item is JsonObject o && Meta.Str(o[field]) == expected);
        }
        return null;
    }
}
