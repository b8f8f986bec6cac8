using Greengrass.Api;
using Greengrass.Operator.Devices;
using Greengrass.Operator.Reconcilers;
using Greengrass.Operator.Runtime.Cache;
using k8s.Models;

namespace Greengrass.Operator.Tests.Devices;

public sealed class ClientDeviceAssociationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    private static ClientDevice Client(CoreDeviceSelection? selection, string ns = "fleet") => new()
    {
        Metadata = new V1ObjectMeta { Name = "sensor-1", NamespaceProperty = ns },
        Spec = new ClientDeviceSpec { ThingName = "sensor-1", CoreDevices = selection },
    };

    private static CoreDevice Core(string name, Dictionary<string, string>? labels = null)
    {
        var device = DeviceBuildersTests.Device(name);
        device.Metadata.Labels = labels;
        return device;
    }

    [Fact]
    public void Selects_ByNameOrSelector_InItsOwnNamespaceOnly()
    {
        var byName = Client(new CoreDeviceSelection { Names = ["gw-1"] });
        var bySelector = Client(new CoreDeviceSelection { Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["line"] = "3" } } });

        Assert.True(ClientDeviceAssociation.Selects(byName, Core("gw-1")));
        Assert.False(ClientDeviceAssociation.Selects(byName, Core("gw-2")));
        Assert.True(ClientDeviceAssociation.Selects(bySelector, Core("gw-2", new() { ["line"] = "3" })));
        Assert.False(ClientDeviceAssociation.Selects(bySelector, Core("gw-2", new() { ["line"] = "4" })));
        Assert.False(ClientDeviceAssociation.Selects(Client(new CoreDeviceSelection { Names = ["gw-1"] }, ns: "other"), Core("gw-1")));
        Assert.False(ClientDeviceAssociation.Selects(Client(null), Core("gw-1")));
    }

    [Fact]
    public void Inspect_ValidCertificate_GivesFingerprintSubjectAndExpiry()
    {
        var facts = ClientDeviceAssociation.Inspect(MqttPlanBuilderTests.SelfSignedPem("sensor-1"), "spec.certificate.pem", Now);

        Assert.Equal(CertificateStates.Valid, facts.State);
        Assert.Equal("CN=sensor-1", facts.Subject);
        Assert.Equal(64, facts.Fingerprint!.Length);
        Assert.Null(facts.Message);
    }

    [Fact]
    public void Inspect_GarbagePem_IsInvalidNamingTheField()
    {
        var facts = ClientDeviceAssociation.Inspect("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----", "spec.certificate.pem", Now);

        Assert.Equal(CertificateStates.Invalid, facts.State);
        Assert.StartsWith("spec.certificate.pem:", facts.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_ExpiredCertificate_IsExpired()
    {
        var facts = ClientDeviceAssociation.Inspect(MqttPlanBuilderTests.SelfSignedPem("old", Now.AddHours(-1)), "spec.certificate.pem", Now);

        Assert.Equal(CertificateStates.Expired, facts.State);
        Assert.Contains("expired", facts.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ClientDeviceChanged_EnqueuesCoreDevicesSelectedBeforeAndAfter()
    {
        var before = Client(new CoreDeviceSelection { Names = ["gw-1"] });
        var after = Client(new CoreDeviceSelection { Names = ["gw-2"] });
        var cores = new[] { Core("gw-1"), Core("gw-2"), Core("gw-3") };

        var keys = EventMaps.ClientDeviceChanged(new CacheEvent<ClientDevice>(CacheEventType.Modified, after, before), cores);

        Assert.Equal(["gw-1", "gw-2"], keys.Select(k => k.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void CoreDeviceLabelsChanged_EnqueuesTheClientDevicesSelectingItBeforeOrAfter()
    {
        var client = Client(new CoreDeviceSelection { Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["line"] = "3" } } });
        var e = new CacheEvent<CoreDevice>(CacheEventType.Modified, Core("gw-1", new() { ["line"] = "4" }), Core("gw-1", new() { ["line"] = "3" }));

        Assert.Equal("sensor-1", Assert.Single(EventMaps.CoreDeviceChangedForClients(e, [client])).Name);
    }
}
