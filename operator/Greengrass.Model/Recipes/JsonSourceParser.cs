using System.Text;
using System.Text.Json;

namespace Greengrass.Model.Recipes;

/// <summary>
/// Builds a <see cref="SourceNode"/> tree from strict JSON with <see cref="Utf8JsonReader"/>, turning byte offsets
/// into 1-based lines and columns.
/// </summary>
internal static class JsonSourceParser
{
    public static SourceNode Parse(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var lines = LineStarts(bytes);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            if (!reader.Read())
            {
                throw new SourceSyntaxException("the document is empty", 1, 1);
            }

            var root = ReadValue(ref reader, lines);
            if (reader.Read())
            {
                var (line, column) = Position(lines, reader.TokenStartIndex);
                throw new SourceSyntaxException("unexpected content after the end of the document", line, column);
            }

            return root;
        }
        catch (JsonException e)
        {
            throw new SourceSyntaxException(Clean(e.Message), (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1);
        }
    }

    private static SourceNode ReadValue(ref Utf8JsonReader reader, List<long> lines)
    {
        var (line, column) = Position(lines, reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var entries = new List<KeyValuePair<ScalarNode, SourceNode>>();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var (keyLine, keyColumn) = Position(lines, reader.TokenStartIndex);
                    var key = new ScalarNode(reader.GetString()!, ScalarKind.String, keyLine, keyColumn);
                    reader.Read();
                    entries.Add(new(key, ReadValue(ref reader, lines)));
                }

                return new MappingNode(entries, line, column);
            case JsonTokenType.StartArray:
                var items = new List<SourceNode>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref reader, lines));
                }

                return new SequenceNode(items, line, column);
            case JsonTokenType.String:
                return new ScalarNode(reader.GetString()!, ScalarKind.String, line, column);
            case JsonTokenType.Number:
                return new ScalarNode(Encoding.UTF8.GetString(reader.ValueSpan), ScalarKind.Number, line, column);
            case JsonTokenType.True or JsonTokenType.False:
                return new ScalarNode(reader.GetBoolean() ? "true" : "false", ScalarKind.Boolean, line, column);
            default:
                return new ScalarNode("null", ScalarKind.Null, line, column);
        }
    }

    private static List<long> LineStarts(byte[] bytes)
    {
        var starts = new List<long> { 0 };
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                starts.Add(i + 1);
            }
        }

        return starts;
    }

    private static (int Line, int Column) Position(List<long> lineStarts, long offset)
    {
        var index = lineStarts.BinarySearch(offset);
        if (index < 0)
        {
            index = ~index - 1;
        }

        return (index + 1, (int)(offset - lineStarts[index]) + 1);
    }

    // System.Text.Json appends "LineNumber: … | BytePositionInLine: …"; the position is reported separately.
    private static string Clean(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }
}
