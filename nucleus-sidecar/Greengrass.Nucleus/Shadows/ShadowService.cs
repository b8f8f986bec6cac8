using System.Text.Json.Nodes;
using Greengrass.Nucleus.Ipc.Services;
using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Shadows;

/// <summary>The shadow operations, for the reply and the <c>$aws/things/…/shadow/…</c> notifications.</summary>
internal enum ShadowOperation
{
    Get,
    Update,
    Delete,
}

/// <summary>
/// The local shadow service of <c>aws.greengrass.ShadowManager</c>: documents kept by <see cref="ShadowStore"/>,
/// changed under one lock, and the notifications the real component publishes on the local pub/sub bus
/// (<c>…/update/accepted|rejected|delta|documents</c>, <c>…/get/accepted|rejected</c>, <c>…/delete/accepted|rejected</c>),
/// as binary messages from the publisher <see cref="ComponentName"/>. No cloud synchronization.
/// </summary>
internal sealed class ShadowService : IDisposable
{
    public const string ComponentName = "aws.greengrass.ShadowManager";
    private readonly ShadowStore _store;
    private readonly LocalPubSub _bus;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<(string Thing, string Shadow), ShadowDocument?> _cache = [];
    private bool _cleaned;
    private int _sizeLimit = ShadowRules.DefaultDocumentSizeLimit;

    public ShadowService(ShadowStore store, LocalPubSub bus, TimeProvider time, ILogger<ShadowService> logger)
    {
        _store = store;
        _bus = bus;
        _time = time;
        _logger = logger;
    }

    /// <summary>ShadowManager's <c>shadowDocumentSizeLimitBytes</c>: the largest desired + reported, in bytes.</summary>
    public int DocumentSizeLimit
    {
        get => Volatile.Read(ref _sizeLimit);
        set => Volatile.Write(ref _sizeLimit, value is >= 1 and <= ShadowRules.MaxDocumentSizeLimit
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"between 1 and {ShadowRules.MaxDocumentSizeLimit}"));
    }

    /// <summary>The topic prefix and authorization resource: <c>$aws/things/T/shadow</c> or <c>$aws/things/T/shadow/name/S</c>.</summary>
    public static string ShadowTopic(string thingName, string? shadowName) => string.IsNullOrEmpty(shadowName)
        ? $"$aws/things/{thingName}/shadow"
        : $"$aws/things/{thingName}/shadow/name/{shadowName}";

    public async Task<byte[]> GetAsync(string thingName, string shadowName, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var document = await LoadAsync(thingName, shadowName, ct);
            if (document is not { Exists: true })
            {
                throw NotFound(thingName, shadowName);
            }

            var payload = Bytes(document.ToResponse(Now()));
            Publish(thingName, shadowName, "get/accepted", payload);
            return payload;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<byte[]> UpdateAsync(string thingName, string shadowName, ReadOnlyMemory<byte> request, CancellationToken ct)
    {
        var limit = DocumentSizeLimit;
        var update = ShadowRules.ParseUpdate(request.Span, limit);
        await _gate.WaitAsync(ct);
        try
        {
            var current = await LoadAsync(thingName, shadowName, ct) ?? new ShadowDocument();
            var now = Now();
            var (next, metadata) = ShadowRules.Apply(current, update, now, limit);
            await _store.SaveAsync(thingName, shadowName, next, ct);
            _cache[(thingName, shadowName)] = next;
            ShadowLog.Updated(_logger, thingName, shadowName, next.Version);

            var response = WithToken(new JsonObject
            {
                ["state"] = update.State.DeepClone(),
                ["metadata"] = metadata,
                ["version"] = next.Version,
                ["timestamp"] = now,
            }, update.ClientToken);
            var payload = Bytes(response);
            PublishDelta(thingName, shadowName, next, update.ClientToken, now);
            Publish(thingName, shadowName, "update/documents", Bytes(Documents(current, next, update.ClientToken, now)));
            Publish(thingName, shadowName, "update/accepted", payload);
            return payload;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<byte[]> DeleteAsync(string thingName, string shadowName, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var current = await LoadAsync(thingName, shadowName, ct);
            if (current is not { Exists: true })
            {
                throw NotFound(thingName, shadowName);
            }

            var now = Now();
            var tombstone = new ShadowDocument { Version = current.Version, Timestamp = now, Deleted = true };
            await _store.SaveAsync(thingName, shadowName, tombstone, ct);
            _cache[(thingName, shadowName)] = tombstone;
            ShadowLog.Deleted(_logger, thingName, shadowName, current.Version);

            var payload = Bytes(new JsonObject { ["version"] = current.Version, ["timestamp"] = now });
            Publish(thingName, shadowName, "delete/accepted", payload);
            return payload;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Named shadows of a thing that exist now, ordered by name, from <paramref name="offset"/>.</summary>
    public async Task<IReadOnlyList<string>> ListNamedAsync(string thingName, int offset, int pageSize, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var names = new List<string>();
            foreach (var name in _store.ListNamed(thingName))
            {
                if (await LoadAsync(thingName, name, ct) is { Exists: true })
                {
                    names.Add(name);
                }
            }

            return [.. names.Skip(offset).Take(pageSize)];
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Publishes <c>…/&lt;op&gt;/rejected</c> with the error code and message, as ShadowManager does for a failed request.</summary>
    public void PublishRejected(string thingName, string? shadowName, ShadowOperation operation, ShadowErrorKind kind, string message, string? clientToken)
    {
        var op = OperationTopic(operation);
        ShadowLog.Rejected(_logger, op, thingName, shadowName ?? "", (int)kind, message);
        var body = WithToken(new JsonObject { ["code"] = (int)kind, ["message"] = message, ["timestamp"] = Now() }, clientToken);
        Publish(thingName, shadowName ?? "", op + "/rejected", Bytes(body));
    }

    public void Dispose() => _gate.Dispose();

    private async Task<ShadowDocument?> LoadAsync(string thingName, string shadowName, CancellationToken ct)
    {
        if (!_cleaned)
        {
            _store.Clean();
            _cleaned = true;
        }

        if (!_cache.TryGetValue((thingName, shadowName), out var document))
        {
            document = await _store.LoadAsync(thingName, shadowName, ct);
            _cache[(thingName, shadowName)] = document;
        }

        return document;
    }

    private void PublishDelta(string thingName, string shadowName, ShadowDocument next, string? clientToken, long now)
    {
        if (ShadowRules.Delta(next.Desired, next.Reported) is not { } delta)
        {
            return;
        }

        var body = WithToken(new JsonObject
        {
            ["state"] = delta.DeepClone(),
            ["metadata"] = ShadowRules.DeltaMetadata(delta, next.DesiredMetadata),
            ["version"] = next.Version,
            ["timestamp"] = now,
        }, clientToken);
        Publish(thingName, shadowName, "update/delta", Bytes(body));
    }

    private static JsonObject Documents(ShadowDocument previous, ShadowDocument current, string? clientToken, long now) => WithToken(new JsonObject
    {
        ["previous"] = previous.Exists ? Snapshot(previous) : null,
        ["current"] = Snapshot(current),
        ["timestamp"] = now,
    }, clientToken);

    private static JsonObject Snapshot(ShadowDocument document) => new()
    {
        ["state"] = document.StateNode(withDelta: false),
        ["metadata"] = document.MetadataNode(),
        ["version"] = document.Version,
    };

    private void Publish(string thingName, string shadowName, string suffix, byte[] payload) =>
        _bus.Publish(new PubSubMessage($"{ShadowTopic(thingName, shadowName)}/{suffix}", ComponentName, null, payload));

    private static JsonObject WithToken(JsonObject body, string? clientToken)
    {
        if (clientToken is not null)
        {
            body["clientToken"] = clientToken;
        }

        return body;
    }

    private static ShadowException NotFound(string thingName, string shadowName) => new(
        ShadowErrorKind.NotFound,
        string.IsNullOrEmpty(shadowName)
            ? $"No shadow exists with name: '{thingName}'"
            : $"No shadow exists with name: '{thingName}~{shadowName}'");

    private static string OperationTopic(ShadowOperation operation) => operation switch
    {
        ShadowOperation.Get => "get",
        ShadowOperation.Update => "update",
        _ => "delete",
    };

    private long Now() => _time.GetUtcNow().ToUnixTimeSeconds();

    private static byte[] Bytes(JsonNode node) => System.Text.Encoding.UTF8.GetBytes(node.ToJsonString());
}
