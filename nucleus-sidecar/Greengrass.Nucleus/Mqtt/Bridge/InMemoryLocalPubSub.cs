using System.Collections.Concurrent;
using MQTTnet;

namespace Greengrass.Nucleus.Mqtt.Bridge;

/// <summary>An in-process pub/sub bus with MQTT filter matching, until the IPC bus is wired in.</summary>
internal sealed class InMemoryLocalPubSub : ILocalPubSub
{
    private readonly ConcurrentDictionary<Guid, (string Filter, Func<PubSubMessage, CancellationToken, ValueTask> Handler)> _subscribers = new();

    public async ValueTask PublishAsync(PubSubMessage message, CancellationToken ct)
    {
        foreach (var (filter, handler) in _subscribers.Values)
        {
            if (MqttTopicFilterComparer.Compare(message.Topic, filter) == MqttTopicFilterCompareResult.IsMatch)
            {
                await handler(message, ct);
            }
        }
    }

    public IDisposable Subscribe(string topicFilter, Func<PubSubMessage, CancellationToken, ValueTask> handler)
    {
        var id = Guid.NewGuid();
        _subscribers[id] = (topicFilter, handler);
        return new Subscription(() => _subscribers.TryRemove(id, out _));
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
