using System.Text.Json.Nodes;
using MQTTnet;

namespace Greengrass.Nucleus.Mqtt.Bridge;

internal enum BridgeEndpoint
{
    LocalMqtt,
    Pubsub,
    IotCore,
}

internal sealed record TopicMapping(string Name, string Topic, BridgeEndpoint Source, BridgeEndpoint Target, string TargetTopicPrefix)
{
    public bool Matches(string topic) => MqttTopicFilterComparer.Compare(topic, Topic) == MqttTopicFilterCompareResult.IsMatch;

    public string TargetTopic(string topic) => TargetTopicPrefix + topic;
}

/// <summary>The <c>mqttTopicMapping</c> of <c>aws.greengrass.clientdevices.mqtt.Bridge</c>, validated with field names in errors.</summary>
internal static class BridgeConfig
{
    public static IReadOnlyList<TopicMapping> Parse(JsonNode? configuration)
    {
        var root = configuration as JsonObject;
        var mappings = root?["mqttTopicMapping"] ?? (root is not null && !root.ContainsKey("mqttTopicMapping") ? root : null);
        if (mappings is null)
        {
            return [];
        }

        if (mappings is not JsonObject map)
        {
            throw new FormatException("mqttTopicMapping: must be an object of mapping name to {topic, source, target, targetTopicPrefix}");
        }

        return map.Select(m => ParseMapping(m.Key, m.Value)).ToList();
    }

    private static TopicMapping ParseMapping(string name, JsonNode? node)
    {
        var path = $"mqttTopicMapping.{name}";
        if (node is not JsonObject mapping)
        {
            throw new FormatException($"{path}: must be an object with topic, source and target");
        }

        var topic = String(mapping, "topic", path, required: true)!;
        if (MqttTopicValidator.IsInvalidFilter(topic))
        {
            throw new FormatException($"{path}.topic: '{topic}' is not a valid MQTT topic filter");
        }

        var source = Endpoint(mapping, "source", path);
        var target = Endpoint(mapping, "target", path);
        if (source == target)
        {
            throw new FormatException($"{path}.target: must differ from source ({source})");
        }

        var prefix = String(mapping, "targetTopicPrefix", path, required: false) ?? string.Empty;
        if (prefix.Contains('+', StringComparison.Ordinal) || prefix.Contains('#', StringComparison.Ordinal))
        {
            throw new FormatException($"{path}.targetTopicPrefix: must not contain MQTT wildcards");
        }

        return new TopicMapping(name, topic, source, target, prefix);
    }

    private static BridgeEndpoint Endpoint(JsonObject mapping, string key, string path)
    {
        var text = String(mapping, key, path, required: true);
        return Enum.TryParse<BridgeEndpoint>(text, ignoreCase: false, out var value) && Enum.IsDefined(value)
            ? value
            : throw new FormatException($"{path}.{key}: '{text}' must be LocalMqtt, Pubsub or IotCore");
    }

    private static string? String(JsonObject obj, string key, string path, bool required)
    {
        if (obj[key] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0)
        {
            return s;
        }

        return required ? throw new FormatException($"{path}.{key}: is required and must be a non-empty string") : null;
    }
}

internal static class MqttTopicValidator
{
    public static bool IsInvalidFilter(string filter)
    {
        var levels = filter.Split('/');
        for (var i = 0; i < levels.Length; i++)
        {
            var level = levels[i];
            if (level.Contains('#', StringComparison.Ordinal) && (level != "#" || i != levels.Length - 1))
            {
                return true;
            }

            if (level.Contains('+', StringComparison.Ordinal) && level != "+")
            {
                return true;
            }
        }

        return filter.Length == 0;
    }
}
