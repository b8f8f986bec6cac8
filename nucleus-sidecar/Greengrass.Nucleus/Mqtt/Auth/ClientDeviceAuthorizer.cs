using System.Security.Cryptography.X509Certificates;
using MQTTnet.Protocol;

namespace Greengrass.Nucleus.Mqtt.Auth;

/// <summary>The outcome of a CONNECT check: the thing the client acts as, or the refusal with its reason code.</summary>
internal sealed record ConnectDecision(bool Allowed, string? ThingName, MqttConnectReasonCode ReasonCode, string Reason)
{
    public static ConnectDecision Allow(string thing) => new(true, thing, MqttConnectReasonCode.Success, "allowed");

    // Greengrass's Moquette authenticator refuses with "bad user name or password" (3.1.1 return code 4).
    public static ConnectDecision Deny(string reason) => new(false, null, MqttConnectReasonCode.BadUserNameOrPassword, reason);
}

/// <summary>
/// Client device authorization with the rules of <c>aws.greengrass.clientdevices.Auth</c>: the MQTT client id is the
/// thing name, the certificate must be attached to that thing, and every operation is denied unless a statement of a
/// policy of a group that selects the thing allows it.
/// </summary>
internal sealed class ClientDeviceAuthorizer(IClientDeviceRegistry registry)
{
    public const string Connect = "mqtt:connect";
    public const string Publish = "mqtt:publish";
    public const string Subscribe = "mqtt:subscribe";
    private const string ThingNameVariable = "${iot:Connection.Thing.ThingName}";
    private static readonly string[] ResourcePrefixes = ["mqtt:clientId:", "mqtt:topic:", "mqtt:topicfilter:"];

    private volatile DeviceGroups _groups = DeviceGroups.Empty;

    public DeviceGroups Groups => _groups;

    public static bool IsKnownResource(string resource) =>
        ResourcePrefixes.Any(p => resource.StartsWith(p, StringComparison.Ordinal) && resource.Length > p.Length);

    /// <summary>Replaces the configuration; callers parse first so a bad document never replaces a good one.</summary>
    public void Configure(DeviceGroups groups) => _groups = groups;

    public async ValueTask<ConnectDecision> AuthenticateAsync(X509Certificate2? certificate, string clientId, CancellationToken ct)
    {
        if (certificate is null)
        {
            return ConnectDecision.Deny("no client certificate");
        }

        if (string.IsNullOrEmpty(clientId))
        {
            return ConnectDecision.Deny("the client id must be the thing name");
        }

        var things = await registry.GetThingsAsync(certificate, ct);
        if (!things.Contains(clientId, StringComparer.Ordinal))
        {
            return ConnectDecision.Deny(things.Count == 0
                ? "the certificate is not attached to any known thing"
                : $"the certificate is not attached to thing '{clientId}'");
        }

        return IsAllowed(clientId, Connect, "mqtt:clientId:" + clientId)
            ? ConnectDecision.Allow(clientId)
            : ConnectDecision.Deny($"no policy allows mqtt:connect for client id '{clientId}'");
    }

    public bool CanPublish(string thingName, string topic) => IsAllowed(thingName, Publish, "mqtt:topic:" + topic);

    // Topic filters are matched literally (a grant of a/+/b allows exactly the filter a/+/b).
    public bool CanSubscribe(string thingName, string topicFilter) => IsAllowed(thingName, Subscribe, "mqtt:topicfilter:" + topicFilter);

    public bool IsAllowed(string thingName, string operation, string resource)
    {
        foreach (var statement in _groups.StatementsFor(thingName))
        {
            if (!statement.Operations.Any(op => op == "*" || op == operation))
            {
                continue;
            }

            if (statement.Resources.Any(r => r == "*" || string.Equals(Substitute(r, thingName), resource, StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    private static string Substitute(string resource, string thingName) =>
        resource.Contains("${", StringComparison.Ordinal) ? resource.Replace(ThingNameVariable, thingName, StringComparison.Ordinal) : resource;
}
