using System.Text.Json.Nodes;

namespace Greengrass.Nucleus.Contracts;

/// <summary>
/// The MQTT part of a device plan: the local broker for client devices, client device auth, the bridge, the
/// upstream connection and the spooler. The operator derives it the way Greengrass does (from the effective
/// configuration of <c>aws.greengrass.clientdevices.Auth</c>, <c>…mqtt.Bridge</c> and the broker component, from
/// the CoreDevice's <c>spec.mqtt</c>, and from the ClientDevices associated with the core device); it is revisioned
/// with the plan. Absent when the device runs none of these.
/// </summary>
public sealed record MqttPlan
{
    /// <summary>Well-known name of the client device auth component.</summary>
    public const string AuthComponent = "aws.greengrass.clientdevices.Auth";

    /// <summary>Well-known name of the MQTT bridge component.</summary>
    public const string BridgeComponent = "aws.greengrass.clientdevices.mqtt.Bridge";

    /// <summary>Well-known name of the MQTT 3.1.1 broker component.</summary>
    public const string MoquetteComponent = "aws.greengrass.clientdevices.mqtt.Moquette";

    /// <summary>Well-known name of the MQTT 5 broker component.</summary>
    public const string EmqxComponent = "aws.greengrass.clientdevices.mqtt.EMQX";

    /// <summary>The local broker; null when the plan contains no broker component.</summary>
    public MqttBrokerPlan? Broker { get; init; }

    /// <summary>Effective configuration of <c>aws.greengrass.clientdevices.Auth</c> (its <c>deviceGroups</c>); null without it.</summary>
    public JsonObject? Auth { get; init; }

    /// <summary>Client devices associated with the core device: the certificate → thing mapping, cached on the device for offline use.</summary>
    public IReadOnlyList<MqttClientDevicePlan> ClientDevices { get; set; } = [];

    /// <summary>Effective configuration of <c>aws.greengrass.clientdevices.mqtt.Bridge</c> (its <c>mqttTopicMapping</c>); null without it.</summary>
    public JsonObject? Bridge { get; init; }

    /// <summary>The upstream broker (the role of AWS IoT Core); null when the CoreDevice names none.</summary>
    public MqttUpstreamPlan? Upstream { get; init; }

    /// <summary>The spooler of messages bound upstream.</summary>
    public MqttSpoolerPlan Spooler { get; set; } = new();
}

/// <summary>The local MQTT broker client devices connect to over mutual TLS.</summary>
public sealed record MqttBrokerPlan
{
    /// <summary>The broker component the plan contains (Moquette or EMQX), for diagnostics.</summary>
    public required string Component { get; init; }

    /// <summary>TLS port; 8883 by default.</summary>
    public int Port { get; set; } = 8883;
}

/// <summary>A client device: its thing name and the certificate attached to it.</summary>
public sealed record MqttClientDevicePlan
{
    /// <summary>Thing name; the device connects with it as its MQTT client ID.</summary>
    public required string ThingName { get; init; }

    /// <summary>The device certificate in PEM (public material only).</summary>
    public required string CertificatePem { get; init; }
}

/// <summary>
/// The upstream broker. The credentials are never in the plan: the nucleus pod mounts the certificate Secret read-only
/// and names the mount directory in <c>GG_MQTT_UPSTREAM_DIR</c>; the file names here are relative to it.
/// </summary>
public sealed record MqttUpstreamPlan
{
    /// <summary>Host name or address of the upstream broker.</summary>
    public required string Host { get; init; }

    /// <summary>TLS port; 8883 by default.</summary>
    public int Port { get; set; } = 8883;

    /// <summary>MQTT client ID: the core device's thing name, as in Greengrass.</summary>
    public required string ClientId { get; init; }

    /// <summary>Client certificate file in the mounted Secret; <c>tls.crt</c> by default.</summary>
    public string CertificateFile { get; set; } = "tls.crt";

    /// <summary>Private key file in the mounted Secret; <c>tls.key</c> by default.</summary>
    public string PrivateKeyFile { get; set; } = "tls.key";

    /// <summary>CA certificate file (trust anchor of the upstream broker) in the mounted Secret; <c>ca.crt</c> by default.</summary>
    public string CaCertificateFile { get; set; } = "ca.crt";
}

/// <summary>The spooler of GREENGRASS.md §8.2 (<c>mqtt.spooler</c>).</summary>
public sealed record MqttSpoolerPlan
{
    /// <summary>Largest spool size in bytes; 2.5 MB by default.</summary>
    public long MaxSizeInBytes { get; set; } = 2_621_440;

    /// <summary>Whether QoS 0 messages are spooled while offline; false by default.</summary>
    public bool KeepQos0WhenOffline { get; set; }

    /// <summary>Memory (the Greengrass default) or Disk.</summary>
    public string StorageType { get; set; } = "Memory";
}
