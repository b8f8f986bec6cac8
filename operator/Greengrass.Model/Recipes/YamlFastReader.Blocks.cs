using System.Text;

namespace Greengrass.Model.Recipes;

internal ref partial struct YamlFastReader
{
    /// <summary>
    /// Reads a literal (<c>|</c>) or folded (<c>&gt;</c>) block scalar with an optional chomping indicator; its
    /// indentation is that of its first non-empty line, which must be deeper than <paramref name="parentIndent"/>.
    /// Left to YamlDotNet: an explicit indentation indicator, an empty block scalar, a folded scalar with
    /// more-indented lines, a line of spaces deeper than the content, spaces on the empty lines before the first one, and a block
    /// scalar as the whole document.
    /// </summary>
    private ScalarNode? ReadBlockScalar(int parentIndent)
    {
        // YamlDotNet indents a block scalar at the document's top level in its own way; recipes never write one.
        if (parentIndent < 0)
        {
            return null;
        }

        var line = _line;
        var column = Column;
        var literal = Peek() == '|';
        _pos++;
        var chomping = Peek() switch { '-' => Chomping.Strip, '+' => Chomping.Keep, _ => Chomping.Clip };
        if (chomping != Chomping.Clip)
        {
            _pos++;
        }

        if (char.IsAsciiDigit(Peek()) || Peek() is not (' ' or '\n' or '\r') || !FinishLine() || Peek() == '\0')
        {
            return null;
        }

        ConsumeBreak();
        var builder = new StringBuilder();
        var indent = -1;
        var breaks = 0;
        var leadingSpaces = 0;
        while (true)
        {
            var lineStart = _pos;
            SkipSpaces();
            var spaces = _pos - lineStart;
            if (Peek() == '\0' || IsBreak(Peek()))
            {
                // A line of spaces deeper than the content is content: YamlDotNet's to read.
                if (indent >= 0 && spaces > indent)
                {
                    return null;
                }

                if (Peek() == '\0')
                {
                    return indent < 0 ? null : EndBlockScalar(builder, breaks, chomping, line, column);
                }

                leadingSpaces = Math.Max(leadingSpaces, spaces);
                ConsumeBreak();
                breaks++;
                continue;
            }

            if (indent < 0)
            {
                // Spaces on the empty lines before the first one: YamlDotNet has its own rules for them.
                if (spaces <= parentIndent || leadingSpaces > 0)
                {
                    return null;
                }

                indent = spaces;
            }

            if (spaces < indent)
            {
                _pos = lineStart;
                return EndBlockScalar(builder, breaks, chomping, line, column);
            }

            if (spaces == 0 && (AtDocumentMarkerAt(lineStart, '-') || AtDocumentMarkerAt(lineStart, '.')) || spaces > indent && !literal)
            {
                return null;
            }

            AppendBreaks(builder, breaks, literal);
            _pos = lineStart + indent;
            var start = _pos;
            SkipToLineEnd();
            builder.Append(_text, start, _pos - start);
            if (Peek() == '\0')
            {
                return EndBlockScalar(builder, 0, chomping, line, column);
            }

            ConsumeBreak();
            breaks = 1;
        }
    }

    // Between two content lines a literal keeps every break; a folded scalar turns a single break into a space
    // and keeps the empty lines. Before the first content line both keep every empty line.
    private static void AppendBreaks(StringBuilder builder, int breaks, bool literal)
    {
        if (builder.Length == 0 || literal)
        {
            builder.Append('\n', breaks);
        }
        else if (breaks == 1)
        {
            builder.Append(' ');
        }
        else
        {
            builder.Append('\n', breaks - 1);
        }
    }

    private static ScalarNode EndBlockScalar(StringBuilder builder, int trailingBreaks, Chomping chomping, int line, int column)
    {
        var breaks = chomping switch
        {
            Chomping.Strip => 0,
            Chomping.Clip => Math.Min(trailingBreaks, 1),
            _ => trailingBreaks,
        };
        return new ScalarNode(builder.Append('\n', breaks).ToString(), ScalarKind.String, line, column);
    }

    private readonly bool AtDocumentMarkerAt(int start, char c) =>
        start + 2 < _text.Length && _text[start] == c && _text[start + 1] == c && _text[start + 2] == c
        && (start + 3 == _text.Length || IsBlankOrEnd(_text[start + 3]));

    private enum Chomping
    {
        Strip,
        Clip,
        Keep,
    }
}
