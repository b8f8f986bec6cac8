using System.Text;
using System.Text.Json.Nodes;

namespace Greengrass.Nucleus.Shadows;

/// <summary>The merge of an accepted update into a document, its metadata, and the delta.</summary>
internal static partial class ShadowRules
{
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
