using System.Buffers;
using System.Threading.Channels;
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
/// Client publishes bound for IotCore are awaited until durable in the spool before the broker acknowledges them;
/// those bound for Pubsub or LocalMqtt go through a bounded hand-off queue, so a slow IPC subscriber never delays a
/// device's PUBACK (in Greengrass the bridge is a separate subscriber of the broker and never sits in that path).
/// </summary>
internal sealed partial class MqttBridge : IHostedService, ILocalMqttListener, IAsyncDisposable
{
    private const int HandOffCapacity = 10_000;
    private int _disposed;
    private readonly IReadOnlyList<TopicMapping> _mappings;
    private readonly Channel<HandOff> _handOff = Channel.CreateBounded<HandOff>(
        new BoundedChannelOptions(HandOffCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _stopping = new();
    private Task? _handOffLoop;
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

        _handOffLoop = RouteHandOffsAsync(_stopping.Token);
        LogStarted(_logger, _mappings.Count);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Deliver what was already acknowledged to devices, unless the host gives up waiting.
        _handOff.Writer.TryComplete();
        if (_handOffLoop is { } loop)
        {
            await using (cancellationToken.Register(() => _stopping.Cancel()))
            {
                await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        _pubSubSubscriptions.ForEach(s => s.Dispose());
        _pubSubSubscriptions.Clear();
        foreach (var subscription in _upstreamSubscriptions)
        {
            await subscription.DisposeAsync();
        }

        _upstreamSubscriptions.Clear();
    }

    /// <summary>Client publishes on the local broker; awaited by the broker before it acknowledges QoS 1.</summary>
    public ValueTask<bool> OnPublishAsync(LocalMqttPublish publish, CancellationToken ct)
    {
        if (publish.ClientId == LocalMqttBroker.NucleusSenderId)
        {
            return ValueTask.FromResult(true);
        }

        // No LINQ here: this runs for every client publish, and most match no mapping.
        var topic = publish.Message.Topic;
        for (var i = 0; i < _mappings.Count; i++)
        {
            if (_mappings[i].Source == BridgeEndpoint.LocalMqtt && _mappings[i].Matches(topic))
            {
                return RouteFromLocalAsync(publish.Message, i, ct);
            }
        }

        return ValueTask.FromResult(true);
    }

    private async ValueTask<bool> RouteFromLocalAsync(MqttApplicationMessage message, int first, CancellationToken ct)
    {
        var accepted = true;
        var payload = message.Payload.ToArray();
        var qos = (int)message.QualityOfServiceLevel;
        for (var i = first; i < _mappings.Count; i++)
        {
            var mapping = _mappings[i];
            if (mapping.Source != BridgeEndpoint.LocalMqtt || !mapping.Matches(message.Topic))
            {
                continue;
            }

            if (mapping.Target == BridgeEndpoint.IotCore)
            {
                accepted &= await RouteCoreAsync(mapping, message.Topic, payload, qos, ct);
            }
            else
            {
                // A full queue holds the PUBACK back (back-pressure) instead of dropping an acknowledged message.
                var item = new HandOff(mapping, message.Topic, payload, qos);
                if (!_handOff.Writer.TryWrite(item))
                {
                    await _handOff.Writer.WriteAsync(item, ct);
                }
            }
        }

        return accepted;
    }

    private async Task RouteHandOffsAsync(CancellationToken ct)
    {
        await Task.Yield();
        try
        {
            await foreach (var item in _handOff.Reader.ReadAllAsync(ct))
            {
                try
                {
                    await RouteCoreAsync(item.Mapping, item.Topic, item.Payload, item.Qos, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One failed delivery (a throwing IPC subscriber) must not stop the bridge.
                    LogHandOffFailed(_logger, e, item.Mapping.Name, item.Topic);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping without waiting for the queue to drain.
        }
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
        _stopping.Dispose();
    }

    private sealed record HandOff(TopicMapping Mapping, string Topic, ReadOnlyMemory<byte> Payload, int Qos);

    [LoggerMessage(EventId = 7403, Level = LogLevel.Warning, Message = "Bridge mapping {Mapping} could not deliver a message from {Topic}")]
    private static partial void LogHandOffFailed(ILogger logger, Exception e, string mapping, string topic);

    [LoggerMessage(EventId = 7401, Level = LogLevel.Information, Message = "MQTT bridge started with {Count} topic mappings")]
    private static partial void LogStarted(ILogger logger, int count);

    [LoggerMessage(EventId = 7402, Level = LogLevel.Warning, Message = "Bridge mapping {Mapping} could not spool a message from {Topic}: {Reason}")]
    private static partial void LogSpoolRefused(ILogger logger, string mapping, string topic, string reason);
}
