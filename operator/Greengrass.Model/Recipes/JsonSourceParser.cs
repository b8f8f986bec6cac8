using System.Text;
using System.Text.Json;

namespace Greengrass.Model.Recipes;

/// <summary>
/// Builds a <see cref="SourceNode"/> tree from strict JSON with <see cref="Utf8JsonReader"/>, turning byte offsets
/// into 1-based lines and columns (columns count characters, as editors do, not UTF-8 bytes).
/// </summary>
internal static class JsonSourceParser
{
    public static SourceNode Parse(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var lines = new LineMap(bytes);
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
                var (line, column) = lines.Position(reader.TokenStartIndex);
                throw new SourceSyntaxException("unexpected content after the end of the document", line, column);
            }

            return root;
        }
        catch (JsonException e)
        {
            var line = (int)(e.LineNumber ?? 0);
            var column = line < lines.Count ? lines.Column(line, e.BytePositionInLine ?? 0) : (int)(e.BytePositionInLine ?? 0) + 1;
            throw new SourceSyntaxException(Clean(e.Message), line + 1, column);
        }
    }

    private static SourceNode ReadValue(ref Utf8JsonReader reader, LineMap lines)
    {
        var (line, column) = lines.Position(reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var entries = new List<KeyValuePair<ScalarNode, SourceNode>>();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var (keyLine, keyColumn) = lines.Position(reader.TokenStartIndex);
                    var key = new ScalarNode(ReadString(ref reader, keyLine, keyColumn), ScalarKind.String, keyLine, keyColumn);
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
                return new ScalarNode(ReadString(ref reader, line, column), ScalarKind.String, line, column);
            case JsonTokenType.Number:
                return new ScalarNode(Encoding.UTF8.GetString(reader.ValueSpan), ScalarKind.Number, line, column);
            case JsonTokenType.True or JsonTokenType.False:
                return new ScalarNode(reader.GetBoolean() ? "true" : "false", ScalarKind.Boolean, line, column);
            default:
                return new ScalarNode("null", ScalarKind.Null, line, column);
        }
    }

    // An escaped lone surrogate ("\uD800") is valid JSON syntax but not a string .NET can hold.
    private static string ReadString(ref Utf8JsonReader reader, int line, int column)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw new SourceSyntaxException(e.Message.TrimEnd('.'), line, column);
        }
    }

    // System.Text.Json appends "LineNumber: … | BytePositionInLine: …"; the position is reported separately.
    private static string Clean(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }
}

/// <summary>Turns byte offsets of a UTF-8 document into 1-based lines and character columns.</summary>
internal sealed class LineMap
{
    private readonly byte[] _bytes;
    private readonly List<long> _starts = [0];
    private readonly bool _ascii;

    public LineMap(byte[] bytes)
    {
        _bytes = bytes;
        _ascii = System.Text.Ascii.IsValid(bytes);
        for (var i = bytes.AsSpan().IndexOf((byte)'\n'); i >= 0; i = NextNewLine(i + 1))
        {
            _starts.Add(i + 1);
        }
    }

    public int Count => _starts.Count;

    public (int Line, int Column) Position(long offset)
    {
        var index = _starts.BinarySearch(offset);
        if (index < 0)
        {
            index = ~index - 1;
        }

        return (index + 1, Column(index, offset - _starts[index]));
    }

    /// <summary>The 1-based character column of a byte position within a 0-based line.</summary>
    public int Column(int line, long bytePosition)
    {
        var start = (int)_starts[line];
        var length = (int)Math.Min(bytePosition, _bytes.Length - start);
        return (_ascii ? length : Encoding.UTF8.GetCharCount(_bytes, start, length)) + 1;
    }

    private int NextNewLine(int from)
    {
        var next = _bytes.AsSpan(from).IndexOf((byte)'\n');
        return next < 0 ? -1 : from + next;
    }
}
