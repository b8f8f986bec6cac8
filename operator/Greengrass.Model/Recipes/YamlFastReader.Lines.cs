namespace Greengrass.Model.Recipes;

// Characters, lines, comments and indentation.
internal ref partial struct YamlFastReader
{
    /// <summary>
    /// Whether every character is one this reader treats exactly like YamlDotNet: printable, no tab, no lone
    /// carriage return, no NEL/LS/PS line breaks, no byte-order mark inside the text, surrogates only in pairs.
    /// '\0' never passes, so <see cref="Peek"/> can use it as the end-of-text sentinel.
    /// </summary>
    private static bool HasOnlySimpleCharacters(string text)
    {
        var rest = text.AsSpan();
        int i;
        while ((i = rest.IndexOfAnyExceptInRange(' ', '~')) >= 0)
        {
            var c = rest[i];
            var next = i + 1 < rest.Length ? rest[i + 1] : '\0';
            if (c == '\r' && next == '\n' || char.IsHighSurrogate(c) && char.IsLowSurrogate(next))
            {
                i++;
            }
            else if (c != '\n' && (c < '\u00A0' || c is '\u2028' or '\u2029' or '\uFEFF' or > '\uFFFD' || char.IsSurrogate(c)))
            {
                return false;
            }

            rest = rest[(i + 1)..];
        }

        return true;
    }

    /// <summary>
    /// Skips blank and comment lines from a line end or a line start. Returns the indentation of the next line with
    /// content (the position is then on its first character), or -1 at the end of the text or at a document marker.
    /// </summary>
    private int SkipBlankLines()
    {
        while (true)
        {
            SkipSpaces();
            var c = Peek();
            if (c == '#')
            {
                SkipToLineEnd();
                c = Peek();
            }

            if (c == '\0')
            {
                return -1;
            }

            if (IsBreak(c))
            {
                ConsumeBreak();
                continue;
            }

            return AtDocumentMarker('-') || AtDocumentMarker('.') ? -1 : _pos - _lineStart;
        }
    }

    /// <summary>Skips spaces and a comment; whether the line ends there.</summary>
    private bool FinishLine()
    {
        SkipSpaces();
        return AtLineEnd();
    }

    /// <summary>Whether only a comment or nothing is left on the line (positioned after skipping spaces).</summary>
    private bool AtLineEnd()
    {
        var c = Peek();
        if (c == '#' && (_pos == _lineStart || _text[_pos - 1] == ' '))
        {
            SkipToLineEnd();
            return true;
        }

        return c == '\0' || IsBreak(c);
    }

    private readonly bool AtDocumentMarker(char c) =>
        _pos == _lineStart && Peek() == c && Peek(1) == c && Peek(2) == c && IsBlankOrEnd(Peek(3));

    private void SkipSpaces()
    {
        while (_pos < _text.Length && _text[_pos] == ' ')
        {
            _pos++;
        }
    }

    private void SkipToLineEnd()
    {
        var end = _text.AsSpan(_pos).IndexOfAny('\n', '\r');
        _pos = end < 0 ? _text.Length : _pos + end;
    }

    // The character scan guarantees that '\r' is followed by '\n'.
    private void ConsumeBreak()
    {
        _pos += _text[_pos] == '\r' ? 2 : 1;
        _line++;
        _lineStart = _pos;
    }
}
