namespace Greengrass.Nucleus.Ipc.Services;

/// <summary>An MQTT message to or from AWS IoT Core, as PublishToIoTCore and IoTCoreMessage carry it.</summary>
internal sealed record IotCoreMessage(
    string TopicName,
    byte[] Payload,
    bool Retain = false,
    IReadOnlyList<IotCoreUserProperty>? UserProperties = null,
    long? MessageExpiryIntervalSeconds = null,
    byte[]? CorrelationData = null,
    string? ResponseTopic = null,
    string? PayloadFormat = null,
    string? ContentType = null);

/// <summary>An MQTT 5 user property.</summary>
internal sealed record IotCoreUserProperty(string Key, string Value);

/// <summary>
/// Where PublishToIoTCore goes and SubscribeToIoTCore listens. A nucleus with an MQTT upstream uses
/// <c>Mqtt.Bridge.UpstreamIotCoreRouter</c>; otherwise <see cref="LocalBusIotCoreRouter"/> keeps the traffic on the device.
/// </summary>
internal interface IIotCoreRouter
{
    ValueTask PublishAsync(IotCoreMessage message, int qos, CancellationToken cancellationToken);

    /// <summary>Subscribes with an MQTT filter; dispose the result to unsubscribe.</summary>
    ValueTask<IDisposable> SubscribeAsync(string topicFilter, int qos, Action<IotCoreMessage> deliver, CancellationToken cancellationToken);
}

/// <summary>
/// Router when no MQTT upstream is configured: a PublishToIoTCore is delivered to the SubscribeToIoTCore
/// subscribers of this device through a <see cref="LocalPubSub"/> reserved for that purpose.
/// </summary>
internal sealed class LocalBusIotCoreRouter : IIotCoreRouter
{
    private const string Publisher = "aws.greengrass.ipc.mqttproxy";
    private readonly LocalPubSub _bus;

    public LocalBusIotCoreRouter(LocalPubSub bus)
    {
        _bus = bus;
    }

    public ValueTask PublishAsync(IotCoreMessage message, int qos, CancellationToken cancellationToken)
    {
        _bus.Publish(new PubSubMessage(message.TopicName, Publisher, null, message.Payload) { Attachment = message });
        return ValueTask.CompletedTask;
    }

    public ValueTask<IDisposable> SubscribeAsync(string topicFilter, int qos, Action<IotCoreMessage> deliver, CancellationToken cancellationToken)
    {
        var subscription = _bus.Subscribe(topicFilter, Publisher + "/subscriber", receiveOwn: true, message =>
        {
            if (message.Attachment is IotCoreMessage iotCore)
            {
                deliver(iotCore);
            }
        });
        return ValueTask.FromResult(subscription);
    }
}
