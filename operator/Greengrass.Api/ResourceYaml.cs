using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.EventEmitters;

namespace Greengrass.Api;

/// <summary>
/// Reads and writes the Greengrass resources as YAML. KubernetesYaml cannot: the free-form fields (configuration,
/// merge, lifecycle) are JSON nodes. This goes through JSON the way kubectl does: YAML becomes JSON (plain scalars
/// that read as null, booleans or numbers become those; quoted scalars stay strings), then KubernetesJson applies.
/// </summary>
public static partial class ResourceYaml
{
    private static readonly ISerializer Serializer = new SerializerBuilder()
        .DisableAliases()
        .WithEventEmitter(next => new QuoteAmbiguousStrings(next))
        .Build();

    /// <summary>Reads one YAML document into a resource type such as <see cref="Component"/>.</summary>
    /// <typeparam name="T">The resource type.</typeparam>
    /// <param name="yaml">The YAML document.</param>
    /// <returns>The resource.</returns>
    /// <exception cref="FormatException">The YAML does not parse, or does not fit the type; the message says where.</exception>
    public static T Deserialize<T>(string yaml)
    {
        var json = ToJson(yaml);
        try
        {
            return KubernetesJson.Deserialize<T>(json.ToJsonString())
                ?? throw new FormatException($"the YAML document is null, not a {typeof(T).Name}");
        }
        catch (JsonException e)
        {
            throw new FormatException($"the YAML does not fit {typeof(T).Name} at {e.Path}: {e.Message}", e);
        }
    }

    /// <summary>Writes a resource as YAML, with the field names and omissions of KubernetesJson.</summary>
    /// <param name="resource">The resource, or any object KubernetesJson can write.</param>
    /// <returns>The YAML document.</returns>
    public static string Serialize(object resource) => FromJson(JsonNode.Parse(KubernetesJson.Serialize(resource)));

    /// <summary>Converts the first YAML document of the text into JSON.</summary>
    /// <param name="yaml">The YAML text.</param>
    /// <returns>The JSON value.</returns>
    /// <exception cref="FormatException">The YAML does not parse; the message gives line and column.</exception>
    public static JsonNode ToJson(string yaml)
    {
        var documents = ToJsonAll(yaml);
        return documents.Count > 0 ? documents[0] : throw new FormatException("the YAML text holds no document");
    }

    /// <summary>Converts every YAML document of the text (separated by ---) into JSON.</summary>
    /// <param name="yaml">The YAML text.</param>
    /// <returns>One JSON value per non-empty document.</returns>
    /// <exception cref="FormatException">The YAML does not parse; the message gives line and column.</exception>
    public static IReadOnlyList<JsonNode> ToJsonAll(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new FormatException($"YAML error at line {e.Start.Line}, column {e.Start.Column}: {e.Message}", e);
        }

        return stream.Documents.Select(d => Convert(d.RootNode)).OfType<JsonNode>().ToList();
    }

    /// <summary>Converts JSON into a YAML document; strings that would read back as another type are quoted.</summary>
    /// <param name="json">The JSON value.</param>
    /// <returns>The YAML document.</returns>
    public static string FromJson(JsonNode? json) => Serializer.Serialize(ToObject(json));

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(pair => KeyValuePair.Create(Key(pair.Key), Convert(pair.Value)))),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(Convert).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new FormatException($"unsupported YAML node at line {node.Start.Line}"),
    };

    private static string Key(YamlNode key) =>
        key is YamlScalarNode { Value: { } text } ? text : throw new FormatException($"a mapping key at line {key.Start.Line} is not a plain string");

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when Integer().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
            _ when Float().IsMatch(text) => JsonValue.Create(double.Parse(text, CultureInfo.InvariantCulture)),
            _ => JsonValue.Create(text),
        };
    }

    // A string such as "3", "true" or "" must come back as a string, so it is written quoted; so are the words and
    // dates that YAML 1.1 readers (PyYAML, older tools) would turn into booleans or timestamps.
    private static bool ReadsAsNonString(string text) =>
        Scalar(new YamlScalarNode(text) { Style = ScalarStyle.Plain }) is not JsonValue value || value.GetValueKind() != JsonValueKind.String
        || Yaml11Special().IsMatch(text);

    private static object? ToObject(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(p => p.Key, p => ToObject(p.Value)),
        JsonArray array => array.Select(ToObject).ToList(),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when Integer().IsMatch(value.ToJsonString()) => long.Parse(value.ToJsonString(), CultureInfo.InvariantCulture),
            JsonValueKind.Number => double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture),
            var kind => throw new FormatException($"unexpected JSON value kind {kind}"),
        },
        _ => throw new FormatException($"unexpected JSON node {node.GetType().Name}"),
    };

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();

    [GeneratedRegex("^([yYnN]|[yY]es|YES|[nN]o|NO|[oO]n|ON|[oO]ff|OFF|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?|0[0-7]+|0x[0-9a-fA-F]+|0o[0-7]+|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN))$")]
    private static partial Regex Yaml11Special();

    private sealed class QuoteAmbiguousStrings(IEventEmitter next) : ChainedEventEmitter(next)
    {
        public override void Emit(ScalarEventInfo eventInfo, IEmitter emitter)
        {
            if (eventInfo.Source.Value is string text && ReadsAsNonString(text))
            {
                eventInfo.Style = ScalarStyle.DoubleQuoted;
            }

            base.Emit(eventInfo, emitter);
        }
    }
}
