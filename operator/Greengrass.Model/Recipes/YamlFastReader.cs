namespace Greengrass.Model.Recipes;

/// <summary>
/// The fast path of <see cref="YamlSourceParser"/>: scans the YAML that recipes are written in straight into a
/// <see cref="SourceNode"/> tree, with the same values, scalar kinds and line/column marks as the YamlDotNet path.
/// It covers block mappings and sequences (also <c>- </c> at the mapping's indentation and compact <c>- key: v</c>),
/// plain and single-line quoted scalars, <c>|</c>/<c>&gt;</c> block scalars with chomping, single-line flow
/// collections, comments, CRLF and the <c>---</c>/<c>...</c> markers. Anything else (anchors, aliases, tags,
/// complex keys, directives, tabs, multi-line plain/quoted scalars or flow collections, explicit block indentation,
/// and the few forms YamlDotNet reads in its own way: a key holding <c> *</c>, a plain scalar starting with ':' or
/// '?', a block scalar as the whole document) and every malformed input returns <see langword="null"/>: the caller
/// then reads the text with YamlDotNet, so behaviour and error positions never depend on this reader.
/// </summary>
internal ref partial struct YamlFastReader
{
    // YAML limits an implicit key to 1024 characters; longer ones go to YamlDotNet, which reports them.
    private const int MaxKeyLength = 1024;

    private readonly string _text;
    private int _pos;
    private int _line;
    private int _lineStart;

    private YamlFastReader(string text)
    {
        _text = text;
        _line = 1;
    }

    /// <summary>The tree of <paramref name="text"/>, or <see langword="null"/> when YamlDotNet has to read it.</summary>
    public static SourceNode? TryRead(string text)
    {
        if (!HasOnlySimpleCharacters(text))
        {
            return null;
        }

        var reader = new YamlFastReader(text);
        return reader.ReadDocument();
    }

    private readonly int Column => _pos - _lineStart + 1;

    private readonly char Peek(int ahead = 0)
    {
        var i = _pos + ahead;
        return i < _text.Length ? _text[i] : '\0';
    }

    private static bool IsBreak(char c) => c is '\n' or '\r';

    private static bool IsBlankOrEnd(char c) => c is ' ' or '\n' or '\r' or '\0';

    private readonly bool AtSequenceEntry => Peek() == '-' && IsBlankOrEnd(Peek(1));

    private SourceNode? ReadDocument()
    {
        var indent = SkipBlankLines();
        if (AtDocumentMarker('-'))
        {
            _pos += 3;
            if (!FinishLine())
            {
                return null;
            }

            indent = SkipBlankLines();
        }

        // An empty document, a directive or a document that starts with "..." is YamlDotNet's to report.
        if (indent < 0 || Peek() == '%')
        {
            return null;
        }

        var root = ReadBlockNode(-1, allowCollections: true, depth: 0);
        if (root is null || SkipBlankLines() >= 0)
        {
            return null;
        }

        if (AtDocumentMarker('.'))
        {
            _pos += 3;
            if (!FinishLine() || SkipBlankLines() >= 0)
            {
                return null;
            }
        }

        // Anything left is a second document.
        return _pos >= _text.Length ? root : null;
    }

    /// <summary>
    /// Reads the node at the current position, which is not a space. <paramref name="parentIndent"/> is the
    /// indentation of the enclosing block collection (-1 at the root); a mapping or a sequence may start here only
    /// when <paramref name="allowCollections"/> (not right after <c>key: </c>).
    /// </summary>
    private SourceNode? ReadBlockNode(int parentIndent, bool allowCollections, int depth)
    {
        if (depth > YamlSourceParser.MaxDepth)
        {
            return null;
        }

        var line = _line;
        var column = Column;
        switch (Peek())
        {
            case '-' when IsBlankOrEnd(Peek(1)):
                return allowCollections ? ReadBlockSequence(column - 1, depth) : null;
            case '|' or '>':
                return ReadBlockScalar(parentIndent);
            case '[' or '{':
                // A flow collection followed by ':' is a complex key: FinishLine refuses it.
                var flow = ReadFlowCollection(depth);
                return flow is not null && FinishLine() ? flow : null;
        }

        var start = _pos;
        var scalar = ReadScalar(flow: false, line, column);
        if (scalar is null)
        {
            return null;
        }

        var length = _pos - start;
        SkipSpaces();
        if (Peek() == ':' && IsBlankOrEnd(Peek(1)))
        {
            if (!allowCollections || length > MaxKeyLength)
            {
                return null;
            }

            _pos++;
            return ReadBlockMapping(column - 1, scalar, depth);
        }

        return FinishLine() ? scalar : null;
    }

    /// <summary>Reads a block mapping whose first key has been read; the position is just after its ':'.</summary>
    private MappingNode? ReadBlockMapping(int indent, ScalarNode firstKey, int depth)
    {
        var entries = new List<KeyValuePair<ScalarNode, SourceNode>>();
        var key = firstKey;
        while (true)
        {
            var value = ReadMappingValue(indent, depth + 1);
            if (value is null)
            {
                return null;
            }

            entries.Add(new(key, value));
            var next = SkipBlankLines();
            if (next < indent)
            {
                return new MappingNode(entries, firstKey.Line, firstKey.Column);
            }

            key = next == indent ? ReadKey() : null;
            if (key is null)
            {
                return null;
            }
        }
    }

    private ScalarNode? ReadKey()
    {
        var start = _pos;
        var key = ReadScalar(flow: false, _line, Column);
        if (key is null || _pos - start > MaxKeyLength)
        {
            return null;
        }

        SkipSpaces();
        if (Peek() != ':' || !IsBlankOrEnd(Peek(1)))
        {
            return null;
        }

        _pos++;
        return key;
    }

    /// <summary>Reads the value after <c>key:</c>: on the same line, on the lines below, or an empty (null) value.</summary>
    private SourceNode? ReadMappingValue(int indent, int depth)
    {
        // YamlDotNet marks an empty value just after the ':'.
        var line = _line;
        var column = Column;
        SkipSpaces();
        if (!AtLineEnd())
        {
            return ReadBlockNode(indent, allowCollections: false, depth);
        }

        var next = SkipBlankLines();
        if (next > indent)
        {
            return ReadBlockNode(indent, allowCollections: true, depth);
        }

        // A sequence may sit at its key's indentation.
        return next == indent && AtSequenceEntry
            ? ReadBlockSequence(indent, depth)
            : new ScalarNode(string.Empty, ScalarKind.Null, line, column);
    }

    private SequenceNode? ReadBlockSequence(int indent, int depth)
    {
        var line = _line;
        var column = Column;
        var items = new List<SourceNode>();
        while (true)
        {
            _pos++;
            var itemLine = _line;
            var itemColumn = Column;
            SkipSpaces();
            var item = !AtLineEnd() ? ReadBlockNode(indent, allowCollections: true, depth + 1)
                : SkipBlankLines() > indent ? ReadBlockNode(indent, allowCollections: true, depth + 1)
                : new ScalarNode(string.Empty, ScalarKind.Null, itemLine, itemColumn);
            if (item is null)
            {
                return null;
            }

            items.Add(item);
            var next = SkipBlankLines();
            if (next < indent || next == indent && !AtSequenceEntry)
            {
                // At the same indentation without '-': the key after a sequence written at its key's indentation.
                return new SequenceNode(items, line, column);
            }

            if (next > indent)
            {
                return null;
            }
        }
    }
}
