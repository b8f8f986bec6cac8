using System.Text.Json.Nodes;
using Greengrass.Nucleus.Contracts;

namespace Greengrass.Nucleus.Mqtt;

/// <summary>
/// Turns the MQTT section of a device plan into the nucleus's MQTT settings document (the one <c>--mqtt-config</c>
/// and <c>GG_MQTT_CONFIG</c> carry), so both ways of configuring MQTT share one parser and one set of checks.
/// </summary>
internal static class MqttPlanDocument
{
    /// <summary>Builds the document; <paramref name="upstreamDirectory"/> is where the pod mounts the upstream Secret.</summary>
    /// <exception cref="FormatException">The section names an upstream but the pod mounts no credentials for it.</exception>
    public static JsonObject Build(MqttPlan plan, string stateDirectory, string? upstreamDirectory)
    {
        var document = new JsonObject
        {
            ["stateDirectory"] = stateDirectory,
            ["broker"] = plan.Broker is { } broker ? new JsonObject { ["port"] = broker.Port } : new JsonObject { ["enabled"] = false },
            ["clientDevices"] = new JsonArray([.. plan.ClientDevices.Select(d => (JsonNode)new JsonObject
            {
                ["thingName"] = d.ThingName,
                ["certificatePem"] = d.CertificatePem,
            })]),
            ["spooler"] = new JsonObject
            {
                ["maxSizeInBytes"] = plan.Spooler.MaxSizeInBytes,
                ["keepQos0WhenOffline"] = plan.Spooler.KeepQos0WhenOffline,
            },
        };
        if (plan.Auth is { } auth)
        {
            document["auth"] = auth.DeepClone();
        }

        if (plan.Bridge is { } bridge)
        {
            document["bridge"] = bridge.DeepClone();
        }

        if (plan.Upstream is { } upstream)
        {
            if (string.IsNullOrEmpty(upstreamDirectory))
            {
                throw new FormatException("mqtt.upstream: the pod mounts no upstream credentials (GG_MQTT_UPSTREAM_DIR is not set)");
            }

            document["upstream"] = new JsonObject
            {
                ["host"] = upstream.Host,
                ["port"] = upstream.Port,
                ["clientId"] = upstream.ClientId,
                ["certificatePath"] = Path.Combine(upstreamDirectory, upstream.CertificateFile),
                ["privateKeyPath"] = Path.Combine(upstreamDirectory, upstream.PrivateKeyFile),
                ["caCertificatePath"] = Path.Combine(upstreamDirectory, upstream.CaCertificateFile),
            };
        }

        return document;
    }
}
