using MQTTnet;

namespace Greengrass.Nucleus.Mqtt.Broker;

/// <summary>What the broker hands to in-process listeners (the bridge) for every authorized client publish.</summary>
internal sealed record LocalMqttPublish(string ClientId, MqttApplicationMessage Message);

/// <summary>
/// An in-process consumer of client publishes. The broker awaits it before acknowledging a QoS 1/2 publish, so a
/// listener that returns only after the message is durable gives "acknowledged only when durable".
/// </summary>
internal interface ILocalMqttListener
{
    /// <summary>Returns false when the message could not be taken (for example a full spool).</summary>
    ValueTask<bool> OnPublishAsync(LocalMqttPublish publish, CancellationToken ct);
}
