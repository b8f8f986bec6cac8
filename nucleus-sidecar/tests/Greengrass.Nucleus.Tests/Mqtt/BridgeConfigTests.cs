using System.Text.Json.Nodes;
using Greengrass.Nucleus.Mqtt.Bridge;

namespace Greengrass.Nucleus.Tests.Mqtt;

public sealed class BridgeConfigTests
{
    [Fact]
    public void BridgeConfig_ValidMapping_ParsesAllFields()
    {
        var mappings = BridgeConfig.Parse(JsonNode.Parse("""
            {"mqttTopicMapping": {"m": {"topic": "clients/+/hello/world", "source": "LocalMqtt", "target": "IotCore", "targetTopicPrefix": "events/input/"}}}
            """));

        var m = Assert.Single(mappings);
        Assert.Equal((BridgeEndpoint.LocalMqtt, BridgeEndpoint.IotCore), (m.Source, m.Target));
        Assert.True(m.Matches("clients/dev1/hello/world"));
        Assert.False(m.Matches("clients/dev1/bye/world"));
        Assert.Equal("events/input/clients/dev1/hello/world", m.TargetTopic("clients/dev1/hello/world"));
    }

    [Fact]
    public void MqttSettings_IotCoreMappingWithoutUpstream_ErrorNamesField()
    {
        var e = Assert.Throws<FormatException>(() => Greengrass.Nucleus.Mqtt.MqttSettings.Parse(JsonNode.Parse("""
            {"stateDirectory": "/tmp/x", "bridge": {"mqttTopicMapping": {"up": {"topic": "a", "source": "LocalMqtt", "target": "IotCore"}}}}
            """)!));

        Assert.StartsWith("upstream:", e.Message, StringComparison.Ordinal);
        Assert.Contains("mqttTopicMapping.up", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"m": {"topic": "a", "source": "LocalMqtt", "target": "LocalMqtt"}}""", "mqttTopicMapping.m.target")]
    [InlineData("""{"m": {"topic": "a", "source": "Cloud", "target": "IotCore"}}""", "mqttTopicMapping.m.source")]
    [InlineData("""{"m": {"source": "LocalMqtt", "target": "IotCore"}}""", "mqttTopicMapping.m.topic")]
    [InlineData("""{"m": {"topic": "a/#/b", "source": "LocalMqtt", "target": "IotCore"}}""", "mqttTopicMapping.m.topic")]
    [InlineData("""{"m": {"topic": "a", "source": "LocalMqtt", "target": "IotCore", "targetTopicPrefix": "x/+/"}}""", "mqttTopicMapping.m.targetTopicPrefix")]
    public void BridgeConfig_Invalid_ErrorNamesField(string mapping, string field)
    {
        var e = Assert.Throws<FormatException>(() => BridgeConfig.Parse(JsonNode.Parse($$"""{"mqttTopicMapping": {{mapping}} }""")));
        Assert.StartsWith(field + ":", e.Message, StringComparison.Ordinal);
    }
}
