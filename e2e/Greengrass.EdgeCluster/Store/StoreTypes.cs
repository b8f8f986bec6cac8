using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Greengrass.EdgeCluster.Store;

/// <summary>
/// One entry of the event log that watches replay from; <paramref name="Key"/> is the object's store key. A struct: the
/// log keeps its events in a ring (<see cref="EventLog"/>), not as an object each.
/// </summary>
internal readonly record struct StoreEvent(long ResourceVersion, string Type, string StorageKey, string? Namespace, string Key, StoredObject? Old, StoredObject New)
{
    public ReadOnlyMemory<byte> Bytes => New.Bytes;
}

/// <summary>What a watch stream sends: an event type and the object's bytes.</summary>
internal readonly record struct WatchOut(string Type, ReadOnlyMemory<byte> Bytes, long ResourceVersion);

/// <summary>How unknown fields are handled, per the <c>fieldValidation</c> query parameter.</summary>
internal enum FieldValidation { Ignore, Warn, Strict }

/// <summary>Per-request write options and the warnings the write produced.</summary>
internal sealed class WriteContext
{
    public FieldValidation FieldValidation { get; init; } = FieldValidation.Warn;
    public bool DryRun { get; init; }
    public List<string> Warnings { get; } = [];
}

/// <summary>Delete options from the query string or a DeleteOptions body.</summary>
internal sealed record DeleteOptions(long? GracePeriodSeconds = null, string? PropagationPolicy = null,
    string? PreconditionUid = null, string? PreconditionResourceVersion = null, bool DryRun = false);

/// <summary>One page of a list.</summary>
internal sealed record ListResult(IReadOnlyList<StoredObject> Items, long ResourceVersion, string? Continue, long? RemainingItemCount);

/// <summary>Size and retention limits of the store.</summary>
internal sealed class StoreOptions
{
    /// <summary>How many events the log retains for watch resumption; older versions get 410 Gone.</summary>
    public int WatchWindow { get; set; } = 10_000;

    /// <summary>Largest object accepted, in bytes (etcd's default request limit is 1.5 MiB).</summary>
    public int MaxObjectBytes { get; set; } = 1_572_864;
}

/// <summary>A live watch: the filter and the channel its events go to.</summary>
internal sealed class WatchSubscription(string storageKey, string? ns, Selector labels, Selector fields, Action<WatchSubscription> unregister) : IDisposable
{
    public string StorageKey { get; } = storageKey;
    public string? Namespace { get; } = ns;
    public Channel<WatchOut> Channel { get; } = System.Threading.Channels.Channel.CreateUnbounded<WatchOut>(new() { SingleReader = true });
    /// <summary>Version the stream was current at when it started (for the initial-events-end bookmark).</summary>
    public long StartResourceVersion { get; set; }

    /// <summary>Matches from the stored summary; only a field selector on a path outside it parses the object.</summary>
    public bool Matches(StoredObject obj) => labels.Matches(obj) && fields.Matches(obj);

    public void Dispose()
    {
        unregister(this);
        Channel.Writer.TryComplete();
    }
}

/// <summary>Type-specific defaulting and validation, run inside the write before commit.</summary>
internal interface IAdmission
{
    /// <summary>Validates and defaults <paramref name="obj"/>; <paramref name="old"/> is null on create.</summary>
    void Admit(Resources.ResourceType type, JsonObject? old, JsonObject obj, bool statusWrite, WriteContext context);
}

/// <summary>Where committed changes are persisted (the <c>--state-dir</c> append log).</summary>
internal interface IStateLog
{
    void Append(string storageKey, string key, long resourceVersion, ReadOnlyMemory<byte>? bytes);
}
