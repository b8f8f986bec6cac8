using System.Globalization;
using System.Text.Json.Nodes;
using Greengrass.Api;
using Greengrass.Nucleus.Contracts;

namespace Greengrass.Operator.Devices;

/// <summary>The MQTT section of a plan, or why there can be none (the message names the field).</summary>
internal sealed record MqttPlanResult(MqttPlan? Plan, string? Error);

/// <summary>
/// Derives the MQTT section of a device plan the Greengrass way: client device auth from the effective configuration
/// of <c>aws.greengrass.clientdevices.Auth</c>, the topic mapping from <c>…mqtt.Bridge</c>, the broker from
/// <c>…mqtt.Moquette</c> (its <c>moquette.ssl_port</c>) or <c>…mqtt.EMQX</c> with <c>spec.mqtt.port</c> overriding,
/// the upstream and the spooler from <c>spec.mqtt</c>, the certificate → thing mapping from the associated
/// ClientDevices. Pure.
/// </summary>
internal static class MqttPlanBuilder
{
    /// <summary>Where the nucleus pod mounts the upstream certificate Secret (read-only).</summary>
    public const string UpstreamMountPath = "/etc/greengrass/mqtt-upstream";

    /// <summary>The nucleus pod's environment variable naming <see cref="UpstreamMountPath"/>.</summary>
    public const string UpstreamDirEnv = "GG_MQTT_UPSTREAM_DIR";

    public static MqttPlanResult Build(CoreDevice device, IReadOnlyList<PlannedComponent> components, IReadOnlyList<MqttClientDevicePlan> clientDevices)
    {
        var spec = device.Spec.Mqtt;
        var auth = components.FirstOrDefault(c => c.Name == MqttPlan.AuthComponent);
        var bridge = components.FirstOrDefault(c => c.Name == MqttPlan.BridgeComponent);
        var (broker, brokerError) = BrokerOf(components, spec?.Port);
        if (brokerError is not null)
        {
            return new MqttPlanResult(null, brokerError);
        }

        if (broker is null && auth is null && bridge is null && spec?.Upstream is null)
        {
            return new MqttPlanResult(null, null);
        }

        var (upstream, upstreamError) = UpstreamOf(device);
        if (upstreamError is not null)
        {
            return new MqttPlanResult(null, upstreamError);
        }

        var mappings = bridge?.Configuration["mqttTopicMapping"] as JsonObject;
        if (MappingError(mappings, broker, upstream) is { } mappingError)
        {
            return new MqttPlanResult(null, mappingError);
        }

        var hostsClients = broker is not null || auth is not null;
        return new MqttPlanResult(new MqttPlan
        {
            Broker = broker,
            Auth = auth is null ? null : (JsonObject)auth.Configuration.DeepClone(),
            ClientDevices = hostsClients ? [.. clientDevices.OrderBy(c => c.ThingName, StringComparer.Ordinal)] : [],
            Bridge = mappings is null ? null : new JsonObject { ["mqttTopicMapping"] = mappings.DeepClone() },
            Upstream = upstream,
            Spooler = new MqttSpoolerPlan
            {
                MaxSizeInBytes = spec?.Spooler?.MaxSizeInBytes ?? 2_621_440,
                KeepQos0WhenOffline = spec?.Spooler?.KeepQos0WhenOffline ?? false,
                StorageType = spec?.Spooler?.StorageType ?? SpoolerStorageTypes.Memory,
            },
        }, null);
    }

    /// <summary>The Secret the nucleus pod mounts for the upstream connection: the upstream's own, else the device identity's.</summary>
    public static string? UpstreamSecretName(CoreDeviceSpec spec) =>
        spec.Mqtt?.Upstream is null ? null : spec.Mqtt.Upstream.CertificateSecretRef?.Name ?? spec.Identity?.CertificateSecretRef?.Name;

    private static (MqttBrokerPlan? Broker, string? Error) BrokerOf(IReadOnlyList<PlannedComponent> components, int? portOverride)
    {
        if (components.FirstOrDefault(c => c.Name == MqttPlan.MoquetteComponent) is { } moquette)
        {
            if (portOverride is { } port)
            {
                return (new MqttBrokerPlan { Component = moquette.Name, Port = port }, null);
            }

            var configured = moquette.Configuration["moquette"]?["ssl_port"];
            return configured is null
                ? (new MqttBrokerPlan { Component = moquette.Name }, null)
                : PortOf(configured) is { } sslPort
                    ? (new MqttBrokerPlan { Component = moquette.Name, Port = sslPort }, null)
                    : (null, $"component {moquette.Name}: configuration moquette.ssl_port: '{configured.ToJsonString()}' is not a port (1..65535)");
        }

        return components.FirstOrDefault(c => c.Name == MqttPlan.EmqxComponent) is { } emqx
            ? (new MqttBrokerPlan { Component = emqx.Name, Port = portOverride ?? 8883 }, null)
            : (null, null);
    }

    // Greengrass's Moquette recipe writes the port as a string ("8883"); a number is accepted too.
    private static int? PortOf(JsonNode node)
    {
        var text = node is JsonValue value && value.TryGetValue<string>(out var s) ? s : node.ToJsonString();
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535 ? port : null;
    }

    private static (MqttUpstreamPlan? Upstream, string? Error) UpstreamOf(CoreDevice device)
    {
        if (device.Spec.Mqtt?.Upstream is not { } upstream)
        {
            return (null, null);
        }

        if (string.IsNullOrWhiteSpace(upstream.Endpoint))
        {
            return (null, "spec.mqtt.upstream.endpoint: must not be empty");
        }

        if (UpstreamSecretName(device.Spec) is null)
        {
            return (null, "spec.mqtt.upstream.certificateSecretRef: required when spec.identity.certificateSecretRef is not set (the Secret holds tls.crt, tls.key and ca.crt)");
        }

        return (new MqttUpstreamPlan { Host = upstream.Endpoint, Port = upstream.Port ?? 8883, ClientId = device.Spec.ThingName }, null);
    }

    private static string? MappingError(JsonObject? mappings, MqttBrokerPlan? broker, MqttUpstreamPlan? upstream)
    {
        foreach (var (name, mapping) in mappings ?? [])
        {
            var ends = new[] { mapping?["source"], mapping?["target"] }.Select(e => e is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).ToList();
            if (upstream is null && ends.Contains("IotCore"))
            {
                return $"component {MqttPlan.BridgeComponent}: configuration mqttTopicMapping.{name} uses IotCore, which needs spec.mqtt.upstream";
            }

            if (broker is null && ends.Contains("LocalMqtt"))
            {
                return $"component {MqttPlan.BridgeComponent}: configuration mqttTopicMapping.{name} uses LocalMqtt, which needs a broker component ({MqttPlan.MoquetteComponent} or {MqttPlan.EmqxComponent})";
            }
        }

        return null;
    }
}
