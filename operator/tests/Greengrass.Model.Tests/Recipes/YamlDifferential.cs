using System.Text;
using Greengrass.Model.Recipes;

namespace Greengrass.Model.Tests.Recipes;

/// <summary>Compares the fast YAML reader with the YamlDotNet path on one text.</summary>
internal static class YamlDifferential
{
    /// <summary>
    /// Asserts that when the fast reader reads <paramref name="text"/>, YamlDotNet reads it too, into the same tree
    /// with the same marks. Returns whether the fast reader took it (false: it falls back to YamlDotNet).
    /// </summary>
    public static bool AssertSameAsYamlDotNet(string text)
    {
        var fast = YamlFastReader.TryRead(text);
        if (fast is null)
        {
            return false;
        }

        string reference;
        try
        {
            reference = Dump(YamlSourceParser.ParseEvents(text));
        }
        catch (SourceSyntaxException e)
        {
            throw new Xunit.Sdk.XunitException(
                $"the fast reader accepted a text YamlDotNet rejects ({e.Line}:{e.Column}: {e.Message}):\n{Show(text)}");
        }

        var actual = Dump(fast);
        if (actual != reference)
        {
            throw new Xunit.Sdk.XunitException($"trees differ for:\n{Show(text)}\nYamlDotNet: {reference}\nfast:       {actual}");
        }

        return true;
    }

    /// <summary>The tree with every kind, value and mark, e.g. <c>{@1:1 s"a"@1:1: n"1"@1:4}</c>.</summary>
    public static string Dump(SourceNode node)
    {
        var builder = new StringBuilder();
        Dump(node, builder);
        return builder.ToString();
    }

    private static void Dump(SourceNode node, StringBuilder builder)
    {
        switch (node)
        {
            case ScalarNode scalar:
                builder.Append(scalar.Kind.ToString()[0]).Append('"').Append(Escape(scalar.Text)).Append('"');
                break;
            case MappingNode map:
                builder.Append('{');
                foreach (var (key, value) in map.Entries)
                {
                    Dump(key, builder);
                    builder.Append(": ");
                    Dump(value, builder);
                    builder.Append(", ");
                }

                builder.Append('}');
                break;
            case SequenceNode sequence:
                builder.Append('[');
                foreach (var item in sequence.Items)
                {
                    Dump(item, builder);
                    builder.Append(", ");
                }

                builder.Append(']');
                break;
        }

        builder.Append('@').Append(node.Line).Append(':').Append(node.Column);
    }

    private static string Escape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)
            .Replace("\r", "\\r", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    public static string Show(string text) =>
        text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal);
}
