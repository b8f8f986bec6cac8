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
        var line = _line;
        var column = Column;
        var literal = Peek() == '|';
        return parentIndent >= 0 && ReadBlockScalarHeader(out var chomping)
            ? ReadBlockScalarLines(parentIndent, literal, chomping, line, column)
            : null;
    }

    /// <summary>Reads the indicators and the rest of the header line, up to the first content line.</summary>
    private bool ReadBlockScalarHeader(out Chomping chomping)
    {
        _pos++;
        chomping = Peek() switch { '-' => Chomping.Strip, '+' => Chomping.Keep, _ => Chomping.Clip };
        if (chomping != Chomping.Clip)
        {
            _pos++;
        }

        if (Peek() is not (' ' or '\n' or '\r') || !FinishLine() || Peek() == '\0')
        {
            return false;
        }

        ConsumeBreak();
        return true;
    }

    private ScalarNode? ReadBlockScalarLines(int parentIndent, bool literal, Chomping chomping, int line, int column)
    {
        var builder = new StringBuilder();
        var indent = -1;
        var breaks = 0;
        while (true)
        {
            var lineStart = _pos;
            SkipSpaces();
            var spaces = _pos - lineStart;
            if (Peek() == '\0' || IsBreak(Peek()))
            {
                // Spaces on an empty line before the first content line follow YamlDotNet's own rules, and a line of
                // spaces deeper than the content is content: both are YamlDotNet's to read.
                if (indent < 0 ? spaces > 0 : spaces > indent)
                {
                    return null;
                }

                if (Peek() == '\0')
                {
                    return indent < 0 ? null : EndBlockScalar(builder, breaks, chomping, line, column);
                }

                ConsumeBreak();
                breaks++;
                continue;
            }

            if (indent < 0)
            {
                if (spaces <= parentIndent)
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

            if (spaces == 0 && (AtDocumentMarker('-') || AtDocumentMarker('.')) || spaces > indent && !literal)
            {
                return null;
            }

            AppendBreaks(builder, breaks, literal);
            var start = lineStart + indent;
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

    private enum Chomping
    {
        Strip,
        Clip,
        Keep,
    }
}
