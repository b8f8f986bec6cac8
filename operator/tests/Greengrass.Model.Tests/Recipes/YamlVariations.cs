using System.Globalization;
using System.Text;

namespace Greengrass.Model.Tests.Recipes;

/// <summary>
/// Writes random recipe-shaped YAML documents in varied styles: every scalar style (plain, quoted with escapes,
/// literal and folded block scalars with chomping), block and flow collections, sequences at the key's indentation
/// and compact ones, indentation steps of 1 to 4, comments, blank lines, document markers, CRLF and unicode.
/// Plain scalars are written as they come, unsafe or not: the tests only compare two parsers on the same text.
/// </summary>
internal sealed class YamlVariations(int seed)
{
    private static readonly string[] Words =
    [
        "linux", "1.0.0", "2020-01-25", "42", "-7", "0", "007", "1.5e3", "-0.25", "true", "False", "null", "~", "yes",
        "s3://bucket/app.zip", "python3 -u {artifacts:path}/main.py", "aws.greengrass#PublishToTopic", "température °C",
        "😀 smile", "it's", "say \"hi\"", "back\\slash", "a#b", "-dash", "", ">=2.5.0 <2.14.0", "/^arm.*/", "ALL", "ZIP",
        "com.example.Hello:pubsub:1", "ünïcödé", "日本語", "a|b", "a > b", "multi\nline", "two\n\nparagraphs\n",
    ];

    // Texts that are unsafe as plain scalars or need YamlDotNet, written now and then.
    private static readonly string[] TrickyWords =
    [
        "{configuration:/topic}", "a: b", "x #y", "*star", "&amp", "!bang", "@at", "%pct", "[br]", "{br}", "a, b", "?q",
        ":colon", "key:", "- dash", "trailing ", " leading", "tab\there", "---", "...", "'quoted'", "\"dq\"", "*",
    ];

    private static readonly string[] Keys =
    [
        "RecipeFormatVersion", "ComponentName", "Manifests", "Lifecycle", "Run", "Script", "Timeout", "Platform", "os",
        "topic", "accessControl", "com.example.Pub:pubsub:1", "aws.greengrass.ipc.pubsub", "1", "true", "null", "a b",
        "it's", "température", "key with: colon", "-k", "x#y",
    ];

    private readonly Random _random = new(seed);

    public string Next()
    {
        var builder = new StringBuilder();
        if (Chance(0.3))
        {
            builder.Append(Chance(0.5) ? "---\n" : "--- # start\n");
        }

        if (Chance(0.2))
        {
            builder.Append("# a recipe\n\n");
        }

        var indent = _random.Next(0, 2);
        Pad(builder, indent);
        WriteMappingBody(builder, Tree(0, mapping: true), indent);
        if (Chance(0.15))
        {
            builder.Append("...\n");
        }

        var text = builder.ToString();
        if (Chance(0.1))
        {
            text = text.TrimEnd('\n');
        }

        return Chance(0.25) ? text.ReplaceLineEndings("\r\n") : text;
    }

    private bool Chance(double p) => _random.NextDouble() < p;

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private object Tree(int depth, bool mapping)
    {
        var size = _random.Next(depth == 0 ? 2 : 0, depth > 3 ? 2 : 5);
        if (mapping)
        {
            var entries = new List<KeyValuePair<string, object>>();
            for (var i = 0; i < size; i++)
            {
                entries.Add(new(Pick(Keys), Value(depth + 1)));
            }

            return entries;
        }

        var items = new List<object>();
        for (var i = 0; i < size; i++)
        {
            items.Add(Value(depth + 1));
        }

        return items;
    }

    private object Value(int depth) => _random.Next(depth > 4 ? 1 : 4) switch
    {
        0 or 1 => Chance(0.1) ? Pick(TrickyWords) : Pick(Words),
        2 => Tree(depth, mapping: true),
        _ => Tree(depth, mapping: false),
    };

    private int Step() => _random.Next(1, 5);

    private void Pad(StringBuilder builder, int indent) => builder.Append(' ', indent);

    private void WriteMappingBody(StringBuilder builder, object tree, int indent)
    {
        var first = true;
        foreach (var (key, value) in (List<KeyValuePair<string, object>>)tree)
        {
            if (!first)
            {
                WriteFiller(builder, indent);
                Pad(builder, indent);
            }

            first = false;
            builder.Append(Quote(key, block: false)).Append(':');
            WriteValueAfterIndicator(builder, value, indent, isMappingValue: true);
        }

        if (first)
        {
            builder.Append("{}\n");
        }
    }

    private void WriteFiller(StringBuilder builder, int indent)
    {
        if (Chance(0.1))
        {
            builder.Append('\n');
        }

        if (Chance(0.1))
        {
            Pad(builder, _random.Next(0, indent + 3));
            builder.Append("# comment\n");
        }
    }

    /// <summary>Writes what follows <c>key:</c> or <c>-</c>, up to and including the line break.</summary>
    private void WriteValueAfterIndicator(StringBuilder builder, object value, int indent, bool isMappingValue)
    {
        switch (value)
        {
            case string scalar:
                WriteScalar(builder, scalar, indent);
                break;
            case List<KeyValuePair<string, object>> or List<object> when Chance(0.25):
                builder.Append(' ').Append(Flow(value)).Append(Comment()).Append('\n');
                break;
            case List<KeyValuePair<string, object>> map when map.Count > 0 && !isMappingValue && Chance(0.5):
                var spaces = _random.Next(1, 4);
                Pad(builder, spaces);
                WriteMappingBody(builder, map, indent + 1 + spaces);
                break;
            case List<KeyValuePair<string, object>> map:
                var inner = indent + Step();
                builder.Append(Comment()).Append('\n');
                Pad(builder, inner);
                WriteMappingBody(builder, map, inner);
                break;
            case List<object> items:
                var at = isMappingValue && Chance(0.4) ? indent : indent + Step();
                builder.Append(Comment()).Append('\n');
                WriteSequence(builder, items, at);
                break;
        }
    }

    private void WriteSequence(StringBuilder builder, List<object> items, int indent)
    {
        if (items.Count == 0)
        {
            Pad(builder, indent);
            builder.Append("[]\n");
        }

        foreach (var item in items)
        {
            WriteFiller(builder, indent);
            Pad(builder, indent);
            builder.Append('-');
            WriteValueAfterIndicator(builder, item, indent, isMappingValue: false);
        }
    }

    private void WriteScalar(StringBuilder builder, string value, int indent)
    {
        var style = _random.Next(10);
        if (style < 2 && value.Length > 0)
        {
            WriteBlockScalar(builder, value, indent);
            return;
        }

        builder.Append(value.Length == 0 && Chance(0.5) ? string.Empty : " " + Quote(value, block: style > 5)).Append(Comment()).Append('\n');
    }

    private void WriteBlockScalar(StringBuilder builder, string value, int indent)
    {
        builder.Append(' ').Append(Chance(0.5) ? '|' : '>').Append(Pick(["", "-", "+"])).Append(Comment()).Append('\n');
        var contentIndent = indent + Step();
        foreach (var line in value.Split('\n'))
        {
            if (line.Length > 0)
            {
                Pad(builder, contentIndent);
            }

            builder.Append(line).Append('\n');
        }
    }

    private string Quote(string value, bool block) => _random.Next(block ? 6 : 4) switch
    {
        0 => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'",
        1 => DoubleQuote(value),
        _ => value,
    };

    private string DoubleQuote(string value)
    {
        var builder = new StringBuilder("\"");
        foreach (var rune in value.EnumerateRunes())
        {
            builder.Append(rune.Value switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => Chance(0.5) ? "\\t" : "\\x09",
                > 0xFFFF when Chance(0.5) => "\\U" + rune.Value.ToString("X8", CultureInfo.InvariantCulture),
                > '~' when Chance(0.5) => "\\u" + rune.Value.ToString("x4", CultureInfo.InvariantCulture),
                _ => rune.ToString(),
            });
        }

        return builder.Append('"').ToString();
    }

    private string Flow(object value) => value switch
    {
        string scalar => Quote(scalar, block: false),
        List<KeyValuePair<string, object>> map => "{" + string.Join(", ", map.Select(e => Quote(e.Key, block: false) + ": " + Flow(e.Value))) + "}",
        List<object> items => "[" + string.Join(Chance(0.5) ? ", " : ",", items.Select(Flow)) + "]",
        _ => throw new ArgumentException("not a tree node", nameof(value)),
    };

    private string Comment() => Chance(0.15) ? "  # note" : string.Empty;
}
