using System.Buffers;
using Greengrass.Nucleus.Mqtt.Broker;
using Greengrass.Nucleus.Mqtt.Spool;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace Greengrass.Nucleus.Mqtt.Bridge;

/// <summary>
/// <c>aws.greengrass.clientdevices.mqtt.Bridge</c>: relays messages among the local broker, the local pub/sub bus
/// and upstream per <c>mqttTopicMapping</c>, prefixing the target topic with <c>targetTopicPrefix</c>. Messages the
/// bridge itself injects locally are not picked up again (no-local), which breaks LocalMqtt ↔ IotCore loops.
/// </summary>
internal sealed partial class MqttBridge : IHostedService, ILocalMqttListener, IAsyncDisposable
{
    private int _disposed;
    private readonly IReadOnlyList<TopicMapping> _mappings;
    private readonly LocalMqttBroker _broker;
    private readonly ILocalPubSub _pubSub;
    private readonly IUpstreamMqtt _upstream;
    private readonly ILogger _logger;
    private readonly List<IDisposable> _pubSubSubscriptions = [];
    private readonly List<IAsyncDisposable> _upstreamSubscriptions = [];

    public MqttBridge(IReadOnlyList<TopicMapping> mappings, LocalMqttBroker broker, ILocalPubSub pubSub, IUpstreamMqtt upstream, ILogger<MqttBridge> logger)
    {
        _mappings = mappings;
        _broker = broker;
        _pubSub = pubSub;
        _upstream = upstream;
        _logger = logger;
        broker.AddListener(this);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var mapping in _mappings)
        {
            switch (mapping.Source)
            {
                case BridgeEndpoint.Pubsub:
                    _pubSubSubscriptions.Add(_pubSub.Subscribe(mapping.Topic,
                        (m, ct) => RouteAsync(mapping, m.Topic, m.Payload, 1, ct)));
                    break;
                case BridgeEndpoint.IotCore:
                    _upstreamSubscriptions.Add(await _upstream.SubscribeAsync(mapping.Topic,
                        (m, ct) => RouteAsync(mapping, m.Topic, m.Payload, m.Qos, ct), cancellationToken));
                    break;
            }
        }

        LogStarted(_logger, _mappings.Count);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _pubSubSubscriptions.ForEach(s => s.Dispose());
        _pubSubSubscriptions.Clear();
        foreach (var subscription in _upstreamSubscriptions)
        {
            await subscription.DisposeAsync();
        }

        _upstreamSubscriptions.Clear();
    }

    /// <summary>Client publishes on the local broker; awaited by the broker before it acknowledges QoS 1.</summary>
    public async ValueTask<bool> OnPublishAsync(LocalMqttPublish publish, CancellationToken ct)
    {
        if (publish.ClientId == LocalMqttBroker.NucleusSenderId)
        {
            return true;
        }

        var accepted = true;
        var message = publish.Message;
        foreach (var mapping in _mappings.Where(m => m.Source == BridgeEndpoint.LocalMqtt && m.Matches(message.Topic)))
        {
            accepted &= await RouteCoreAsync(mapping, message.Topic, message.Payload.ToArray(), (int)message.QualityOfServiceLevel, ct);
        }

        return accepted;
    }

    private ValueTask RouteAsync(TopicMapping mapping, string topic, ReadOnlyMemory<byte> payload, int qos, CancellationToken ct) =>
        new(RouteCoreAsync(mapping, topic, payload, qos, ct));

    private async Task<bool> RouteCoreAsync(TopicMapping mapping, string topic, ReadOnlyMemory<byte> payload, int qos, CancellationToken ct)
    {
        var targetTopic = mapping.TargetTopic(topic);
        try
        {
            switch (mapping.Target)
            {
                case BridgeEndpoint.IotCore:
                    // The bridge always publishes to IoT Core with QoS 1, whatever the source QoS.
                    await _upstream.PublishAsync(new UpstreamMessage(targetTopic, payload, 1), ct);
                    break;
                case BridgeEndpoint.LocalMqtt:
                    await _broker.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(targetTopic).WithPayload(payload.ToArray())
                        .WithQualityOfServiceLevel((MqttQualityOfServiceLevel)Math.Min(qos, 1)).Build(), ct);
                    break;
                case BridgeEndpoint.Pubsub:
                    await _pubSub.PublishAsync(new PubSubMessage(targetTopic, payload), ct);
                    break;
            }

            return true;
        }
        catch (SpoolFullException e)
        {
            LogSpoolRefused(_logger, mapping.Name, topic, e.Message);
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Registered under several service types, so the container may dispose the same instance more than once.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await StopAsync(CancellationToken.None);
    }

    [LoggerMessage(EventId = 7401, Level = LogLevel.Information, Message = "MQTT bridge started with {Count} topic mappings")]
    private static partial void LogStarted(ILogger logger, int count);

    [LoggerMessage(EventId = 7402, Level = LogLevel.Warning, Message = "Bridge mapping {Mapping} could not spool a message from {Topic}: {Reason}")]
    private static partial void LogSpoolRefused(ILogger logger, string mapping, string topic, string reason);
}
