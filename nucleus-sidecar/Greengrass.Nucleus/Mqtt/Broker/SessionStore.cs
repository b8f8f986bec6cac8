using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using MQTTnet.Server;
using Greengrass.Nucleus.Threading;

namespace Greengrass.Nucleus.Mqtt.Broker;

/// <summary>
/// Keeps persistent sessions (subscriptions, QoS 1/2 messages queued while the client is away) and retained
/// messages on disk so they survive a nucleus restart. MQTTnet holds the live state; this store only mirrors what
/// a restart would lose and replays it when a restored client reconnects.
/// </summary>
internal sealed class SessionStore(string directory, ILogger logger)
{
    private readonly ConcurrentDictionary<string, StoredSession> _stored = Load(directory);
    private readonly ConcurrentDictionary<string, bool> _liveInThisProcess = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _offline = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _lock = new(1, 1);

    private string StatePath => Path.Combine(directory, "sessions.json");

    private string RetainedPath => Path.Combine(directory, "retained.json");

    public void OnConnecting(string clientId, bool cleanSession, MqttProtocolVersion version, uint sessionExpiry)
    {
        var persistent = !cleanSession && (version != MqttProtocolVersion.V500 || sessionExpiry > 0);
        if (!persistent)
        {
            if (_stored.TryRemove(clientId, out _))
            {
                SaveState();
                File.Delete(QueuePath(clientId));
            }

            return;
        }

        _stored.TryAdd(clientId, new StoredSession());
    }

    public async Task OnConnectedAsync(MqttServer server, string clientId)
    {
        await ThreadPoolHop.Ensure(); // reads and deletes queue files: never on a socket thread
        _offline.TryRemove(clientId, out _);
        var restored = _liveInThisProcess.TryAdd(clientId, true);
        if (!_stored.TryGetValue(clientId, out var session))
        {
            return;
        }

        var queuePath = QueuePath(clientId);
        if (restored)
        {
            // MQTTnet lost this session with the previous process: give it back its subscriptions and queue.
            var filters = session.Snapshot().Select(s => new MqttTopicFilterBuilder()
                .WithTopic(s.Key).WithQualityOfServiceLevel((MqttQualityOfServiceLevel)s.Value).Build()).ToList();
            if (filters.Count > 0)
            {
                await server.SubscribeAsync(clientId, filters);
            }

            // Enqueue only: waiting for delivery here would block the very connection that has to deliver it.
            var status = await server.GetSessionAsync(clientId);
            foreach (var message in ReadQueue(queuePath))
            {
                status.TryEnqueueApplicationMessage(message, out _);
            }
        }

        File.Delete(queuePath);
    }

    public Task OnDisconnectedAsync(string clientId, uint sessionExpiry)
    {
        if (_stored.ContainsKey(clientId))
        {
            _offline[clientId] = true;
        }

        return Task.CompletedTask;
    }

    public async Task OnSubscribedAsync(string clientId, MqttTopicFilter filter)
    {
        if (_stored.TryGetValue(clientId, out var session))
        {
            session.Set(filter.Topic, (int)filter.QualityOfServiceLevel);
            await ThreadPoolHop.Ensure(); // SaveState fsyncs: never on a socket thread
            SaveState();
        }
    }

    public async Task OnUnsubscribedAsync(string clientId, string filter)
    {
        if (_stored.TryGetValue(clientId, out var session) && session.Remove(filter))
        {
            await ThreadPoolHop.Ensure(); // SaveState fsyncs: never on a socket thread
            SaveState();
        }
    }

    /// <summary>Appends a QoS 1/2 message to the disk queue of every offline persistent session it matches.</summary>
    public async Task OnPublishedAsync(MqttApplicationMessage message, CancellationToken ct)
    {
        if (_offline.IsEmpty || message.QualityOfServiceLevel == MqttQualityOfServiceLevel.AtMostOnce)
        {
            return;
        }

        foreach (var clientId in _offline.Keys)
        {
            if (_stored.TryGetValue(clientId, out var session) && session.WantsQueued(message.Topic))
            {
                await ThreadPoolHop.Ensure(); // the append fsyncs: not on the publisher's socket thread
                await AppendQueueAsync(QueuePath(clientId), message, ct);
            }
        }
    }

    public async Task SaveRetainedAsync(List<MqttApplicationMessage> retained)
    {
        await ThreadPoolHop.Ensure(); // runs inside a publish; the write ends in an fsync
        var records = retained.Select(m => new StoredMessage(m.Topic, m.Payload.ToArray(), (int)m.QualityOfServiceLevel)).ToList();
        await AtomicFile.WriteAsync(RetainedPath, JsonSerializer.SerializeToUtf8Bytes(records), CancellationToken.None);
    }

    public List<MqttApplicationMessage> LoadRetained()
    {
        if (!File.Exists(RetainedPath))
        {
            return [];
        }

        try
        {
            var records = JsonSerializer.Deserialize<List<StoredMessage>>(File.ReadAllBytes(RetainedPath)) ?? [];
            return records.Select(r => r.ToMessage(retain: true)).ToList();
        }
        catch (JsonException e)
        {
            logger.LogWarning(7010, e, "Ignoring unreadable retained message store {Path}", RetainedPath);
            return [];
        }
    }

    private async Task AppendQueueAsync(string path, MqttApplicationMessage message, CancellationToken ct)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(new StoredMessage(message.Topic, message.Payload.ToArray(), (int)message.QualityOfServiceLevel));
        await _lock.WaitAsync(ct);
        try
        {
            Directory.CreateDirectory(directory);
            await using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
            await stream.WriteAsync(line, ct);
            stream.WriteByte((byte)'\n');
            stream.Flush(flushToDisk: true);
        }
        finally
        {
            _lock.Release();
        }
    }

    private static IEnumerable<MqttApplicationMessage> ReadQueue(string path)
    {
        if (!File.Exists(path))
        {
            yield break;
        }

        foreach (var line in File.ReadLines(path))
        {
            StoredMessage? record = null;
            try
            {
                record = JsonSerializer.Deserialize<StoredMessage>(line);
            }
            catch (JsonException)
            {
                // A line torn by a crash is the last one; everything before it is whole.
            }

            if (record is not null)
            {
                yield return record.ToMessage(retain: false);
            }
        }
    }

    private void SaveState()
    {
        lock (_stored)
        {
            var snapshot = _stored.ToDictionary(s => s.Key, s => s.Value.Snapshot());
            AtomicFile.Write(StatePath, JsonSerializer.SerializeToUtf8Bytes(snapshot));
        }
    }

    private string QueuePath(string clientId) =>
        Path.Combine(directory, "queue-" + Convert.ToHexString(Encoding.UTF8.GetBytes(clientId)) + ".jsonl");

    private static ConcurrentDictionary<string, StoredSession> Load(string directory)
    {
        var path = Path.Combine(directory, "sessions.json");
        var result = new ConcurrentDictionary<string, StoredSession>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return result;
        }

        var state = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, int>>>(File.ReadAllBytes(path)) ?? [];
        foreach (var (clientId, subscriptions) in state)
        {
            result[clientId] = new StoredSession(subscriptions);
        }

        return result;
    }

    internal sealed record StoredMessage(string Topic, byte[] Payload, int Qos)
    {
        public MqttApplicationMessage ToMessage(bool retain) => new MqttApplicationMessageBuilder()
            .WithTopic(Topic).WithPayload(Payload).WithQualityOfServiceLevel((MqttQualityOfServiceLevel)Qos).WithRetainFlag(retain).Build();
    }

    private sealed class StoredSession(Dictionary<string, int>? subscriptions = null)
    {
        private readonly Dictionary<string, int> _subscriptions = subscriptions ?? new Dictionary<string, int>(StringComparer.Ordinal);

        public Dictionary<string, int> Snapshot()
        {
            lock (_subscriptions)
            {
                return new Dictionary<string, int>(_subscriptions, StringComparer.Ordinal);
            }
        }

        /// <summary>Whether a QoS 1/2 subscription matches the topic; checked under the lock, without copying.</summary>
        public bool WantsQueued(string topic)
        {
            lock (_subscriptions)
            {
                foreach (var (filter, qos) in _subscriptions)
                {
                    if (qos > 0 && MqttTopicFilterComparer.Compare(topic, filter) == MqttTopicFilterCompareResult.IsMatch)
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        public void Set(string filter, int qos)
        {
            lock (_subscriptions)
            {
                _subscriptions[filter] = qos;
            }
        }

        public bool Remove(string filter)
        {
            lock (_subscriptions)
            {
                return _subscriptions.Remove(filter);
            }
        }
    }
}
