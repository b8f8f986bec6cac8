using System.Collections.Concurrent;
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

    // The configuration and the policies compiled from it, swapped together so a decision never mixes two versions.
    private volatile CompiledPolicies _policies = new(DeviceGroups.Empty);

    public DeviceGroups Groups => _policies.Groups;

    public static bool IsKnownResource(string resource) =>
        ResourcePrefixes.Any(p => resource.StartsWith(p, StringComparison.Ordinal) && resource.Length > p.Length);

    /// <summary>Replaces the configuration; callers parse first so a bad document never replaces a good one.</summary>
    public void Configure(DeviceGroups groups) => _policies = new CompiledPolicies(groups);

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

    /// <summary>
    /// Runs on every CONNECT, PUBLISH and SUBSCRIBE, so the statements of a thing are compiled once per configuration:
    /// group selection and <c>${iot:Connection.Thing.ThingName}</c> expansion happen on the first decision for that
    /// thing, and every later decision is a set lookup.
    /// </summary>
    public bool IsAllowed(string thingName, string operation, string resource) =>
        _policies.For(thingName).Allows(operation, resource);

    private sealed class CompiledPolicies(DeviceGroups groups)
    {
        // Keyed by thing names that passed certificate checks, so it holds at most one entry per registered device.
        private readonly ConcurrentDictionary<string, ThingPolicy> _byThing = new(StringComparer.Ordinal);

        public DeviceGroups Groups { get; } = groups;

        public ThingPolicy For(string thingName) =>
            _byThing.TryGetValue(thingName, out var policy) ? policy : _byThing.GetOrAdd(thingName, t => ThingPolicy.Compile(Groups, t));
    }

    /// <summary>What one thing may do: per operation, any resource (<c>*</c>) or a set of exact resources.</summary>
    private sealed class ThingPolicy
    {
        private readonly Dictionary<string, HashSet<string>> _resources = new(StringComparer.Ordinal);
        private readonly HashSet<string> _anyResource = new(StringComparer.Ordinal);

        public static ThingPolicy Compile(DeviceGroups groups, string thingName)
        {
            var policy = new ThingPolicy();
            foreach (var statement in groups.StatementsFor(thingName))
            {
                foreach (var operation in statement.Operations)
                {
                    foreach (var resource in statement.Resources)
                    {
                        policy.Add(operation, resource == "*" ? null : Substitute(resource, thingName));
                    }
                }
            }

            return policy;
        }

        private void Add(string operation, string? resource)
        {
            if (resource is null)
            {
                _anyResource.Add(operation);
                return;
            }

            if (!_resources.TryGetValue(operation, out var set))
            {
                _resources[operation] = set = new HashSet<string>(StringComparer.Ordinal);
            }

            set.Add(resource);
        }

        // A statement whose operations include "*" is stored under "*" and grants every operation.
        public bool Allows(string operation, string resource) => AllowsAs(operation, resource) || AllowsAs("*", resource);

        private bool AllowsAs(string operation, string resource) =>
            _anyResource.Contains(operation) || (_resources.TryGetValue(operation, out var set) && set.Contains(resource));
    }

    private static string Substitute(string resource, string thingName) =>
        resource.Contains("${", StringComparison.Ordinal) ? resource.Replace(ThingNameVariable, thingName, StringComparison.Ordinal) : resource;
}
