using System.Text.Json;

namespace Greengrass.Nucleus.Ipc.Authorization;

/// <summary>One accessControl policy after validation: its operations and compiled resources.</summary>
internal sealed record IpcPolicy(string PolicyId, string Service, IReadOnlySet<string> Operations, IReadOnlyList<IpcResourcePattern> Resources);

/// <summary>
/// A component's <c>accessControl</c> configuration, parsed once and evaluated on every call (§6.7).
/// Parsing never throws on bad content: what is invalid is reported in <see cref="Problems"/> and grants nothing.
/// </summary>
internal sealed class IpcAccessControl
{
    private readonly Dictionary<string, List<IpcPolicy>> _byService;

    private IpcAccessControl(Dictionary<string, List<IpcPolicy>> byService, IReadOnlyList<string> problems)
    {
        _byService = byService;
        Problems = problems;
    }

    public static IpcAccessControl Empty { get; } = new([], []);

    /// <summary>What was skipped while parsing, each naming the service, policy and field.</summary>
    public IReadOnlyList<string> Problems { get; }

    public static IpcAccessControl Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Parse(document.RootElement);
    }

    /// <summary>Parses <c>{"&lt;service&gt;": {"&lt;policyId&gt;": {operations, resources, policyDescription}}}</c>.</summary>
    public static IpcAccessControl Parse(JsonElement accessControl)
    {
        var problems = new List<string>();
        var byService = new Dictionary<string, List<IpcPolicy>>(StringComparer.Ordinal);
        if (accessControl.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"accessControl must be an object, not {accessControl.ValueKind}");
            return new IpcAccessControl(byService, problems);
        }

        foreach (var service in accessControl.EnumerateObject())
        {
            var policies = ParseService(service, problems);
            if (policies is not null)
            {
                byService[service.Name] = policies;
            }
        }

        return new IpcAccessControl(byService, problems);
    }

    private static List<IpcPolicy>? ParseService(JsonProperty service, List<string> problems)
    {
        if (service.Value.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"accessControl.{service.Name} must be an object of policies");
            return null;
        }

        var policies = new List<IpcPolicy>();
        foreach (var policy in service.Value.EnumerateObject())
        {
            // An empty policy id rejects the component's whole list for this service, like the Java nucleus.
            if (string.IsNullOrWhiteSpace(policy.Name))
            {
                problems.Add($"accessControl.{service.Name} has an empty policy id; all its policies are ignored");
                return null;
            }

            var parsed = ParsePolicy(service.Name, policy, problems);
            if (parsed is not null)
            {
                policies.Add(parsed);
            }
        }

        return policies;
    }

    private static IpcPolicy? ParsePolicy(string service, JsonProperty policy, List<string> problems)
    {
        var where = $"accessControl.{service}.{policy.Name}";
        if (policy.Value.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{where} must be an object");
            return null;
        }

        var operations = new HashSet<string>(StringComparer.Ordinal);
        foreach (var operation in Strings(policy.Value, "operations", where, problems))
        {
            if (IpcAuthorizationServices.IsRegistered(service, operation))
            {
                operations.Add(operation);
            }
            else
            {
                problems.Add($"{where}.operations: '{operation}' is not an operation of {service} (operations are written aws.greengrass#Name)");
            }
        }

        var resources = new List<IpcResourcePattern>();
        foreach (var resource in Strings(policy.Value, "resources", where, problems))
        {
            var pattern = IpcResourcePattern.TryCreate(resource, out var error);
            if (pattern is null)
            {
                problems.Add($"{where}.resources: {error}");
            }
            else
            {
                resources.Add(pattern);
            }
        }

        return new IpcPolicy(policy.Name, service, operations, resources);
    }

    private static IEnumerable<string> Strings(JsonElement policy, string field, string where, List<string> problems)
    {
        if (!policy.TryGetProperty(field, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            problems.Add($"{where}.{field} must be a list of strings");
            yield break;
        }

        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String)
            {
                yield return item.GetString()!;
            }
            else
            {
                problems.Add($"{where}.{field} holds a {item.ValueKind}, not a string");
            }
        }
    }

    /// <summary>True when a policy of <paramref name="service"/> grants <paramref name="operation"/> on <paramref name="resource"/>.</summary>
    public bool IsAuthorized(string service, string operation, string resource)
    {
        if (!_byService.TryGetValue(service, out var policies))
        {
            return false;
        }

        var mqttStyle = IpcAuthorizationServices.IsMqttStyle(service);
        foreach (var policy in policies)
        {
            if (!policy.Operations.Contains(operation) && !policy.Operations.Contains("*"))
            {
                continue;
            }

            foreach (var pattern in policy.Resources)
            {
                if (pattern.Matches(resource, mqttStyle))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
