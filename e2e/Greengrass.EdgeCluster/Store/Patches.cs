using System.Text.Json.Nodes;

namespace Greengrass.EdgeCluster.Store;

/// <summary>The three patch formats kubectl and clients send: RFC 7386, RFC 6902 and strategic merge.</summary>
internal static class Patches
{
    /// <summary>List fields merged by a key in strategic merge patches of built-in kinds (from the Kubernetes API types).</summary>
    private static readonly Dictionary<string, string> MergeKeys = new(StringComparer.Ordinal)
    {
        ["containers"] = "name", ["initContainers"] = "name", ["ephemeralContainers"] = "name",
        ["env"] = "name", ["volumes"] = "name", ["volumeMounts"] = "mountPath", ["volumeDevices"] = "devicePath",
        ["ports"] = "containerPort", ["conditions"] = "type", ["imagePullSecrets"] = "name",
        ["ownerReferences"] = "uid", ["containerStatuses"] = "name", ["initContainerStatuses"] = "name",
        ["addresses"] = "type", ["hostAliases"] = "ip", ["topologySpreadConstraints"] = "topologyKey",
        ["readinessGates"] = "conditionType", ["resourceClaims"] = "name", ["taints"] = "key",
    };

    /// <summary>Primitive lists that strategic merge treats as sets (merged, not replaced).</summary>
    private static readonly HashSet<string> MergedPrimitiveLists = new(StringComparer.Ordinal) { "finalizers" };

    public static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject p)
        {
            return patch?.DeepClone();
        }
        var result = target is JsonObject t ? t : new JsonObject();
        foreach (var (key, value) in p.ToList())
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                var existing = result[key];
                result.Remove(key);
                result[key] = MergePatch(existing, value);
            }
        }
        return result;
    }

    public static JsonNode? StrategicMergePatch(JsonNode? target, JsonNode? patch, string field = "")
    {
        if (patch is not JsonObject p)
        {
            return patch?.DeepClone();
        }
        if (p["$patch"] is JsonValue directive && (string?)directive == "replace")
        {
            var copy = p.DeepClone().AsObject();
            copy.Remove("$patch");
            return copy;
        }
        var result = target is JsonObject t ? t : new JsonObject();
        foreach (var (key, value) in p.ToList())
        {
            if (key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal))
            {
                var name = key["$deleteFromPrimitiveList/".Length..];
                var remove = (value as JsonArray)?.Select(v => v?.ToJsonString()).ToHashSet() ?? [];
                if (result[name] is JsonArray list)
                {
                    result[name] = new JsonArray([.. list.Where(v => !remove.Contains(v?.ToJsonString())).Select(v => v?.DeepClone())]);
                }
                continue;
            }
            if (key.StartsWith('$'))
            {
                continue; // $setElementOrder, $retainKeys: ordering and pruning hints we do not need to honour
            }
            if (value is null)
            {
                result.Remove(key);
                continue;
            }
            var existing = result[key];
            result.Remove(key);
            result[key] = value is JsonArray patchList ? MergeList(key, existing as JsonArray, patchList) : StrategicMergePatch(existing, value, key);
        }
        return result;
    }

    private static JsonArray MergeList(string field, JsonArray? existing, JsonArray patch)
    {
        if (MergedPrimitiveLists.Contains(field))
        {
            var merged = existing?.Select(v => v?.DeepClone()).ToList() ?? [];
            foreach (var v in patch)
            {
                if (!merged.Any(m => m?.ToJsonString() == v?.ToJsonString()))
                {
                    merged.Add(v?.DeepClone());
                }
            }
            return new JsonArray([.. merged]);
        }
        if (!MergeKeys.TryGetValue(field, out var mergeKey) || !patch.All(i => i is JsonObject))
        {
            return new JsonArray([.. patch.Select(i => i?.DeepClone())]);
        }
        var items = existing?.Select(v => v?.DeepClone()).ToList() ?? [];
        foreach (var item in patch.Cast<JsonObject>())
        {
            var key = item[mergeKey]?.ToJsonString();
            var index = items.FindIndex(e => e is JsonObject o && o[mergeKey]?.ToJsonString() == key);
            if ((string?)item["$patch"] == "delete")
            {
                if (index >= 0)
                {
                    items.RemoveAt(index);
                }
                continue;
            }
            if (index >= 0)
            {
                items[index] = StrategicMergePatch(items[index], item, field);
            }
            else
            {
                items.Add(StrategicMergePatch(null, item, field));
            }
        }
        return new JsonArray([.. items]);
    }

    /// <summary>RFC 6902 JSON patch; a failed <c>test</c> or a missing path is a 422 like the API server's.</summary>
    public static JsonNode JsonPatch(JsonNode target, JsonNode patch)
    {
        if (patch is not JsonArray ops)
        {
            throw ApiException.BadRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        }
        var doc = target;
        foreach (var op in ops)
        {
            if (op is not JsonObject o || o["op"] is null || o["path"] is null)
            {
                throw ApiException.BadRequest("the JSON patch operation is missing \"op\" or \"path\"");
            }
            doc = ApplyOperation(doc, (string)o["op"]!, (string)o["path"]!, o);
        }
        return doc;
    }

    private static JsonNode ApplyOperation(JsonNode doc, string op, string path, JsonObject o)
    {
        switch (op)
        {
            case "add": return Add(doc, path, o["value"]?.DeepClone());
            case "remove": Remove(doc, path); return doc;
            case "replace": Remove(doc, path); return Add(doc, path, o["value"]?.DeepClone());
            case "move":
                {
                    var from = (string?)o["from"] ?? throw ApiException.BadRequest("move operation needs \"from\"");
                    var value = Resolve(doc, from)?.DeepClone();
                    Remove(doc, from);
                    return Add(doc, path, value);
                }
            case "copy":
                {
                    var from = (string?)o["from"] ?? throw ApiException.BadRequest("copy operation needs \"from\"");
                    return Add(doc, path, Resolve(doc, from)?.DeepClone());
                }
            case "test":
                if (Resolve(doc, path)?.ToJsonString() != o["value"]?.ToJsonString())
                {
                    throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: testing value {path} failed");
                }
                return doc;
            default:
                throw ApiException.BadRequest($"Unexpected kind: {op}");
        }
    }

    private static string[] Tokens(string path) =>
        path.Length == 0 ? [] : [.. path[1..].Split('/').Select(t => t.Replace("~1", "/").Replace("~0", "~"))];

    private static JsonNode? Resolve(JsonNode doc, string path)
    {
        JsonNode? node = doc;
        foreach (var t in Tokens(path))
        {
            node = node switch
            {
                JsonObject ob when ob.ContainsKey(t) => ob[t],
                JsonArray a when int.TryParse(t, out var i) && i >= 0 && i < a.Count => a[i],
                _ => throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: doc is missing path: \"{path}\""),
            };
        }
        return node;
    }

    private static (JsonNode Parent, string Last) Parent(JsonNode doc, string path)
    {
        var tokens = Tokens(path);
        if (tokens.Length == 0)
        {
            throw ApiException.BadRequest("a JSON patch may not replace the whole object");
        }
        var parentPath = path[..path.LastIndexOf('/')];
        return (Resolve(doc, parentPath) ?? throw new ApiException(422, "Invalid", $"doc is missing path: \"{path}\""), tokens[^1]);
    }

    private static JsonNode Add(JsonNode doc, string path, JsonNode? value)
    {
        var (parent, last) = Parent(doc, path);
        if (parent is JsonObject ob)
        {
            ob.Remove(last);
            ob[last] = value;
        }
        else if (parent is JsonArray a)
        {
            var index = last == "-" ? a.Count : int.TryParse(last, out var i) ? i : -1;
            if (index < 0 || index > a.Count)
            {
                throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: add operation does not apply: doc is missing path: \"{path}\"");
            }
            a.Insert(index, value);
        }
        return doc;
    }

    private static void Remove(JsonNode doc, string path)
    {
        _ = Resolve(doc, path);
        var (parent, last) = Parent(doc, path);
        if (parent is JsonObject ob)
        {
            ob.Remove(last);
        }
        else if (parent is JsonArray a)
        {
            a.RemoveAt(int.Parse(last));
        }
    }
}
