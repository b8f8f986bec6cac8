using System.Text.Json.Nodes;

namespace Greengrass.Nucleus.Mqtt.Auth;

/// <summary>A configuration error that names the offending key path.</summary>
internal sealed class ClientDeviceAuthConfigException(string field, string message)
    : Exception($"{field}: {message}")
{
    public string Field { get; } = field;
}

internal sealed record DeviceGroup(string Name, SelectionRule Rule, string PolicyName);

internal sealed record PolicyStatement(string Name, IReadOnlyList<string> Operations, IReadOnlyList<string> Resources);

/// <summary>
/// The <c>deviceGroups</c> section of <c>aws.greengrass.clientdevices.Auth</c>, parsed and validated.
/// </summary>
internal sealed class DeviceGroups
{
    public static readonly DeviceGroups Empty = new([], new Dictionary<string, IReadOnlyList<PolicyStatement>>());

    private static readonly HashSet<string> KnownOperations = ["mqtt:connect", "mqtt:publish", "mqtt:subscribe", "*"];

    public DeviceGroups(IReadOnlyList<DeviceGroup> groups, IReadOnlyDictionary<string, IReadOnlyList<PolicyStatement>> policies)
    {
        Groups = groups;
        Policies = policies;
    }

    public IReadOnlyList<DeviceGroup> Groups { get; }

    public IReadOnlyDictionary<string, IReadOnlyList<PolicyStatement>> Policies { get; }

    /// <summary>The statements that apply to a thing: the union over every group whose rule selects it.</summary>
    public IEnumerable<PolicyStatement> StatementsFor(string thingName) =>
        Groups.Where(g => g.Rule.Matches(thingName))
            .SelectMany(g => Policies.TryGetValue(g.PolicyName, out var s) ? s : []);

    /// <summary>Parses the component configuration (the object holding <c>deviceGroups</c>, or <c>deviceGroups</c> itself).</summary>
    public static DeviceGroups Parse(JsonNode? configuration)
    {
        var root = configuration as JsonObject;
        if (root is null)
        {
            return Empty;
        }

        var node = root["deviceGroups"] as JsonObject ?? (root.ContainsKey("definitions") ? root : null);
        if (node is null)
        {
            return Empty;
        }

        var policies = ParsePolicies(node["policies"]);
        var groups = new List<DeviceGroup>();
        if (node["definitions"] is JsonObject definitions)
        {
            foreach (var (name, value) in definitions)
            {
                groups.Add(ParseGroup(name, value, policies));
            }
        }
        else if (node["definitions"] is not null)
        {
            throw new ClientDeviceAuthConfigException("deviceGroups.definitions", "must be an object of group name to {selectionRule, policyName}");
        }

        return new DeviceGroups(groups, policies);
    }

    private static DeviceGroup ParseGroup(string name, JsonNode? value, Dictionary<string, IReadOnlyList<PolicyStatement>> policies)
    {
        var path = $"deviceGroups.definitions.{name}";
        if (value is not JsonObject group)
        {
            throw new ClientDeviceAuthConfigException(path, "must be an object with selectionRule and policyName");
        }

        var ruleText = RequiredString(group, "selectionRule", path);
        var policyName = RequiredString(group, "policyName", path);
        if (!policies.ContainsKey(policyName))
        {
            throw new ClientDeviceAuthConfigException($"{path}.policyName", $"policy '{policyName}' is not defined under deviceGroups.policies");
        }

        try
        {
            return new DeviceGroup(name, SelectionRule.Parse(ruleText), policyName);
        }
        catch (FormatException e)
        {
            throw new ClientDeviceAuthConfigException($"{path}.selectionRule", e.Message);
        }
    }

    private static Dictionary<string, IReadOnlyList<PolicyStatement>> ParsePolicies(JsonNode? node)
    {
        var result = new Dictionary<string, IReadOnlyList<PolicyStatement>>(StringComparer.Ordinal);
        if (node is null)
        {
            return result;
        }

        if (node is not JsonObject policies)
        {
            throw new ClientDeviceAuthConfigException("deviceGroups.policies", "must be an object of policy name to statements");
        }

        foreach (var (policyName, statementsNode) in policies)
        {
            var path = $"deviceGroups.policies.{policyName}";
            if (statementsNode is not JsonObject statements)
            {
                throw new ClientDeviceAuthConfigException(path, "must be an object of statement name to {operations, resources}");
            }

            result[policyName] = statements.Select(s => ParseStatement($"{path}.{s.Key}", s.Key, s.Value)).ToList();
        }

        return result;
    }

    private static PolicyStatement ParseStatement(string path, string name, JsonNode? node)
    {
        if (node is not JsonObject statement)
        {
            throw new ClientDeviceAuthConfigException(path, "must be an object with operations and resources");
        }

        var operations = RequiredStringList(statement, "operations", path);
        foreach (var op in operations.Where(op => !KnownOperations.Contains(op)))
        {
            throw new ClientDeviceAuthConfigException($"{path}.operations", $"unknown operation '{op}' (mqtt:connect, mqtt:publish, mqtt:subscribe or *)");
        }

        var resources = RequiredStringList(statement, "resources", path);
        foreach (var resource in resources.Where(r => r != "*" && !ClientDeviceAuthorizer.IsKnownResource(r)))
        {
            throw new ClientDeviceAuthConfigException(
                $"{path}.resources", $"resource '{resource}' must be '*' or start with mqtt:clientId:, mqtt:topic: or mqtt:topicfilter:");
        }

        return new PolicyStatement(name, operations, resources);
    }

    private static string RequiredString(JsonObject obj, string key, string path)
    {
        if (obj[key] is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s))
        {
            return s;
        }

        throw new ClientDeviceAuthConfigException($"{path}.{key}", "is required and must be a non-empty string");
    }

    private static List<string> RequiredStringList(JsonObject obj, string key, string path)
    {
        if (obj[key] is not JsonArray array || array.Count == 0)
        {
            throw new ClientDeviceAuthConfigException($"{path}.{key}", "is required and must be a non-empty list of strings");
        }

        return array.Select((item, i) => item is JsonValue v && v.TryGetValue<string>(out var s)
                ? s
                : throw new ClientDeviceAuthConfigException($"{path}.{key}[{i}]", "must be a string"))
            .ToList();
    }
}
