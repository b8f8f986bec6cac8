using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Greengrass.Api;
using Greengrass.Model.Platforms;
using Greengrass.Nucleus.Contracts;
using Greengrass.Operator.Devices;
using Greengrass.Operator.Tests.Support;
using k8s;
using k8s.Models;
using ApiDeployment = Greengrass.Api.Deployment;

namespace Greengrass.Operator.Tests.Devices;

public sealed class MqttPlanBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    /// <summary>The sample Components of the three client-device components, as users apply them.</summary>
    internal static IReadOnlyList<Component> FixtureComponents() =>
        [.. ResourceYaml.ToJsonAll(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "e2e", "fixtures", "clientdevices", "components.yaml")))
            .Select(node => KubernetesJson.Deserialize<Component>(node.ToJsonString()))
            .Select(c => { c.Metadata.NamespaceProperty = "fleet"; return c; })];

    internal static string SelfSignedPem(string subject, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(Now.AddDays(-1), notAfter ?? Now.AddDays(30));
        return certificate.ExportCertificatePem();
    }

    private static PlannedComponent Planned(string name, JsonObject? configuration = null) => new()
    {
        Name = name,
        Version = "2.0.0",
        ComponentType = ComponentType.Plugin,
        Configuration = configuration ?? [],
    };

    private static CoreDevice Device(Action<CoreDeviceSpec>? configure = null) => DeviceBuildersTests.Device(configure: configure);

    private static CoreDevice WithUpstream(string? secret = "upstream-tls") => Device(s => s.Mqtt = new MqttSettings
    {
        Upstream = new MqttUpstream { Endpoint = "iot.example.com", Port = 8884, CertificateSecretRef = secret is null ? null : new SecretReference { Name = secret } },
    });

    private static readonly JsonObject Mapping = JsonNode.Parse("""
        { "mqttTopicMapping": { "toCloud": { "topic": "clients/+/telemetry", "source": "LocalMqtt", "target": "IotCore" } } }
        """)!.AsObject();

    [Fact]
    public void Build_FixtureComponentsDeployed_SectionComesFromTheirEffectiveConfiguration()
    {
        var deployment = new ApiDeployment
        {
            Metadata = new V1ObjectMeta { Name = "mqtt", NamespaceProperty = "fleet", Generation = 1, CreationTimestamp = Now.UtcDateTime },
            Spec = new DeploymentSpec
            {
                CoreDeviceSelector = new V1LabelSelector(),
                Components = new Dictionary<string, DeploymentComponent>
                {
                    [MqttPlan.MoquetteComponent] = new() { Version = "2.3.7", ConfigurationUpdate = new ConfigurationUpdate { Merge = new JsonObject { ["moquette"] = new JsonObject { ["ssl_port"] = "9883" } } } },
                    [MqttPlan.BridgeComponent] = new() { Version = "2.3.2", ConfigurationUpdate = new ConfigurationUpdate { Merge = Mapping } },
                },
            },
        };
        var pem = SelfSignedPem("sensor-1");

        var result = DevicePlanBuilder.Build(new DevicePlanInput(WithUpstream(), [deployment], FixtureComponents(), DevicePlatform.Create("linux", "amd64"), null, Now,
            [new MqttClientDevicePlan { ThingName = "sensor-1", CertificatePem = pem }]));

        Assert.True(result.Succeeded, result.ErrorMessage);
        var mqtt = result.Plan!.Mqtt!;
        Assert.Equal(new MqttBrokerPlan { Component = MqttPlan.MoquetteComponent, Port = 9883 }, mqtt.Broker);
        Assert.Equal("2021-03-05", mqtt.Auth!["deviceGroups"]!["formatVersion"]!.GetValue<string>()); // Auth came in as Moquette's HARD dependency
        Assert.Equal("IotCore", mqtt.Bridge!["mqttTopicMapping"]!["toCloud"]!["target"]!.GetValue<string>());
        Assert.Equal(new MqttUpstreamPlan { Host = "iot.example.com", Port = 8884, ClientId = "EdgeA" }, mqtt.Upstream);
        Assert.Equal(pem, Assert.Single(mqtt.ClientDevices).CertificatePem);
        Assert.DoesNotContain("PRIVATE KEY", ContractJson.SerializePlan(result.Plan), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_PortInSpec_OverridesMoquetteSslPort()
    {
        var device = Device(s => s.Mqtt = new MqttSettings { Port = 18883 });

        var result = MqttPlanBuilder.Build(device, [Planned(MqttPlan.MoquetteComponent, new JsonObject { ["moquette"] = new JsonObject { ["ssl_port"] = "8883" } })], []);

        Assert.Equal(18883, result.Plan!.Broker!.Port);
    }

    [Fact]
    public void Build_Emqx_IsTheBrokerOnItsDefaultPort()
    {
        var result = MqttPlanBuilder.Build(Device(), [Planned(MqttPlan.EmqxComponent)], []);

        Assert.Equal(new MqttBrokerPlan { Component = MqttPlan.EmqxComponent, Port = 8883 }, result.Plan!.Broker);
    }

    [Fact]
    public void Build_NoClientDeviceComponentsAndNoUpstream_HasNoSection()
    {
        var result = MqttPlanBuilder.Build(Device(), [Planned("com.example.App")], [new MqttClientDevicePlan { ThingName = "t", CertificatePem = "x" }]);

        Assert.Null(result.Plan);
        Assert.Null(result.Error);
    }

    [Fact]
    public void Build_UpstreamOnly_HasNoBrokerAndNoClientDevices()
    {
        var result = MqttPlanBuilder.Build(WithUpstream(), [], [new MqttClientDevicePlan { ThingName = "t", CertificatePem = SelfSignedPem("t") }]);

        Assert.Null(result.Plan!.Broker);
        Assert.Empty(result.Plan.ClientDevices);
        Assert.Equal("iot.example.com", result.Plan.Upstream!.Host);
    }

    [Fact]
    public void Build_UpstreamWithoutAnySecret_FailsNamingTheField()
    {
        var result = MqttPlanBuilder.Build(WithUpstream(secret: null), [], []);

        Assert.Null(result.Plan);
        Assert.StartsWith("spec.mqtt.upstream.certificateSecretRef:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_UpstreamWithoutItsOwnSecret_UsesTheDeviceIdentity()
    {
        var device = WithUpstream(secret: null);
        device.Spec.Identity = new DeviceIdentity { CertificateSecretRef = new SecretReference { Name = "edge-a-identity" } };

        Assert.Equal("edge-a-identity", MqttPlanBuilder.UpstreamSecretName(device.Spec));
        Assert.NotNull(MqttPlanBuilder.Build(device, [], []).Plan!.Upstream);
    }

    [Fact]
    public void Build_IotCoreMappingWithoutUpstream_FailsNamingTheMapping()
    {
        var result = MqttPlanBuilder.Build(Device(), [Planned(MqttPlan.MoquetteComponent), Planned(MqttPlan.BridgeComponent, (JsonObject)Mapping.DeepClone())], []);

        Assert.Contains("mqttTopicMapping.toCloud uses IotCore", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_LocalMqttMappingWithoutBroker_FailsNamingTheMapping()
    {
        var result = MqttPlanBuilder.Build(WithUpstream(), [Planned(MqttPlan.BridgeComponent, (JsonObject)Mapping.DeepClone())], []);

        Assert.Contains("mqttTopicMapping.toCloud uses LocalMqtt", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"http\"")]
    [InlineData("70000")]
    [InlineData("\"0\"")]
    public void Build_BadMoquettePort_FailsNamingTheField(string port)
    {
        var configuration = JsonNode.Parse($$"""{ "moquette": { "ssl_port": {{port}} } }""")!.AsObject();

        var result = MqttPlanBuilder.Build(Device(), [Planned(MqttPlan.MoquetteComponent, configuration)], []);

        Assert.Contains("configuration moquette.ssl_port", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_SpoolerFromSpec_AndClientDevicesOrderedByThing()
    {
        var device = Device(s => s.Mqtt = new MqttSettings { Spooler = new MqttSpooler { MaxSizeInBytes = 1024, KeepQos0WhenOffline = true, StorageType = "Disk" } });
        MqttClientDevicePlan Client(string thing) => new() { ThingName = thing, CertificatePem = "pem-" + thing };

        var result = MqttPlanBuilder.Build(device, [Planned(MqttPlan.AuthComponent)], [Client("b"), Client("a")]);

        Assert.Equal(new MqttSpoolerPlan { MaxSizeInBytes = 1024, KeepQos0WhenOffline = true, StorageType = "Disk" }, result.Plan!.Spooler);
        Assert.Equal(["a", "b"], result.Plan.ClientDevices.Select(c => c.ThingName));
    }

    [Fact]
    public void DevicePlan_ClientDeviceAdded_MovesTheRevision_SameInputKeepsIt()
    {
        var components = FixtureComponents();
        var deployment = new ApiDeployment
        {
            Metadata = new V1ObjectMeta { Name = "mqtt", NamespaceProperty = "fleet", Generation = 1, CreationTimestamp = Now.UtcDateTime },
            Spec = new DeploymentSpec
            {
                CoreDeviceSelector = new V1LabelSelector(),
                Components = new Dictionary<string, DeploymentComponent> { [MqttPlan.MoquetteComponent] = new() { Version = "2.3.7" } },
            },
        };
        DevicePlan Plan(DevicePlan? previous, params MqttClientDevicePlan[] clients) =>
            DevicePlanBuilder.Build(new DevicePlanInput(Device(), [deployment], components, DevicePlatform.Create("linux", "amd64"), previous, Now, clients)).Plan!;

        var first = Plan(null);
        var same = Plan(first);
        var added = Plan(first, new MqttClientDevicePlan { ThingName = "sensor-1", CertificatePem = SelfSignedPem("sensor-1") });

        Assert.Equal(first.Revision, same.Revision);
        Assert.Equal(first.Revision + 1, added.Revision);
    }
}
