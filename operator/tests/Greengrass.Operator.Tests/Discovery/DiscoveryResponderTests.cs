using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Greengrass.Api;
using Greengrass.Operator.Discovery;
using k8s.Models;

namespace Greengrass.Operator.Tests.Discovery;

public sealed class DiscoveryResponderTests
{
    private static readonly DiscoveryArn Arn = new("eu-local-1", "123456789012");
    private static readonly byte[] SensorCert = SelfSigned("sensor-1");
    private static readonly byte[] OtherCert = SelfSigned("sensor-2");
    private static readonly byte[] StrangerCert = SelfSigned("stranger");

    [Fact]
    public void Answer_OwnCertificateAndNamedCore_ReturnsTheGreengrassShape()
    {
        var answer = Answer("sensor-1", SensorCert, [Client("sensor-1", SensorCert, names: ["core-a"])], [Core("core-a", "CoreA")]);

        Assert.Equal(200, answer.StatusCode);
        Assert.Equal(DiscoveryResponder.ResultOk, answer.Result);
        var group = Assert.Single(JsonNode.Parse(answer.Body)!["GGGroups"]!.AsArray())!;
        Assert.Equal("greengrassV2-coreDevice-CoreA", group["GGGroupId"]!.GetValue<string>());
        var core = Assert.Single(group["Cores"]!.AsArray())!;
        Assert.Equal("arn:aws:iot:eu-local-1:123456789012:thing/CoreA", core["thingArn"]!.GetValue<string>());
        var connectivity = core["Connectivity"]!.AsArray();
        Assert.Equal(2, connectivity.Count);
        Assert.Equal("10.0.0.5", connectivity[0]!["Id"]!.GetValue<string>());
        Assert.Equal("10.0.0.5", connectivity[0]!["HostAddress"]!.GetValue<string>());
        Assert.Equal(8884, connectivity[0]!["PortNumber"]!.GetValue<int>());
        Assert.Equal("lan", connectivity[0]!["Metadata"]!.GetValue<string>());
        Assert.Equal("core-a.local", connectivity[1]!["HostAddress"]!.GetValue<string>());
        Assert.Equal(9000, connectivity[1]!["PortNumber"]!.GetValue<int>());
        Assert.Equal("", connectivity[1]!["Metadata"]!.GetValue<string>());
        Assert.Equal(CaPem("CoreA"), Assert.Single(group["CAs"]!.AsArray())!.GetValue<string>());
    }

    [Fact]
    public void Answer_NoClientCertificate_Is401WithJsonBody()
    {
        var answer = Answer("sensor-1", null, [Client("sensor-1", SensorCert, names: ["core-a"])], [Core("core-a", "CoreA")]);

        Assert.Equal(401, answer.StatusCode);
        Assert.Contains("ClientDevice", JsonNode.Parse(answer.Body)!["errorMessage"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Answer_UnknownCertificate_Is401()
    {
        var answer = Answer("sensor-1", StrangerCert, [Client("sensor-1", SensorCert, names: ["core-a"])], [Core("core-a", "CoreA")]);

        Assert.Equal(401, answer.StatusCode);
        Assert.Equal(DiscoveryResponder.ResultUnauthenticated, answer.Result);
    }

    [Fact]
    public void Answer_CertificateOfAnotherThing_Is403()
    {
        var clients = new[] { Client("sensor-1", SensorCert, names: ["core-a"]), Client("sensor-2", OtherCert, names: ["core-a"]) };

        var answer = Answer("sensor-1", OtherCert, clients, [Core("core-a", "CoreA")]);

        Assert.Equal(403, answer.StatusCode);
        Assert.Equal(DiscoveryResponder.ResultForbidden, answer.Result);
        Assert.Contains("sensor-1", JsonNode.Parse(answer.Body)!["errorMessage"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Answer_ThingWithoutAssociation_Is404()
    {
        var answer = Answer("sensor-1", SensorCert, [Client("sensor-1", SensorCert)], [Core("core-a", "CoreA")]);

        Assert.Equal(404, answer.StatusCode);
        Assert.Equal(DiscoveryResponder.ResultNotFound, answer.Result);
    }

    [Fact]
    public void Answer_AssociatedCoreWithoutCaYet_IsLeftOut()
    {
        var pending = Core("core-b", "CoreB");
        pending.Status = null;

        var answer = Answer("sensor-1", SensorCert, [Client("sensor-1", SensorCert, names: ["core-b"])], [pending]);

        Assert.Equal(404, answer.StatusCode);
    }

    [Fact]
    public void Answer_ClientWithoutReadableCertificate_NeverMatches()
    {
        var answer = Answer("sensor-1", SensorCert, [Client("sensor-1", null, names: ["core-a"])], [Core("core-a", "CoreA")]);

        Assert.Equal(401, answer.StatusCode);
    }

    [Fact]
    public void Answer_Selector_ListsMatchingCoresOfTheClientNamespaceSortedByName()
    {
        var selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["site"] = "north" } };
        var cores = new[]
        {
            Core("core-z", "CoreZ", labels: new() { ["site"] = "north" }),
            Core("core-a", "CoreA", labels: new() { ["site"] = "north" }),
            Core("core-s", "CoreS", labels: new() { ["site"] = "south" }),
            Core("core-x", "CoreX", ns: "elsewhere", labels: new() { ["site"] = "north" }),
        };

        var answer = Answer("sensor-1", SensorCert, [Client("sensor-1", SensorCert, selector: selector)], cores);

        var ids = JsonNode.Parse(answer.Body)!["GGGroups"]!.AsArray().Select(g => g!["GGGroupId"]!.GetValue<string>());
        Assert.Equal(["greengrassV2-coreDevice-CoreA", "greengrassV2-coreDevice-CoreZ"], ids);
    }

    [Fact]
    public void Answer_CoreWithoutConnectivity_HasAnEmptyConnectivityList()
    {
        var core = Core("core-a", "CoreA");
        core.Spec.Connectivity = null;

        var answer = Answer("sensor-1", SensorCert, [Client("sensor-1", SensorCert, names: ["core-a"])], [core]);

        var group = JsonNode.Parse(answer.Body)!["GGGroups"]![0]!;
        Assert.Empty(group["Cores"]![0]!["Connectivity"]!.AsArray());
    }

    private static DiscoveryAnswer Answer(string thing, byte[]? cert, IReadOnlyList<ClientDeviceIdentity> clients, IReadOnlyList<CoreDevice> cores) =>
        DiscoveryResponder.Answer(thing, cert, clients, cores, Arn);

    private static ClientDeviceIdentity Client(string thing, byte[]? cert, IList<string>? names = null, V1LabelSelector? selector = null) => new(
        new ClientDevice
        {
            Metadata = new V1ObjectMeta { Name = thing, NamespaceProperty = "fleet" },
            Spec = new ClientDeviceSpec
            {
                ThingName = thing,
                CoreDevices = names is null && selector is null ? null : new CoreDeviceSelection { Names = names, Selector = selector },
            },
        }, cert);

    private static CoreDevice Core(string name, string thing, string ns = "fleet", Dictionary<string, string>? labels = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels },
        Spec = new CoreDeviceSpec
        {
            ThingName = thing,
            Mqtt = new MqttSettings { Port = 8884 },
            Connectivity =
            [
                new ConnectivityInfo { HostAddress = "10.0.0.5", Metadata = "lan" },
                new ConnectivityInfo { HostAddress = "core-a.local", PortNumber = 9000 },
            ],
        },
        Status = new CoreDeviceStatus { CertificateAuthority = CaPem(thing) },
    };

    private static string CaPem(string thing) => $"-----BEGIN CERTIFICATE-----\n{thing}\n-----END CERTIFICATE-----\n";

    private static byte[] SelfSigned(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var cert = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return cert.RawData;
    }
}
