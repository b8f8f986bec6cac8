using System.Text.Json.Nodes;
using Greengrass.Nucleus.Contracts;

namespace Greengrass.Nucleus.Core.Tests.Contracts;

public sealed class MqttPlanContractTests
{
    private const string Pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    private static DevicePlan Plan(MqttPlan? mqtt) => new()
    {
        SchemaVersion = DevicePlan.CurrentSchemaVersion,
        ThingName = "edge-1",
        DeploymentId = "dep-1",
        Revision = 3,
        CreationTimestamp = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero),
        GroupId = "fleet/edge-1",
        Mqtt = mqtt,
    };

    private static MqttPlan FullSection() => new()
    {
        Broker = new MqttBrokerPlan { Component = MqttPlan.MoquetteComponent, Port = 9883 },
        Auth = JsonNode.Parse("""{"deviceGroups":{"formatVersion":"2021-03-05","definitions":{"all":{"selectionRule":"thingName: *","policyName":"p"}},"policies":{"p":{"s":{"operations":["mqtt:connect"],"resources":["*"]}}}}}""")!.AsObject(),
        ClientDevices = [new MqttClientDevicePlan { ThingName = "sensor-1", CertificatePem = Pem }],
        Bridge = JsonNode.Parse("""{"mqttTopicMapping":{"up":{"topic":"a/#","source":"LocalMqtt","target":"IotCore"}}}""")!.AsObject(),
        Upstream = new MqttUpstreamPlan { Host = "iot.example.com", Port = 8884, ClientId = "edge-1", CaCertificateFile = "root.pem" },
        Spooler = new MqttSpoolerPlan { MaxSizeInBytes = 4096, KeepQos0WhenOffline = true, StorageType = "Disk" },
    };

    [Fact]
    public void MqttSection_RoundTrips()
    {
        var plan = Plan(FullSection());

        var json = ContractJson.SerializePlan(plan);
        var back = ContractJson.DeserializePlan(json);

        Assert.Equal(json, ContractJson.SerializePlan(back));
        Assert.Equal(plan.Mqtt!.Upstream, back.Mqtt!.Upstream);
        Assert.Equal(plan.Mqtt.Broker, back.Mqtt.Broker);
        Assert.Equal(plan.Mqtt.Spooler, back.Mqtt.Spooler);
        Assert.True(JsonNode.DeepEquals(plan.Mqtt.Auth, back.Mqtt.Auth));
        Assert.Equal("sensor-1", Assert.Single(back.Mqtt.ClientDevices).ThingName);
    }

    [Fact]
    public void MqttSection_Absent_IsNotWritten_AndReadsAsNull()
    {
        var json = ContractJson.SerializePlan(Plan(null));

        Assert.DoesNotContain("\"mqtt\"", json, StringComparison.Ordinal);
        Assert.Null(ContractJson.DeserializePlan(json).Mqtt);
    }

    [Fact]
    public void MqttSection_Defaults_AreGreengrassDefaults()
    {
        var back = ContractJson.DeserializePlan(ContractJson.SerializePlan(Plan(null)).TrimEnd('}') + ""","mqtt":{"upstream":{"host":"h","clientId":"c"}}}""");

        Assert.Equal(new MqttUpstreamPlan { Host = "h", ClientId = "c", Port = 8883, CertificateFile = "tls.crt", PrivateKeyFile = "tls.key", CaCertificateFile = "ca.crt" }, back.Mqtt!.Upstream);
        Assert.Equal(new MqttSpoolerPlan { MaxSizeInBytes = 2_621_440, KeepQos0WhenOffline = false, StorageType = "Memory" }, back.Mqtt.Spooler);
        Assert.Empty(back.Mqtt.ClientDevices);
    }

    [Theory]
    [InlineData("""{"broker":{"component":"m","port":0}}""", "mqtt.broker.port")]
    [InlineData("""{"upstream":{"host":"h","clientId":"c","privateKeyFile":"../../etc/shadow"}}""", "mqtt.upstream.privateKeyFile")]
    [InlineData("""{"upstream":{"host":"","clientId":"c"}}""", "mqtt.upstream.host")]
    [InlineData("""{"clientDevices":[{"thingName":"a","certificatePem":"nope"}]}""", "mqtt.clientDevices[0].certificatePem")]
    [InlineData("""{"spooler":{"storageType":"Tape"}}""", "mqtt.spooler.storageType")]
    [InlineData("""{"broker":{"port":8883}}""", "component")]
    public void MqttSection_Invalid_IsRejectedNamingTheField(string section, string field)
    {
        var json = ContractJson.SerializePlan(Plan(null)).TrimEnd('}') + $",\"mqtt\":{section}}}";

        var error = Assert.Throws<ContractFormatException>(() => ContractJson.DeserializePlan(json));

        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }
}
