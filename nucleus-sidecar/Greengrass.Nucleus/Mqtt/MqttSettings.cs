using System.Net;
using System.Text.Json.Nodes;
using Greengrass.Nucleus.Mqtt.Auth;
using Greengrass.Nucleus.Mqtt.Bridge;
using Greengrass.Nucleus.Mqtt.Broker;
using Greengrass.Nucleus.Mqtt.Spool;

namespace Greengrass.Nucleus.Mqtt;

/// <summary>A client device from the device plan: its thing name and the certificate attached to it.</summary>
internal sealed record ClientDeviceEntry(string ThingName, string CertificatePem);

/// <summary>
/// Everything the MQTT part of the nucleus needs, read from one JSON document:
/// <c>{stateDirectory, broker{enabled, port, bindAddress, noDelay, caDirectory, serverHosts}, auth{deviceGroups…}, clientDevices[{thingName, certificatePem}],
/// bridge{mqttTopicMapping…}, upstream{host, port, clientId, caCertificatePath, certificatePath, privateKeyPath, mqtt5},
/// spooler{maxSizeInBytes, keepQos0WhenOffline}}</c>.
/// </summary>
internal sealed class MqttSettings
{
    public MqttBrokerOptions Broker { get; } = new();

    public DeviceGroups DeviceGroups { get; set; } = DeviceGroups.Empty;

    /// <summary><c>performance.maxActiveAuthTokens</c> of the Auth component: client device auth tokens kept at most.</summary>
    public int MaxActiveAuthTokens { get; set; } = ClientDeviceAuthContext.DefaultMaxActiveAuthTokens;

    public List<ClientDeviceEntry> ClientDevices { get; } = [];

    public IReadOnlyList<TopicMapping> Mappings { get; set; } = [];

    public UpstreamOptions? Upstream { get; set; }

    public SpoolOptions Spool { get; } = new();

    /// <summary>
    /// Applies what the operator passes to a nucleus pod: the mounted core device CA (<c>GG_CA_DIRECTORY</c>) and the
    /// CoreDevice's connectivity host addresses (<c>GG_BROKER_HOSTS</c>, comma-separated) as server certificate SANs.
    /// Explicit settings in the document win.
    /// </summary>
    public void ApplyDeviceEnvironment(string? caDirectory, string? brokerHosts)
    {
        if (Broker.CertificateAuthorityDirectory is null && !string.IsNullOrEmpty(caDirectory))
        {
            Broker.CertificateAuthorityDirectory = caDirectory;
        }

        foreach (var host in (brokerHosts ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Broker.ServerHosts.Contains(host, StringComparer.OrdinalIgnoreCase))
            {
                Broker.ServerHosts.Add(host);
            }
        }
    }

    public static MqttSettings Parse(JsonNode document)
    {
        var root = document as JsonObject ?? throw new FormatException("mqtt settings: must be a JSON object");
        var stateDirectory = root["stateDirectory"]?.GetValue<string>() ?? throw new FormatException("stateDirectory: is required");
        var settings = new MqttSettings();
        settings.Broker.StateDirectory = stateDirectory;
        settings.Spool.Directory = Path.Combine(stateDirectory, "spool");
        if (root["broker"] is JsonObject broker)
        {
            settings.Broker.Enabled = broker["enabled"]?.GetValue<bool>() ?? true;
            settings.Broker.Port = broker["port"]?.GetValue<int>() ?? settings.Broker.Port;
            settings.Broker.NoDelay = broker["noDelay"]?.GetValue<bool>() ?? true;
            settings.Broker.CertificateAuthorityDirectory = broker["caDirectory"]?.GetValue<string>();
            foreach (var (host, i) in (broker["serverHosts"] as JsonArray ?? []).Select((h, i) => (h, i)))
            {
                settings.Broker.ServerHosts.Add(host?.GetValue<string>() is { Length: > 0 } h ? h : throw new FormatException($"broker.serverHosts[{i}]: must be a host name or address"));
            }

            if (broker["bindAddress"]?.GetValue<string>() is { } bind)
            {
                settings.Broker.BindAddress = IPAddress.TryParse(bind, out var ip) ? ip : throw new FormatException($"broker.bindAddress: '{bind}' is not an IP address");
            }
        }

        settings.DeviceGroups = DeviceGroups.Parse(root["auth"]);
        ParseAuthLimits(settings, root["auth"] as JsonObject);
        foreach (var (device, i) in (root["clientDevices"] as JsonArray ?? []).Select((d, i) => (d, i)))
        {
            settings.ClientDevices.Add(new ClientDeviceEntry(
                device?["thingName"]?.GetValue<string>() ?? throw new FormatException($"clientDevices[{i}].thingName: is required"),
                device?["certificatePem"]?.GetValue<string>() ?? throw new FormatException($"clientDevices[{i}].certificatePem: is required")));
        }

        settings.Mappings = BridgeConfig.Parse(root["bridge"] ?? new JsonObject());
        if (root["spooler"] is JsonObject spooler)
        {
            settings.Spool.MaxSizeInBytes = spooler["maxSizeInBytes"]?.GetValue<long>() ?? settings.Spool.MaxSizeInBytes;
            settings.Spool.KeepQos0WhenOffline = spooler["keepQos0WhenOffline"]?.GetValue<bool>() ?? false;
        }

        if (root["upstream"] is JsonObject upstream)
        {
            settings.Upstream = new UpstreamOptions
            {
                Host = upstream["host"]?.GetValue<string>() ?? "",
                Port = upstream["port"]?.GetValue<int>() ?? 8883,
                ClientId = upstream["clientId"]?.GetValue<string>() ?? "",
                CaCertificatePath = upstream["caCertificatePath"]?.GetValue<string>() ?? "",
                CertificatePath = upstream["certificatePath"]?.GetValue<string>() ?? "",
                PrivateKeyPath = upstream["privateKeyPath"]?.GetValue<string>() ?? "",
                UseMqtt5 = upstream["mqtt5"]?.GetValue<bool>() ?? true,
                MinReconnectDelayMs = upstream["minReconnectDelayMs"]?.GetValue<int>() ?? 1000,
                MaxReconnectDelayMs = upstream["maxReconnectDelayMs"]?.GetValue<int>() ?? 30000,
            };
        }

        if (settings.Upstream is null &&
            settings.Mappings.FirstOrDefault(m => m.Source == BridgeEndpoint.IotCore || m.Target == BridgeEndpoint.IotCore) is { } needsUpstream)
        {
            throw new FormatException($"upstream: is required because mqttTopicMapping.{needsUpstream.Name} uses IotCore");
        }

        if (!settings.Broker.Enabled &&
            settings.Mappings.FirstOrDefault(m => m.Source == BridgeEndpoint.LocalMqtt || m.Target == BridgeEndpoint.LocalMqtt) is { } needsBroker)
        {
            throw new FormatException($"broker.enabled: must be true because mqttTopicMapping.{needsBroker.Name} uses LocalMqtt");
        }

        return settings;
    }

    // Greengrass clamps both into their ranges (with a warning) rather than failing the component.
    private static void ParseAuthLimits(MqttSettings settings, JsonObject? auth)
    {
        if (Number(auth?["performance"]?["maxActiveAuthTokens"], "auth.performance.maxActiveAuthTokens") is { } tokens)
        {
            settings.MaxActiveAuthTokens = (int)Math.Clamp(tokens, 1, int.MaxValue - 1);
        }

        if (Number(auth?["certificates"]?["serverCertificateValiditySeconds"], "auth.certificates.serverCertificateValiditySeconds") is { } validity)
        {
            settings.Broker.ServerCertificateValiditySeconds = (int)Math.Clamp(validity, 172800, 864000);
        }
    }

    // A number, or a string holding one (the Greengrass config store coerces either).
    private static long? Number(JsonNode? node, string field) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<long>(out var n) => n,
        JsonValue v when v.TryGetValue<double>(out var d) && double.IsFinite(d) => (long)Math.Clamp(d, long.MinValue, long.MaxValue),
        JsonValue v when v.TryGetValue<string>(out var text) && long.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => throw new FormatException($"{field}: must be a number"),
    };
}
