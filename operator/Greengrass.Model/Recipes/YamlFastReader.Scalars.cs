using System.Buffers;
using System.Globalization;
using System.Text;

namespace Greengrass.Model.Recipes;

internal ref partial struct YamlFastReader
{
    private static readonly SearchValues<char> DoubleQuotedStops = SearchValues.Create("\"\\\n\r");

    /// <summary>Reads a plain or quoted scalar that ends on this line; the position ends after its last character.</summary>
    private ScalarNode? ReadScalar(bool flow, int line, int column)
    {
        var c = Peek();
        if (c is '\'' or '"')
        {
            var text = c == '\'' ? ReadSingleQuoted() : ReadDoubleQuoted();
            return text is null ? null : new ScalarNode(text, ScalarKind.String, line, column);
        }

        if (!CanStartPlain(flow))
        {
            return null;
        }

        var plain = ReadPlain(flow);
        return plain is null ? null : new ScalarNode(plain, YamlSourceParser.ResolvePlain(plain), line, column);
    }

    private static bool IsFlowIndicator(char c) => c is ',' or '[' or ']' or '{' or '}';

    private readonly bool CanStartPlain(bool flow)
    {
        // YamlDotNet reads a leading ':' or '?' followed by text differently from YAML 1.2 depending on the
        // context; it decides those.
        var c = Peek();
        if (c == '-')
        {
            var next = Peek(1);
            return !IsBlankOrEnd(next) && !(flow && IsFlowIndicator(next));
        }

        return !IsBlankOrEnd(c) && c is not (':' or '?' or ',' or '[' or ']' or '{' or '}' or '#' or '&' or '*' or '!' or '|' or '>' or '%' or '@' or '`');
    }

    /// <summary>
    /// A plain scalar up to ": ", " #" or the line end (and, in a flow collection, a flow indicator), without
    /// trailing spaces. A continuation on the next line is caught by the callers: it is indented deeper than the block.
    /// </summary>
    private string? ReadPlain(bool flow)
    {
        var start = _pos;
        var end = _pos;
        for (var c = Peek(); c != '\0' && !IsBreak(c); c = Peek())
        {
            if (c == ':' && IsBlankOrEnd(Peek(1)))
            {
                // YamlDotNet does not always take "a *b: c" as a key: it reads the whole line as one scalar.
                return _text.AsSpan(start, _pos - start).Contains(" *", StringComparison.Ordinal) ? null : Trimmed(start, end);
            }

            if (c == '#' && _text[_pos - 1] == ' ' || flow && IsFlowIndicator(c))
            {
                break;
            }

            if (flow && c == ':')
            {
                // "a:b" inside a flow collection: YAML versions disagree on it, so YamlDotNet decides.
                return null;
            }

            _pos++;
            if (c != ' ')
            {
                end = _pos;
            }
        }

        return Trimmed(start, end);
    }

    private string Trimmed(int start, int end)
    {
        _pos = end;
        return _text.Substring(start, end - start);
    }

    private string? ReadSingleQuoted()
    {
        StringBuilder? builder = null;
        var start = ++_pos;
        while (true)
        {
            var quote = _text.AsSpan(_pos).IndexOfAny('\'', '\n', '\r');
            if (quote < 0 || _text[_pos + quote] != '\'')
            {
                // Unterminated, or folded over several lines.
                return null;
            }

            _pos += quote;
            if (Peek(1) != '\'')
            {
                var text = builder is null ? _text.Substring(start, _pos - start) : builder.Append(_text, start, _pos - start).ToString();
                _pos++;
                return text;
            }

            (builder ??= new StringBuilder()).Append(_text, start, _pos - start + 1);
            _pos += 2;
            start = _pos;
        }
    }

    private string? ReadDoubleQuoted()
    {
        StringBuilder? builder = null;
        var start = ++_pos;
        while (true)
        {
            var stop = _text.AsSpan(_pos).IndexOfAny(DoubleQuotedStops);
            if (stop < 0 || IsBreak(_text[_pos + stop]))
            {
                return null;
            }

            _pos += stop;
            if (_text[_pos] == '"')
            {
                var text = builder is null ? _text.Substring(start, _pos - start) : builder.Append(_text, start, _pos - start).ToString();
                _pos++;
                return text;
            }

            (builder ??= new StringBuilder()).Append(_text, start, _pos - start);
            if (!AppendEscape(builder))
            {
                return null;
            }

            start = _pos;
        }
    }

    /// <summary>Appends the escape at the position (a backslash) and moves past it; false for one to leave to YamlDotNet.</summary>
    private bool AppendEscape(StringBuilder builder)
    {
        var code = Peek(1);
        _pos += 2;
        var simple = code switch
        {
            '0' => '\0',
            'a' => '\a',
            'b' => '\b',
            't' => '\t',
            'n' => '\n',
            'v' => '\v',
            'f' => '\f',
            'r' => '\r',
            'e' => '\u001B',
            ' ' or '"' or '/' or '\\' => code,
            'N' => '\u0085',
            '_' => '\u00A0',
            'L' => '\u2028',
            'P' => '\u2029',
            _ => (char?)null,
        };
        if (simple is not null)
        {
            builder.Append(simple.Value);
            return true;
        }

        var digits = code switch { 'x' => 2, 'u' => 4, 'U' => 8, _ => 0 };
        if (digits == 0 || _pos + digits > _text.Length
            || !int.TryParse(_text.AsSpan(_pos, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            || value is < 0 or > 0x10FFFF or >= 0xD800 and <= 0xDFFF)
        {
            return false;
        }

        _pos += digits;
        if (value < 0x10000)
        {
            builder.Append((char)value);
        }
        else
        {
            builder.Append(char.ConvertFromUtf32(value));
        }

        return true;
    }
}
