namespace Greengrass.Nucleus.Mqtt.Bridge;

/// <summary>A message on the nucleus's local publish/subscribe bus (the IPC PublishToTopic/SubscribeToTopic bus).</summary>
internal sealed record PubSubMessage(string Topic, ReadOnlyMemory<byte> Payload);

/// <summary>
/// The seam to the local pub/sub bus that IPC components use. The IPC server provides the real implementation at
/// integration; <see cref="InMemoryLocalPubSub"/> stands in for it in standalone runs and tests.
/// </summary>
internal interface ILocalPubSub
{
    ValueTask PublishAsync(PubSubMessage message, CancellationToken ct);

    /// <summary>Subscribes with an MQTT-style filter; dispose the result to unsubscribe.</summary>
    IDisposable Subscribe(string topicFilter, Func<PubSubMessage, CancellationToken, ValueTask> handler);
}

/// <summary>A message received from or sent to upstream (AWS IoT Core or any MQTT broker standing in for it).</summary>
internal sealed record UpstreamMessage(string Topic, ReadOnlyMemory<byte> Payload, int Qos = 1, bool Retain = false);

/// <summary>
/// The seam to upstream MQTT (the IoT Core router of the IPC side: PublishToIoTCore / SubscribeToIoTCore).
/// Publishes go through the durable spool and the task completes once the message is durable, not delivered.
/// </summary>
internal interface IUpstreamMqtt
{
    Task PublishAsync(UpstreamMessage message, CancellationToken ct);

    /// <summary>Subscribes upstream (re-subscribed after every reconnect); dispose the result to unsubscribe.</summary>
    Task<IAsyncDisposable> SubscribeAsync(string topicFilter, Func<UpstreamMessage, CancellationToken, ValueTask> handler, CancellationToken ct);
}
