using System.Text.Json;
using System.Text.Json.Nodes;
using Greengrass.Api;
using Greengrass.Operator.Runtime.Selectors;

namespace Greengrass.Operator.Discovery;

/// <summary>A ClientDevice with the DER bytes of its certificate (null when it has none or it could not be read).</summary>
internal sealed record ClientDeviceIdentity(ClientDevice Device, byte[]? CertificateDer);

/// <summary>The answer to one discovery request: HTTP status, a metrics label, and always a JSON body (the SDK parses it).</summary>
internal sealed record DiscoveryAnswer(int StatusCode, string Result, string Body);

/// <summary>
/// The Greengrass discovery API's decision and answer (GREENGRASS.md §7.1), pure. The presented client certificate
/// must be byte-equal to the certificate of a ClientDevice whose thingName is the one in the URL:
/// no certificate or an unknown one → 401; the certificate of another thing → 403 (AWS's answer when the policy
/// does not allow <c>greengrass:Discover</c> on that thing); a thing with no associated core device that has a CA
/// yet → 404 (AWS's answer for a thing in no group); else 200 with one GGGroup per associated CoreDevice.
/// </summary>
internal static class DiscoveryResponder
{
    public const string ResultOk = "ok";
    public const string ResultUnauthenticated = "unauthenticated";
    public const string ResultForbidden = "forbidden";
    public const string ResultNotFound = "not_found";

    public static DiscoveryAnswer Answer(string thingName, byte[]? clientCertificate, IReadOnlyList<ClientDeviceIdentity> clients,
        IReadOnlyList<CoreDevice> cores, DiscoveryArn arn)
    {
        var owned = clientCertificate is null ? [] : clients.Where(c => c.CertificateDer is { } der && der.AsSpan().SequenceEqual(clientCertificate)).ToList();
        if (owned.Count == 0)
        {
            return Error(401, ResultUnauthenticated, "the client certificate belongs to no ClientDevice");
        }

        var client = owned.FirstOrDefault(c => c.Device.Spec.ThingName == thingName);
        if (client is null)
        {
            return Error(403, ResultForbidden, $"the client certificate is not attached to thing '{thingName}'");
        }

        var associated = Associated(client.Device, cores).Where(c => !string.IsNullOrEmpty(c.Status?.CertificateAuthority)).ToList();
        if (associated.Count == 0)
        {
            return Error(404, ResultNotFound, $"thing '{thingName}' is associated with no core device that has a CA yet");
        }

        var groups = new JsonArray([.. associated.Select(core => Group(core, arn))]);
        return new DiscoveryAnswer(200, ResultOk, new JsonObject { ["GGGroups"] = groups }.ToJsonString());
    }

    /// <summary>The CoreDevices of the client device's namespace it names or whose labels its selector matches, sorted by name.</summary>
    public static IEnumerable<CoreDevice> Associated(ClientDevice client, IEnumerable<CoreDevice> cores)
    {
        var selection = client.Spec.CoreDevices;
        if (selection is null)
        {
            return [];
        }

        var names = selection.Names ?? [];
        return cores
            .Where(core => core.Metadata.NamespaceProperty == client.Metadata.NamespaceProperty && core.Metadata.DeletionTimestamp is null)
            .Where(core => names.Contains(core.Metadata.Name) || (selection.Selector is { } s && LabelSelectors.Matches(s, core.Metadata.Labels)))
            .OrderBy(core => core.Metadata.Name, StringComparer.Ordinal);
    }

    private static JsonObject Group(CoreDevice core, DiscoveryArn arn)
    {
        var thing = core.Spec.ThingName;
        var defaultPort = core.Spec.Mqtt?.Port ?? 8883;
        // Greengrass's IP detector uses the address as the entry's id; PascalCase keys as the SDK parsers read them.
        var connectivity = (core.Spec.Connectivity ?? []).Select(c => (JsonNode)new JsonObject
        {
            ["Id"] = c.HostAddress,
            ["HostAddress"] = c.HostAddress,
            ["PortNumber"] = c.PortNumber ?? defaultPort,
            ["Metadata"] = c.Metadata ?? "",
        });
        return new JsonObject
        {
            ["GGGroupId"] = $"greengrassV2-coreDevice-{thing}",
            ["Cores"] = new JsonArray(new JsonObject { ["thingArn"] = arn.Thing(thing), ["Connectivity"] = new JsonArray([.. connectivity]) }),
            ["CAs"] = new JsonArray(core.Status!.CertificateAuthority),
        };
    }

    private static DiscoveryAnswer Error(int status, string result, string message) =>
        new(status, result, JsonSerializer.Serialize(new Dictionary<string, string> { ["errorMessage"] = message }));
}

/// <summary>
/// How thing ARNs are spelled: <c>arn:aws:iot:&lt;region&gt;:&lt;account&gt;:thing/&lt;thingName&gt;</c>, the AWS form with a
/// configurable region and account (the cluster plays the AWS account).
/// </summary>
internal sealed record DiscoveryArn(string Region, string Account)
{
    public string Thing(string thingName) => $"arn:aws:iot:{Region}:{Account}:thing/{thingName}";
}
