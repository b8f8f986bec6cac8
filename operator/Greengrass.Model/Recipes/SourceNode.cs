namespace Greengrass.Model.Recipes;

/// <summary>
/// A parsed document node that remembers where it was written, so every recipe error can name a line and column.
/// JSON and YAML both parse into this tree; binding to the recipe model happens afterwards.
/// </summary>
internal abstract class SourceNode(int line, int column)
{
    public int Line { get; } = line;

    public int Column { get; } = column;

    public abstract string Describe();
}

internal enum ScalarKind
{
    String,
    Number,
    Boolean,
    Null,
}

internal sealed class ScalarNode(string text, ScalarKind kind, int line, int column) : SourceNode(line, column)
{
    public string Text { get; } = text;

    public ScalarKind Kind { get; } = kind;

    public override string Describe() => Kind switch
    {
        ScalarKind.String => $"\"{Text}\"",
        ScalarKind.Null => "null",
        _ => Text,
    };
}

internal sealed class MappingNode(IReadOnlyList<KeyValuePair<ScalarNode, SourceNode>> entries, int line, int column)
    : SourceNode(line, column)
{
    public IReadOnlyList<KeyValuePair<ScalarNode, SourceNode>> Entries { get; } = entries;

    public override string Describe() => "an object";
}

internal sealed class SequenceNode(IReadOnlyList<SourceNode> items, int line, int column) : SourceNode(line, column)
{
    public IReadOnlyList<SourceNode> Items { get; } = items;

    public override string Describe() => "a list";
}

/// <summary>A syntax error reported by the JSON or YAML parser, with its position.</summary>
internal sealed class SourceSyntaxException(string message, int line, int column) : Exception(message)
{
    public int Line { get; } = line;

    public int Column { get; } = column;
}
