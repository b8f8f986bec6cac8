using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Greengrass.Nucleus.Shadows;

/// <summary>A validated update request: the sections it touches, the expected version and the client token.</summary>
internal sealed record ShadowUpdate(JsonObject State, long? ExpectedVersion, string? ClientToken)
{
    public bool HasDesired => State.ContainsKey("desired");

    public bool HasReported => State.ContainsKey("reported");
}

/// <summary>
/// The document rules of the AWS IoT Device Shadow service as the Greengrass ShadowManager applies them locally:
/// name rules, request validation (depth, size, version), the merge of an update and the delta. Pure: no I/O.
/// </summary>
internal static partial class ShadowRules
{
    public const int MaxThingNameLength = 128;
    public const int MaxShadowNameLength = 64;
    public const int MaxStateDepth = 6;
    public const int MaxClientTokenLength = 64;

    /// <summary>Default of ShadowManager's <c>shadowDocumentSizeLimitBytes</c>.</summary>
    public const int DefaultDocumentSizeLimit = 8192;

    /// <summary>Largest <c>shadowDocumentSizeLimitBytes</c> ShadowManager accepts.</summary>
    public const int MaxDocumentSizeLimit = 30720;

    /// <summary>
    /// ShadowManager's <c>shadowDocumentSizeLimitBytes</c> (a number or a numeric string): absent is the default,
    /// null means the value is not a whole number between 1 and <see cref="MaxDocumentSizeLimit"/>.
    /// </summary>
    public static int? ParseDocumentSizeLimit(JsonNode? value)
    {
        if (value is null)
        {
            return DefaultDocumentSizeLimit;
        }

        var text = value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
        return int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var limit)
               && limit is >= 1 and <= MaxDocumentSizeLimit
            ? limit
            : null;
    }

    /// <summary>Thing names: 1–128 of <c>[a-zA-Z0-9:_-]</c>.</summary>
    public static void ValidateThingName(string? thingName)
    {
        if (string.IsNullOrEmpty(thingName))
        {
            throw ShadowException.Invalid("thingName is required");
        }

        ValidateName("thingName", thingName, MaxThingNameLength);
    }

    /// <summary>Shadow names: empty (the classic shadow) or 1–64 of <c>[a-zA-Z0-9:_-]</c>.</summary>
    public static void ValidateShadowName(string? shadowName)
    {
        if (!string.IsNullOrEmpty(shadowName))
        {
            ValidateName("shadowName", shadowName, MaxShadowNameLength);
        }
    }

    private static void ValidateName(string field, string value, int maxLength)
    {
        if (value.Length > maxLength)
        {
            throw ShadowException.Invalid($"{field} has a maximum length of {maxLength}");
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not (':' or '_' or '-'))
            {
                throw ShadowException.Invalid($"{field} must match [a-zA-Z0-9:_-]+; '{c}' is not allowed");
            }
        }
    }

    /// <summary>Parses and validates an UpdateThingShadow payload; every problem names the field.</summary>
    public static ShadowUpdate ParseUpdate(ReadOnlySpan<byte> payload, int sizeLimit)
    {
        if (payload.IsEmpty)
        {
            throw ShadowException.Invalid("payload is required");
        }

        if (payload.Length > sizeLimit)
        {
            throw new ShadowException(ShadowErrorKind.PayloadTooLarge, $"The payload exceeds the maximum size allowed ({sizeLimit} bytes)");
        }

        JsonObject request;
        try
        {
            request = JsonNode.Parse(payload) as JsonObject ?? throw ShadowException.Invalid("payload must be a JSON object");
        }
        catch (JsonException ex)
        {
            throw ShadowException.Invalid($"payload is not valid JSON: {ex.Message}");
        }

        var clientToken = ReadClientToken(request);
        try
        {
            return new ShadowUpdate(ReadState(request), ReadVersion(request), clientToken);
        }
        catch (ShadowException ex)
        {
            throw new ShadowException(ex.Kind, ex.Message) { ClientToken = clientToken };
        }
    }

    private static string? ReadClientToken(JsonObject request)
    {
        if (request["clientToken"] is not { } node)
        {
            return null;
        }

        if (node.GetValueKind() != JsonValueKind.String)
        {
            throw ShadowException.Invalid("clientToken must be a string");
        }

        var token = node.GetValue<string>();
        return token.Length > MaxClientTokenLength
            ? throw ShadowException.Invalid($"clientToken has a maximum length of {MaxClientTokenLength}")
            : token;
    }

    private static long? ReadVersion(JsonObject request)
    {
        if (request["version"] is not { } node)
        {
            return null;
        }

        return node.GetValueKind() == JsonValueKind.Number && node.AsValue().TryGetValue<long>(out var version) && version >= 0
            ? version
            : throw ShadowException.Invalid("version must be a whole number of at least 0");
    }

    private static JsonObject ReadState(JsonObject request)
    {
        foreach (var (name, _) in request)
        {
            if (name is not ("state" or "clientToken" or "version" or "metadata" or "timestamp"))
            {
                throw ShadowException.Invalid($"payload has an unknown field '{name}' (allowed: state, clientToken, version)");
            }
        }

        if (request["state"] is not JsonObject state)
        {
            throw ShadowException.Invalid("state is required and must be an object with desired and/or reported");
        }

        if (state.Count == 0)
        {
            throw ShadowException.Invalid("state must hold desired and/or reported");
        }

        foreach (var (name, value) in state)
        {
            if (name is not ("desired" or "reported"))
            {
                throw ShadowException.Invalid($"state.{name} is not allowed: only state.desired and state.reported can be updated");
            }

            if (value is not (null or JsonObject))
            {
                throw ShadowException.Invalid($"state.{name} must be an object or null");
            }

            if (value is not null && Depth(value) > MaxStateDepth)
            {
                throw ShadowException.Invalid($"state.{name}: JSON contains too many levels of nesting; maximum is {MaxStateDepth}");
            }
        }

        return (JsonObject)state.DeepClone();
    }

    /// <summary>Levels of nesting: <c>{"a":1}</c> is 1, <c>{"a":{"b":1}}</c> is 2; arrays count as a level.</summary>
    public static int Depth(JsonNode? node) => node switch
    {
        JsonObject obj => 1 + obj.Select(p => Depth(p.Value)).DefaultIfEmpty(0).Max(),
        JsonArray array => 1 + array.Select(Depth).DefaultIfEmpty(0).Max(),
        _ => 0,
    };
}
