using System.Text.Json;
using System.Text.Json.Serialization;

namespace Greengrass.Nucleus.Ipc;

/// <summary>JSON conventions of the IPC payloads: lowerCamelCase, nulls omitted, blobs base64 (byte[]).</summary>
internal static class IpcJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly byte[] EmptyObject = "{}"u8.ToArray();

    /// <summary>Deserializes a request; a bad payload becomes InvalidArgumentsError naming the field.</summary>
    public static T Read<T>(ReadOnlyMemory<byte> payload, string operation)
        where T : class, new()
    {
        if (payload.IsEmpty)
        {
            return new T();
        }

        try
        {
            return JsonSerializer.Deserialize<T>(payload.Span, Options) ?? new T();
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "the request" : $"field '{ex.Path.TrimStart('$', '.')}'";
            throw IpcServiceException.InvalidArguments($"{operation}: {field} is not valid: {ex.Message}");
        }
    }

    public static byte[] Write<T>(T value) =>
        value is null ? EmptyObject : JsonSerializer.SerializeToUtf8Bytes(value, Options);

    /// <summary>Throws InvalidArgumentsError naming <paramref name="field"/> when it is missing.</summary>
    public static T Require<T>(T? value, string field)
        where T : class =>
        value is string { Length: 0 } || value is null
            ? throw IpcServiceException.InvalidArguments($"{field} is required")
            : value;
}
