using System.Globalization;
using System.Text.Json.Nodes;

namespace Greengrass.Model.Recipes;

/// <summary>
/// Shared state of one recipe binding: the source name, the errors and warnings collected so far, and the
/// typed readers every section uses. Readers report a problem and return <see langword="null"/> so binding
/// goes on and collects every error it can.
/// </summary>
internal sealed class BindContext(string? source)
{
    public List<RecipeError> Errors { get; } = [];

    public List<RecipeError> Warnings { get; } = [];

    public void Error(string path, SourceNode? at, string message) =>
        Errors.Add(new RecipeError(path, message, at?.Line ?? 0, at?.Column ?? 0, source));

    public void Warn(string path, SourceNode? at, string message) =>
        Warnings.Add(new RecipeError(path, message, at?.Line ?? 0, at?.Column ?? 0, source));

    /// <summary>
    /// Matches the keys of <paramref name="map"/> to <paramref name="known"/> case-insensitively, returning the
    /// values by documented name. Unknown keys are warnings (ignored) or errors, as Greengrass does at that level.
    /// </summary>
    public Dictionary<string, (ScalarNode Key, SourceNode Value)> Fields(
        MappingNode map, string path, IReadOnlyList<string> known, bool unknownIsError)
    {
        var fields = new Dictionary<string, (ScalarNode, SourceNode)>(StringComparer.Ordinal);
        foreach (var (key, value) in map.Entries)
        {
            var name = Match(key.Text, known);
            if (name is null)
            {
                var message = $"unknown key \"{key.Text}\"; expected one of {string.Join(", ", known)}";
                if (unknownIsError)
                {
                    Error(Join(path, key.Text), key, message);
                }
                else
                {
                    Warn(Join(path, key.Text), key, message + " (ignored)");
                }
            }
            else if (!fields.TryAdd(name, (key, value)))
            {
                Error(Join(path, name), key, $"duplicate key \"{key.Text}\" (keys are case-insensitive)");
            }
        }

        return fields;
    }

    private static string? Match(string key, IReadOnlyList<string> known)
    {
        for (var i = 0; i < known.Count; i++)
        {
            if (string.Equals(known[i], key, StringComparison.OrdinalIgnoreCase))
            {
                return known[i];
            }
        }

        return null;
    }

    public MappingNode? Mapping(SourceNode node, string path)
    {
        if (node is MappingNode map)
        {
            return map;
        }

        Error(path, node, $"expected an object, found {node.Describe()}");
        return null;
    }

    public SequenceNode? Sequence(SourceNode node, string path)
    {
        if (node is SequenceNode list)
        {
            return list;
        }

        Error(path, node, $"expected a list, found {node.Describe()}");
        return null;
    }

    /// <summary>Any scalar but null reads as its text: recipes write versions and dates unquoted.</summary>
    public string? String(SourceNode node, string path)
    {
        if (node is ScalarNode { Kind: not ScalarKind.Null } scalar)
        {
            return scalar.Text;
        }

        Error(path, node, $"expected a string, found {node.Describe()}");
        return null;
    }

    public TEnum? Enum<TEnum>(SourceNode node, string path)
        where TEnum : struct, Enum
    {
        var text = String(node, path);
        if (text is null)
        {
            return null;
        }

        // Names only: Enum.TryParse would also take numbers and comma-separated flag lists.
        foreach (var value in System.Enum.GetValues<TEnum>())
        {
            if (string.Equals(value.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        var names = string.Join(", ", System.Enum.GetNames<TEnum>().Select(n => n.ToUpperInvariant()));
        Error(path, node, $"expected one of {names}, found \"{text}\"");
        return null;
    }

    // YAML aliases share nodes, so a small document can expand into a huge tree ("billion laughs"); stop early.
    public const int MaxJsonNodes = 200_000;

    private int _jsonNodes;

    /// <summary>Converts a free-form node to a JSON tree; <paramref name="marks"/> records where each path was written.</summary>
    public JsonNode? Json(SourceNode node, string path, SourceMarks? marks)
    {
        if (++_jsonNodes > MaxJsonNodes)
        {
            throw new SourceSyntaxException($"the document expands to more than {MaxJsonNodes} values", node.Line, node.Column);
        }

        marks?.Add(path, node);
        switch (node)
        {
            case MappingNode map:
                var obj = new JsonObject();
                foreach (var (key, value) in map.Entries)
                {
                    // Paths are only needed for marks and for errors below this node: skip them for plain scalars.
                    var child = marks is not null || value is not ScalarNode ? Join(path, key.Text) : string.Empty;
                    marks?.AddKey(child, key);
                    if (!obj.TryAdd(key.Text, Json(value, child, marks)))
                    {
                        Error(Join(path, key.Text), key, $"duplicate key \"{key.Text}\"");
                    }
                }

                return obj;
            case SequenceNode list:
                var array = new JsonArray();
                for (var i = 0; i < list.Items.Count; i++)
                {
                    var item = list.Items[i];
                    array.Add(Json(item, marks is not null || item is not ScalarNode ? $"{path}[{i}]" : string.Empty, marks));
                }

                return array;
            default:
                return Scalar((ScalarNode)node);
        }
    }

    public static JsonNode? Scalar(ScalarNode scalar) => scalar.Kind switch
    {
        ScalarKind.Null => null,
        ScalarKind.Boolean => JsonValue.Create(scalar.Text.Equals("true", StringComparison.OrdinalIgnoreCase)),
        // Integers are the common case and cheap; any other number is parsed from its own text so it stays
        // exactly as written (1.50 stays 1.50, 6.02e23 stays 6.02e23).
        ScalarKind.Number when long.TryParse(scalar.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)
            && (integer != 0 || scalar.Text == "0") => JsonValue.Create(integer),
        ScalarKind.Number => JsonNode.Parse(scalar.Text),
        _ => JsonValue.Create(scalar.Text),
    };

    public static string Join(string path, string key)
    {
        var plain = key.Length > 0;
        foreach (var c in key)
        {
            plain &= char.IsAsciiLetterOrDigit(c) || c == '_';
        }

        return plain ? (path.Length == 0 ? key : $"{path}.{key}") : $"{path}[\"{key}\"]";
    }
}

/// <summary>Where each path of a free-form tree was written, so errors found later in the tree still have positions.</summary>
internal sealed class SourceMarks
{
    private readonly Dictionary<string, SourceNode> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SourceNode> _keys = new(StringComparer.Ordinal);

    public void Add(string path, SourceNode node) => _values[path] = node;

    public void AddKey(string path, SourceNode node) => _keys[path] = node;

    public SourceNode? Value(string path) => _values.GetValueOrDefault(path);

    public SourceNode? Key(string path) => _keys.GetValueOrDefault(path) ?? Value(path);
}
