using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Greengrass.Operator.Runtime.Cache;

/// <summary>What changed in a cache; <c>Old</c> is set for updates and deletions.</summary>
public enum CacheEventType
{
    /// <summary>An object appeared.</summary>
    Added,

    /// <summary>An object changed.</summary>
    Modified,

    /// <summary>An object disappeared.</summary>
    Deleted,

    /// <summary>A periodic resync: nothing changed, look again.</summary>
    Resync,
}

/// <summary>One change seen by a cache.</summary>
public readonly record struct CacheEvent<T>(CacheEventType Type, T Object, T? Old);

/// <summary>Options of one cache.</summary>
public sealed class ResourceCacheOptions
{
    /// <summary>Limit to one namespace; null watches all.</summary>
    public string? Namespace { get; init; }

    /// <summary>Label selector applied server-side.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>Every this often every cached object is handed to the handlers again. Default 10 minutes; zero disables.</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>A watch with no event nor bookmark for this long is considered dead and restarted. Default 5 minutes.</summary>
    public TimeSpan WatchIdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Server-side timeout asked of each watch request (the server closes it, we re-watch). Default 5 minutes.</summary>
    public TimeSpan WatchServerTimeout { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// A list-then-watch cache of one resource type: lists, watches from the list's resourceVersion with
/// bookmarks, relists on 410, re-watches when a stream ends, restarts a silent watch, backs off with
/// jitter on errors, and resyncs on a timer. Handlers run on the cache's loop: keep them cheap
/// (map to keys and enqueue).
/// </summary>
public sealed partial class ResourceCache<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ConcurrentDictionary<string, T> _items = new();
    private readonly List<Action<CacheEvent<T>>> _handlers = [];
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ResourceClient _client;
    private readonly ResourceType _type;
    private readonly ResourceCacheOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private string _resourceVersion = string.Empty;

    /// <summary>Creates a cache; call <see cref="RunAsync"/> to fill it.</summary>
    public ResourceCache(ResourceClient client, ResourceType type, ResourceCacheOptions options, ILogger logger, TimeProvider time)
    {
        _client = client;
        _type = type;
        _options = options;
        _logger = logger;
        _time = time;
    }

    /// <summary>Completes once the first list has been loaded.</summary>
    public Task Synced => _synced.Task;

    /// <summary>Number of relists caused by 410 Gone (for tests and metrics).</summary>
    public int Relists { get; private set; }

    /// <summary>Registers a handler for every change; register before <see cref="RunAsync"/>.</summary>
    public void OnChange(Action<CacheEvent<T>> handler) => _handlers.Add(handler);

    /// <summary>The cached object named <paramref name="ns"/>/<paramref name="name"/>.</summary>
    public T? Get(string? ns, string name) => _items.GetValueOrDefault(KeyOf(ns, name));

    /// <summary>A snapshot of every cached object.</summary>
    public IReadOnlyList<T> List() => [.. _items.Values];

    /// <summary>Lists and watches until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        var needList = true;
        using var resync = _options.ResyncPeriod > TimeSpan.Zero
            ? _time.CreateTimer(_ => Resync(), null, _options.ResyncPeriod, _options.ResyncPeriod)
            : null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (needList)
                {
                    await RelistAsync(cancellationToken).ConfigureAwait(false);
                    needList = false;
                }

                await WatchOnceAsync(cancellationToken).ConfigureAwait(false);
                failures = 0;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ResourceVersionTooOldException ex)
            {
                LogGone(_logger, _type.Plural, ex.Message);
                Relists++;
                needList = true;
            }
            catch (Exception ex)
            {
                failures++;
                var delay = Backoff(failures);
                LogWatchError(_logger, ex, _type.Plural, delay.TotalMilliseconds);
                needList = failures > 1; // a second failure in a row may mean we missed events: relist
                try
                {
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task RelistAsync(CancellationToken cancellationToken)
    {
        var list = await _client.ListAsync<T>(_type, _options.Namespace, _options.LabelSelector, cancellationToken).ConfigureAwait(false);
        var seen = new HashSet<string>();
        foreach (var item in list.Items)
        {
            var key = KeyOf(item);
            seen.Add(key);
            Upsert(key, item);
        }

        foreach (var (key, old) in _items)
        {
            if (!seen.Contains(key) && _items.TryRemove(key, out _))
            {
                Notify(new CacheEvent<T>(CacheEventType.Deleted, old, old));
            }
        }

        _resourceVersion = list.ResourceVersion;
        _synced.TrySetResult();
    }

    private async Task WatchOnceAsync(CancellationToken cancellationToken)
    {
        // The watchdog cancels a watch that has gone silent (no event, no bookmark) for too long.
        using var watchdog = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        watchdog.CancelAfter(_options.WatchIdleTimeout);
        try
        {
            await foreach (var e in _client.WatchAsync<T>(_type, _options.Namespace, _options.LabelSelector, _resourceVersion,
                               _options.WatchServerTimeout, watchdog.Token).ConfigureAwait(false))
            {
                watchdog.CancelAfter(_options.WatchIdleTimeout);
                Apply(e);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogSilentWatch(_logger, _type.Plural, _options.WatchIdleTimeout.TotalSeconds);
        }
    }

    private void Apply(WatchEvent<T> e)
    {
        if (e.Status is { } status)
        {
            throw new InvalidOperationException($"watch of {_type.Plural} returned an error: {status.Code} {status.Reason} {status.Message}");
        }

        if (e.Object is not { } obj)
        {
            return;
        }

        _resourceVersion = obj.Metadata?.ResourceVersion ?? _resourceVersion;
        switch (e.Type)
        {
            case "ADDED" or "MODIFIED":
                Upsert(KeyOf(obj), obj);
                break;
            case "DELETED":
                if (_items.TryRemove(KeyOf(obj), out var old))
                {
                    Notify(new CacheEvent<T>(CacheEventType.Deleted, obj, old));
                }

                break;
            default:
                break; // BOOKMARK: only the resourceVersion moves
        }
    }

    private void Upsert(string key, T item)
    {
        T? old = null;
        _items.AddOrUpdate(key, item, (_, existing) =>
        {
            old = existing;
            return item;
        });
        if (old is null)
        {
            Notify(new CacheEvent<T>(CacheEventType.Added, item, null));
        }
        else if (old.Metadata?.ResourceVersion != item.Metadata?.ResourceVersion)
        {
            Notify(new CacheEvent<T>(CacheEventType.Modified, item, old));
        }
    }

    private void Resync()
    {
        foreach (var item in _items.Values)
        {
            Notify(new CacheEvent<T>(CacheEventType.Resync, item, item));
        }
    }

    private void Notify(CacheEvent<T> e)
    {
        foreach (var handler in _handlers)
        {
            handler(e);
        }
    }

    private static TimeSpan Backoff(int failures)
    {
        // 200 ms doubling to 30 s, with ±20 % jitter so that many caches do not retry in step.
        var baseMs = Math.Min(30_000, 200 * Math.Pow(2, Math.Min(failures - 1, 10)));
        return TimeSpan.FromMilliseconds(baseMs * (0.8 + (Random.Shared.NextDouble() * 0.4)));
    }

    private static string KeyOf(T item) => KeyOf(item.Metadata?.NamespaceProperty, item.Metadata?.Name ?? string.Empty);

    private static string KeyOf(string? ns, string name) => ns is null ? name : $"{ns}/{name}";

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Watch of {Resource} is too old ({Reason}); relisting")]
    private static partial void LogGone(ILogger logger, string resource, string reason);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Watch of {Resource} failed; retrying in {DelayMs:F0} ms")]
    private static partial void LogWatchError(ILogger logger, Exception exception, string resource, double delayMs);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Watch of {Resource} was silent for {Seconds} s; restarting it")]
    private static partial void LogSilentWatch(ILogger logger, string resource, double seconds);
}
