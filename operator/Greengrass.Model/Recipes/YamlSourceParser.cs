using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Greengrass.Model.Recipes;

/// <summary>
/// Builds a <see cref="SourceNode"/> tree from YAML, keeping the mark of every node. <see cref="YamlFastReader"/>
/// reads the common recipe subset; everything else, including every malformed document, goes through YamlDotNet's
/// event parser, which therefore decides every error message and position. Plain scalars are typed with the YAML 1.2 core rules restricted to JSON numbers, so an unquoted
/// <c>2020-01-25</c> stays a string (never a date) and <c>yes</c> stays a string (never a boolean).
/// </summary>
internal static class YamlSourceParser
{
    // Deeper documents are rejected rather than risking the stack; real recipes nest a dozen levels at most.
    public const int MaxDepth = 128;

    public static SourceNode Parse(string text) => YamlFastReader.TryRead(text) ?? ParseEvents(text);

    /// <summary>Reads <paramref name="text"/> with YamlDotNet only: the reference the fast path is tested against.</summary>
    internal static SourceNode ParseEvents(string text)
    {
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, SourceNode>(StringComparer.Ordinal);
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                throw new SourceSyntaxException("the document is empty", 1, 1);
            }

            parser.Consume<DocumentStart>();
            var root = ReadNode(parser, anchors, depth: 0);
            parser.Consume<DocumentEnd>();
            if (parser.Current is DocumentStart extra)
            {
                throw new SourceSyntaxException("a recipe holds exactly one YAML document", (int)extra.Start.Line, (int)extra.Start.Column);
            }

            return root;
        }
        catch (YamlException e)
        {
            throw new SourceSyntaxException(Clean(e.Message), (int)e.Start.Line, (int)e.Start.Column);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // YamlDotNet reports a few malformed inputs this way instead of a YamlException: content after "...",
            // an escaped surrogate without its pair.
            var at = parser.Current?.Start;
            throw new SourceSyntaxException($"invalid YAML: {e.Message.TrimEnd('.')}", (int)(at?.Line ?? 0), (int)(at?.Column ?? 0));
        }
    }

    private static SourceNode ReadNode(IParser parser, Dictionary<string, SourceNode> anchors, int depth)
    {
        var current = parser.Current ?? throw new SourceSyntaxException("unexpected end of document", 0, 0);
        var line = (int)current.Start.Line;
        var column = (int)current.Start.Column;
        if (depth > MaxDepth)
        {
            throw new SourceSyntaxException($"the document nests deeper than {MaxDepth} levels", line, column);
        }

        SourceNode node;
        string anchor;
        switch (current)
        {
            case AnchorAlias alias:
                parser.MoveNext();
                return anchors.TryGetValue(alias.Value.Value, out var target)
                    ? target
                    : throw new SourceSyntaxException($"unknown alias *{alias.Value.Value}", line, column);
            case Scalar scalar:
                parser.MoveNext();
                node = ToScalar(scalar, line, column);
                anchor = scalar.Anchor.IsEmpty ? string.Empty : scalar.Anchor.Value;
                break;
            case MappingStart start:
                parser.MoveNext();
                node = ReadMapping(parser, anchors, depth, line, column);
                anchor = start.Anchor.IsEmpty ? string.Empty : start.Anchor.Value;
                break;
            case SequenceStart start:
                parser.MoveNext();
                node = ReadSequence(parser, anchors, depth, line, column);
                anchor = start.Anchor.IsEmpty ? string.Empty : start.Anchor.Value;
                break;
            default:
                throw new SourceSyntaxException($"unexpected {current.GetType().Name}", line, column);
        }

        if (anchor.Length > 0)
        {
            anchors[anchor] = node;
        }

        return node;
    }

    private static MappingNode ReadMapping(IParser parser, Dictionary<string, SourceNode> anchors, int depth, int line, int column)
    {
        var entries = new List<KeyValuePair<ScalarNode, SourceNode>>();
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var keyNode = ReadNode(parser, anchors, depth + 1);
            if (keyNode is not ScalarNode key)
            {
                throw new SourceSyntaxException("a mapping key must be a plain value", keyNode.Line, keyNode.Column);
            }

            entries.Add(new(key, ReadNode(parser, anchors, depth + 1)));
        }

        return new MappingNode(entries, line, column);
    }

    private static SequenceNode ReadSequence(IParser parser, Dictionary<string, SourceNode> anchors, int depth, int line, int column)
    {
        var items = new List<SourceNode>();
        while (!parser.TryConsume<SequenceEnd>(out _))
        {
            items.Add(ReadNode(parser, anchors, depth + 1));
        }

        return new SequenceNode(items, line, column);
    }

    private static ScalarNode ToScalar(Scalar scalar, int line, int column)
    {
        var value = scalar.Value;
        if (scalar.Style != ScalarStyle.Plain || (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific && scalar.Tag.Value == "tag:yaml.org,2002:str"))
        {
            return new ScalarNode(value, ScalarKind.String, line, column);
        }

        return new ScalarNode(value, ResolvePlain(value), line, column);
    }

    /// <summary>The kind of a plain (unquoted, untagged) scalar: YAML 1.2 core null and booleans, JSON numbers, else a string.</summary>
    internal static ScalarKind ResolvePlain(string value) => value switch
    {
        "" or "~" or "null" or "Null" or "NULL" => ScalarKind.Null,
        "true" or "True" or "TRUE" or "false" or "False" or "FALSE" => ScalarKind.Boolean,
        _ when IsJsonNumber(value) => ScalarKind.Number,
        _ => ScalarKind.String,
    };

    // YamlDotNet prefixes messages with the marks; the caller reports the position itself.
    private static string Clean(string message)
    {
        var close = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && close > 0 ? message[(close + 3)..] : message;
    }

    /// <summary>Whether <paramref name="text"/> is a JSON number: <c>-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?</c>.</summary>
    // Hand-written because it runs on every plain scalar, where a regular expression costs more than the rest.
    internal static bool IsJsonNumber(string text)
    {
        var i = text.Length > 0 && text[0] == '-' ? 1 : 0;
        if (i == text.Length || !char.IsAsciiDigit(text[i]))
        {
            return false;
        }

        i = text[i] == '0' ? i + 1 : SkipDigits(text, i);
        if (i < text.Length && text[i] == '.')
        {
            var start = ++i;
            i = SkipDigits(text, i);
            if (i == start)
            {
                return false;
            }
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '+' or '-')
            {
                i++;
            }

            var start = i;
            i = SkipDigits(text, i);
            if (i == start)
            {
                return false;
            }
        }

        return i == text.Length;
    }

    private static int SkipDigits(string text, int i)
    {
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        return i;
    }
}
