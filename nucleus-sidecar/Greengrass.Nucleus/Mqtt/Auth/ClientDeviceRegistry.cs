using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Mqtt.Auth;

/// <summary>
/// Maps a client certificate to the things it is attached to. The host provides it (the device plan carries the
/// ClientDevice certificates); an implementation throws <see cref="ClientDeviceRegistryUnavailableException"/> when
/// its source cannot be reached, so the caching layer can answer from disk.
/// </summary>
internal interface IClientDeviceRegistry
{
    ValueTask<IReadOnlyCollection<string>> GetThingsAsync(X509Certificate2 certificate, CancellationToken ct);
}

internal sealed class ClientDeviceRegistryUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>An in-memory registry filled from the device plan: thing name → certificates.</summary>
internal sealed class StaticClientDeviceRegistry : IClientDeviceRegistry
{
    private readonly ConcurrentDictionary<string, HashSet<string>> _thingsByFingerprint = new(StringComparer.Ordinal);

    public void Attach(string thingName, X509Certificate2 certificate)
    {
        var set = _thingsByFingerprint.GetOrAdd(Fingerprint(certificate), _ => []);
        lock (set)
        {
            set.Add(thingName);
        }
    }

    public void Detach(string thingName, X509Certificate2 certificate)
    {
        if (_thingsByFingerprint.TryGetValue(Fingerprint(certificate), out var set))
        {
            lock (set)
            {
                set.Remove(thingName);
            }
        }
    }

    public ValueTask<IReadOnlyCollection<string>> GetThingsAsync(X509Certificate2 certificate, CancellationToken ct)
    {
        if (!_thingsByFingerprint.TryGetValue(Fingerprint(certificate), out var set))
        {
            return ValueTask.FromResult<IReadOnlyCollection<string>>([]);
        }

        lock (set)
        {
            return ValueTask.FromResult<IReadOnlyCollection<string>>(set.ToArray());
        }
    }

    /// <summary>True when the certificate is attached to at least one thing: the device plan vouches for it.</summary>
    public bool IsAttached(X509Certificate2 certificate)
    {
        if (!_thingsByFingerprint.TryGetValue(Fingerprint(certificate), out var set))
        {
            return false;
        }

        lock (set)
        {
            return set.Count > 0;
        }
    }

    public static string Fingerprint(X509Certificate2 certificate) => certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);
}

/// <summary>
/// Remembers every answer of the inner registry on disk (atomic replace) so client devices keep connecting while
/// the source is unreachable, for at most <c>clientDeviceTrustDurationMinutes</c> after the last verification.
/// </summary>
internal sealed partial class CachingClientDeviceRegistry : IClientDeviceRegistry
{
    private readonly IClientDeviceRegistry _inner;
    private readonly string _path;
    private readonly TimeSpan _trustDuration;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<string, CacheEntry> _entries;

    public CachingClientDeviceRegistry(IClientDeviceRegistry inner, string path, TimeSpan trustDuration, TimeProvider time, ILogger logger)
    {
        _inner = inner;
        _path = path;
        _trustDuration = trustDuration;
        _time = time;
        _logger = logger;
        _entries = new ConcurrentDictionary<string, CacheEntry>(Load(path), StringComparer.Ordinal);
    }

    public async ValueTask<IReadOnlyCollection<string>> GetThingsAsync(X509Certificate2 certificate, CancellationToken ct)
    {
        var fingerprint = StaticClientDeviceRegistry.Fingerprint(certificate);
        try
        {
            var things = await _inner.GetThingsAsync(certificate, ct);
            var entry = new CacheEntry(things.ToArray(), _time.GetUtcNow());
            if (!_entries.TryGetValue(fingerprint, out var old) || !old.Things.SequenceEqual(entry.Things) ||
                entry.VerifiedAt - old.VerifiedAt > _trustDuration / 2)
            {
                _entries[fingerprint] = entry;
                await SaveAsync(ct);
            }

            return things;
        }
        catch (ClientDeviceRegistryUnavailableException e)
        {
            if (_entries.TryGetValue(fingerprint, out var cached) && _time.GetUtcNow() - cached.VerifiedAt <= _trustDuration)
            {
                LogAnsweredFromCache(_logger, fingerprint, e.Message);
                return cached.Things;
            }

            LogUnavailableNoCache(_logger, fingerprint, e.Message);
            return [];
        }
    }

    private async Task SaveAsync(CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct);
        try
        {
            await AtomicFile.WriteAsync(_path, JsonSerializer.SerializeToUtf8Bytes(_entries.ToDictionary()), ct);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private static Dictionary<string, CacheEntry> Load(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, CacheEntry>>(File.ReadAllBytes(path)) ?? [];
        }
        catch (JsonException)
        {
            // A damaged cache only costs the offline answers; the source rebuilds it.
            return [];
        }
    }

    internal sealed record CacheEntry(string[] Things, DateTimeOffset VerifiedAt);

    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "Client device registry unavailable; certificate {Fingerprint} answered from the on-disk cache ({Reason})")]
    private static partial void LogAnsweredFromCache(ILogger logger, string fingerprint, string reason);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "Client device registry unavailable and no trusted cache entry for certificate {Fingerprint}; denying ({Reason})")]
    private static partial void LogUnavailableNoCache(ILogger logger, string fingerprint, string reason);
}
