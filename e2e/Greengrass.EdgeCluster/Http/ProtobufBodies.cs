using System.Text;
using System.Text.Json.Nodes;
using Greengrass.EdgeCluster.Store;

namespace Greengrass.EdgeCluster.Http;

/// <summary>
/// Decodes Kubernetes protobuf request bodies (the <c>k8s\0</c> envelope) for the few kinds that
/// typed client-go clients send that way — Secret, ConfigMap, Namespace, ServiceAccount — so that
/// Helm's release storage and <c>kubectl create</c> work. Responses are always JSON, which those
/// clients also accept. Any other kind is 415, and the client is expected to send JSON.
/// </summary>
internal static class ProtobufBodies
{
    private static readonly byte[] Magic = [0x6b, 0x38, 0x73, 0x00];

    public static JsonObject Decode(byte[] body)
    {
        if (body.Length < 4 || !body.AsSpan(0, 4).SequenceEqual(Magic))
        {
            throw ApiException.BadRequest("the protobuf body does not start with the Kubernetes envelope");
        }
        string? apiVersion = null, kind = null;
        byte[]? raw = null;
        foreach (var (field, value) in Fields(body.AsMemory(4)))
        {
            if (field == 1)
            {
                foreach (var (f, v) in Fields(value))
                {
                    apiVersion = f == 1 ? Str(v) : apiVersion;
                    kind = f == 2 ? Str(v) : kind;
                }
            }
            else if (field == 2)
            {
                raw = value.ToArray();
            }
        }
        var obj = kind switch
        {
            "Secret" => Secret(raw ?? []),
            "ConfigMap" => ConfigMap(raw ?? []),
            "Namespace" => Namespace(raw ?? []),
            "ServiceAccount" => WithMetadataOnly(raw ?? []),
            "DeleteOptions" => DeleteOptions(raw ?? []),
            _ => throw new ApiException(415, "UnsupportedMediaType", $"protobuf bodies of kind {kind} are not supported; send application/json"),
        };
        obj["apiVersion"] = apiVersion;
        obj["kind"] = kind;
        return obj;
    }

    private static JsonObject Secret(byte[] raw)
    {
        var obj = new JsonObject();
        var data = new JsonObject();
        var stringData = new JsonObject();
        foreach (var (field, value) in Fields(raw))
        {
            switch (field)
            {
                case 1: obj["metadata"] = ObjectMeta(value); break;
                case 2: MapEntry(value, data, v => Convert.ToBase64String(v.Span)); break;
                case 3: obj["type"] = Str(value); break;
                case 4: MapEntry(value, stringData, Str); break;
            }
        }
        obj["data"] = data.Count > 0 ? data : null;
        obj["stringData"] = stringData.Count > 0 ? stringData : null;
        return obj;
    }

    private static JsonObject ConfigMap(byte[] raw)
    {
        var obj = new JsonObject();
        var data = new JsonObject();
        var binary = new JsonObject();
        foreach (var (field, value) in Fields(raw))
        {
            switch (field)
            {
                case 1: obj["metadata"] = ObjectMeta(value); break;
                case 2: MapEntry(value, data, Str); break;
                case 3: MapEntry(value, binary, v => Convert.ToBase64String(v.Span)); break;
            }
        }
        obj["data"] = data.Count > 0 ? data : null;
        obj["binaryData"] = binary.Count > 0 ? binary : null;
        return obj;
    }

    private static JsonObject Namespace(byte[] raw)
    {
        var obj = WithMetadataOnly(raw);
        foreach (var (field, value) in Fields(raw))
        {
            if (field == 2)
            {
                var finalizers = new JsonArray();
                foreach (var (f, v) in Fields(value))
                {
                    if (f == 1)
                    {
                        finalizers.Add(Str(v));
                    }
                }
                obj["spec"] = new JsonObject { ["finalizers"] = finalizers };
            }
        }
        return obj;
    }

    private static JsonObject WithMetadataOnly(byte[] raw)
    {
        var obj = new JsonObject();
        foreach (var (field, value) in Fields(raw))
        {
            if (field == 1)
            {
                obj["metadata"] = ObjectMeta(value);
            }
        }
        return obj;
    }

    private static JsonObject ObjectMeta(ReadOnlyMemory<byte> raw)
    {
        var meta = new JsonObject();
        var labels = new JsonObject();
        var annotations = new JsonObject();
        var finalizers = new JsonArray();
        var owners = new JsonArray();
        foreach (var (field, value) in Fields(raw))
        {
            switch (field)
            {
                case 1: meta["name"] = Str(value); break;
                case 2: meta["generateName"] = Str(value); break;
                case 3: meta["namespace"] = Str(value); break;
                case 5: meta["uid"] = Str(value); break;
                case 6: meta["resourceVersion"] = Str(value); break;
                case 11: MapEntry(value, labels, Str); break;
                case 12: MapEntry(value, annotations, Str); break;
                case 13: owners.Add(OwnerReference(value)); break;
                case 14: finalizers.Add(Str(value)); break;
            }
        }
        meta["labels"] = labels.Count > 0 ? labels : null;
        meta["annotations"] = annotations.Count > 0 ? annotations : null;
        meta["finalizers"] = finalizers.Count > 0 ? finalizers : null;
        meta["ownerReferences"] = owners.Count > 0 ? owners : null;
        foreach (var key in meta.Where(p => p.Value is null || (p.Value is JsonValue v && v.ToString().Length == 0)).Select(p => p.Key).ToList())
        {
            meta.Remove(key);
        }
        return meta;
    }

    private static JsonObject OwnerReference(ReadOnlyMemory<byte> raw)
    {
        var owner = new JsonObject();
        foreach (var (field, value) in Fields(raw))
        {
            switch (field)
            {
                case 1: owner["kind"] = Str(value); break;
                case 3: owner["name"] = Str(value); break;
                case 4: owner["uid"] = Str(value); break;
                case 5: owner["apiVersion"] = Str(value); break;
                case 6: owner["controller"] = Number(value) != 0; break;
                case 7: owner["blockOwnerDeletion"] = Number(value) != 0; break;
            }
        }
        return owner;
    }

    private static void MapEntry(ReadOnlyMemory<byte> entry, JsonObject target, Func<ReadOnlyMemory<byte>, string> value)
    {
        string? key = null;
        var text = "";
        foreach (var (field, v) in Fields(entry))
        {
            if (field == 1)
            {
                key = Str(v);
            }
            else if (field == 2)
            {
                text = value(v);
            }
        }
        if (key is not null)
        {
            target[key] = text;
        }
    }

    private static JsonObject DeleteOptions(byte[] raw)
    {
        var obj = new JsonObject();
        foreach (var (field, value) in Fields(raw))
        {
            switch (field)
            {
                case 1: obj["gracePeriodSeconds"] = Number(value); break;
                case 2:
                    var pre = new JsonObject();
                    foreach (var (f, v) in Fields(value))
                    {
                        pre[f == 1 ? "uid" : "resourceVersion"] = Str(v);
                    }
                    obj["preconditions"] = pre;
                    break;
                case 3: obj["orphanDependents"] = Number(value) != 0; break;
                case 4: obj["propagationPolicy"] = Str(value); break;
                case 5: obj["dryRun"] = new JsonArray(Str(value)); break;
            }
        }
        return obj;
    }

    private static long Number(ReadOnlyMemory<byte> value) => value.Length == 8 ? BitConverter.ToInt64(value.Span) : 0;

    private static string Str(ReadOnlyMemory<byte> value) => Encoding.UTF8.GetString(value.Span);

    /// <summary>Walks a protobuf message: length-delimited fields yield their bytes, varints their 8-byte little-endian value.</summary>
    private static List<(int Field, ReadOnlyMemory<byte> Value)> Fields(ReadOnlyMemory<byte> message)
    {
        var result = new List<(int, ReadOnlyMemory<byte>)>();
        var span = message.Span;
        var i = 0;
        while (i < span.Length)
        {
            var tag = Varint(span, ref i);
            var field = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0:
                    var v = Varint(span, ref i);
                    result.Add((field, BitConverter.GetBytes(v)));
                    break;
                case 2:
                    var length = (int)Varint(span, ref i);
                    if (length < 0 || i + length > span.Length)
                    {
                        throw ApiException.BadRequest("the protobuf body is truncated");
                    }
                    result.Add((field, message.Slice(i, length)));
                    i += length;
                    break;
                case 1: i += 8; break;
                case 5: i += 4; break;
                default: throw ApiException.BadRequest($"the protobuf body has an unsupported wire type {tag & 7}");
            }
        }
        return result;
    }

    private static ulong Varint(ReadOnlySpan<byte> span, ref int i)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (i >= span.Length)
            {
                throw ApiException.BadRequest("the protobuf body is truncated");
            }
            var b = span[i++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
        throw ApiException.BadRequest("the protobuf body has a malformed varint");
    }
}
