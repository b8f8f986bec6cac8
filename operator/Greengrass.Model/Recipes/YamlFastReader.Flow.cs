namespace Greengrass.Model.Recipes;

internal ref partial struct YamlFastReader
{
    /// <summary>
    /// Reads a flow sequence or mapping that closes on the same line. Left to YamlDotNet: one spread over several
    /// lines, a trailing comma, a key without a value, a single-pair mapping inside a sequence (<c>[a: b]</c>),
    /// and a collection or an empty node as a flow mapping key or value.
    /// </summary>
    private SourceNode? ReadFlowCollection(int depth)
    {
        if (depth > YamlSourceParser.MaxDepth)
        {
            return null;
        }

        var line = _line;
        var column = Column;
        var sequence = Peek() == '[';
        _pos++;
        SkipSpaces();
        if (sequence)
        {
            var items = new List<SourceNode>();
            return ReadFlowEntries(items, ']', depth) ? new SequenceNode(items, line, column) : null;
        }

        var entries = new List<KeyValuePair<ScalarNode, SourceNode>>();
        return ReadFlowEntries(entries, '}', depth) ? new MappingNode(entries, line, column) : null;
    }

    private bool ReadFlowEntries(List<SourceNode> items, char close, int depth)
    {
        if (Peek() == close)
        {
            _pos++;
            return true;
        }

        while (true)
        {
            var item = ReadFlowNode(depth + 1);
            if (item is null)
            {
                return false;
            }

            items.Add(item);
            if (!NextFlowEntry(close, out var done))
            {
                return false;
            }

            if (done)
            {
                return true;
            }
        }
    }

    private bool ReadFlowEntries(List<KeyValuePair<ScalarNode, SourceNode>> entries, char close, int depth)
    {
        if (Peek() == close)
        {
            _pos++;
            return true;
        }

        while (true)
        {
            var key = ReadScalar(flow: true, _line, Column);
            SkipSpaces();
            if (key is null || Peek() != ':' || Peek(1) != ' ')
            {
                return false;
            }

            _pos++;
            SkipSpaces();
            var value = ReadFlowNode(depth + 1);
            if (value is null)
            {
                return false;
            }

            entries.Add(new(key, value));
            if (!NextFlowEntry(close, out var done))
            {
                return false;
            }

            if (done)
            {
                return true;
            }
        }
    }

    private SourceNode? ReadFlowNode(int depth) =>
        Peek() is '[' or '{' ? ReadFlowCollection(depth) : ReadScalar(flow: true, _line, Column);

    /// <summary>After an entry: a ',' and the next entry, or the closing bracket (<paramref name="done"/>).</summary>
    private bool NextFlowEntry(char close, out bool done)
    {
        SkipSpaces();
        done = Peek() == close;
        if (done)
        {
            _pos++;
            return true;
        }

        if (Peek() != ',')
        {
            return false;
        }

        _pos++;
        SkipSpaces();
        return Peek() != close;
    }
}
