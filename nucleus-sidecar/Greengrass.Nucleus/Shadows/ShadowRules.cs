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
internal static class ShadowRules
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

    /// <summary>
    /// Applies an accepted update to <paramref name="current"/>: checks the version, merges desired and reported,
    /// stamps their metadata with <paramref name="now"/> and checks the size. Returns the new document and the
    /// metadata of what the request touched (the <c>metadata</c> of the response).
    /// </summary>
    public static (ShadowDocument Next, JsonObject Metadata) Apply(ShadowDocument current, ShadowUpdate update, long now, int sizeLimit)
    {
        if (update.ExpectedVersion is { } expected && expected != current.Version)
        {
            throw new ShadowException(ShadowErrorKind.Conflict, "Version conflict") { ClientToken = update.ClientToken };
        }

        var next = current.Exists ? current.Clone() : new ShadowDocument { Version = current.Version };
        next.Deleted = false;
        var metadata = new JsonObject();
        if (update.State.TryGetPropertyValue("desired", out var desired))
        {
            (next.Desired, next.DesiredMetadata) = MergeSection(next.Desired, next.DesiredMetadata, desired as JsonObject, now);
            metadata["desired"] = Stamp(desired, now);
        }

        if (update.State.TryGetPropertyValue("reported", out var reported))
        {
            (next.Reported, next.ReportedMetadata) = MergeSection(next.Reported, next.ReportedMetadata, reported as JsonObject, now);
            metadata["reported"] = Stamp(reported, now);
        }

        var size = StateSize(next);
        if (size > sizeLimit)
        {
            throw new ShadowException(
                ShadowErrorKind.PayloadTooLarge,
                $"The payload exceeds the maximum size allowed: the state would be {size} bytes, the limit is {sizeLimit}")
            { ClientToken = update.ClientToken };
        }

        next.Version = current.Version + 1;
        next.Timestamp = now;
        return (next, metadata);
    }

    /// <summary>Bytes of desired plus reported as compact JSON: what the size limit applies to.</summary>
    public static int StateSize(ShadowDocument document) =>
        (document.Desired is null ? 0 : Encoding.UTF8.GetByteCount(document.Desired.ToJsonString()))
        + (document.Reported is null ? 0 : Encoding.UTF8.GetByteCount(document.Reported.ToJsonString()));

    private static (JsonObject? State, JsonObject? Metadata) MergeSection(JsonObject? state, JsonObject? metadata, JsonObject? patch, long now)
    {
        if (patch is null)
        {
            // "desired": null removes the whole section.
            return (null, null);
        }

        state ??= [];
        metadata ??= [];
        Merge(state, metadata, patch, now);
        return state.Count == 0 ? (null, null) : (state, metadata);
    }

    /// <summary>Null removes a key, objects merge key by key, anything else (arrays included) replaces.</summary>
    private static void Merge(JsonObject target, JsonObject metadata, JsonObject patch, long now)
    {
        foreach (var (key, value) in patch)
        {
            if (value is null)
            {
                target.Remove(key);
                metadata.Remove(key);
            }
            else if (value is JsonObject patchObject && target[key] is JsonObject targetObject)
            {
                if (metadata[key] is not JsonObject childMetadata)
                {
                    childMetadata = [];
                    metadata[key] = childMetadata;
                }

                Merge(targetObject, childMetadata, patchObject, now);
                if (targetObject.Count == 0)
                {
                    target.Remove(key);
                    metadata.Remove(key);
                }
            }
            else
            {
                var copy = value.DeepClone();
                RemoveNulls(copy);
                target[key] = copy;
                metadata[key] = Stamp(copy, now);
            }
        }
    }

    private static void RemoveNulls(JsonNode node)
    {
        if (node is JsonObject obj)
        {
            foreach (var key in obj.Where(p => p.Value is null).Select(p => p.Key).ToList())
            {
                obj.Remove(key);
            }

            foreach (var (_, child) in obj)
            {
                RemoveNulls(child!);
            }
        }
    }

    /// <summary>Metadata mirroring <paramref name="value"/>: <c>{"timestamp": now}</c> per leaf, per array element.</summary>
    public static JsonNode Stamp(JsonNode? value, long now) => value switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)Stamp(p.Value, now)))),
        JsonArray array => new JsonArray([.. array.Select(e => (JsonNode?)Stamp(e, now))]),
        _ => new JsonObject { ["timestamp"] = now },
    };

    /// <summary>
    /// What desired asks that reported does not show: keys of desired missing from reported or with another value;
    /// objects compare key by key, arrays as a whole. Null when the two agree.
    /// </summary>
    public static JsonObject? Delta(JsonObject? desired, JsonObject? reported)
    {
        if (desired is null)
        {
            return null;
        }

        var delta = new JsonObject();
        foreach (var (key, want) in desired)
        {
            var have = reported?[key];
            if (want is JsonObject wantObject && have is JsonObject haveObject)
            {
                if (Delta(wantObject, haveObject) is { } child)
                {
                    delta[key] = child;
                }
            }
            else if (!JsonNode.DeepEquals(want, have))
            {
                delta[key] = want?.DeepClone();
            }
        }

        return delta.Count == 0 ? null : delta;
    }

    /// <summary>The metadata of the keys in <paramref name="delta"/>, taken from the desired metadata.</summary>
    public static JsonObject DeltaMetadata(JsonObject delta, JsonObject? desiredMetadata)
    {
        var metadata = new JsonObject();
        foreach (var (key, value) in delta)
        {
            var source = desiredMetadata?[key];
            metadata[key] = value is JsonObject child && source is JsonObject childMetadata
                ? DeltaMetadata(child, childMetadata)
                : source?.DeepClone();
        }

        return metadata;
    }
}
