using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Greengrass.Model.Recipes;

/// <summary>
/// Emits a JSON tree as block-style YAML. A string is written plain only when no YAML 1.1 or 1.2 reader could
/// take it for another type; otherwise it is quoted, and multi-line strings (scripts) use the literal style.
/// </summary>
internal static partial class YamlTreeWriter
{
    public static string Write(JsonNode tree)
    {
        using var writer = new StringWriter();
        var emitter = new Emitter(writer, new EmitterSettings(bestIndent: 2, bestWidth: int.MaxValue, isCanonical: false,
            maxSimpleKeyLength: 1024, skipAnchorName: false, indentSequences: false, newLine: "\n"));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        Emit(emitter, tree);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    private static void Emit(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject map:
                var mapStyle = map.Count == 0 ? MappingStyle.Flow : MappingStyle.Block;
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, isImplicit: true, mapStyle));
                foreach (var (key, value) in map)
                {
                    EmitString(emitter, key);
                    Emit(emitter, value);
                }

                emitter.Emit(new MappingEnd());
                break;
            case JsonArray list:
                var listStyle = list.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block;
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, isImplicit: true, listStyle));
                foreach (var item in list)
                {
                    Emit(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case null:
                EmitPlain(emitter, "null");
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                EmitString(emitter, value.GetValue<string>());
                break;
            default:
                EmitPlain(emitter, node.ToJsonString());
                break;
        }
    }

    private static void EmitPlain(IEmitter emitter, string text) =>
        emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, text, ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));

    private static void EmitString(IEmitter emitter, string text)
    {
        var style = NeedsEscapes(text) ? ScalarStyle.DoubleQuoted
            : text.Contains('\n') ? (SuitsLiteral(text) ? ScalarStyle.Literal : ScalarStyle.DoubleQuoted)
            : MustQuote(text) ? ScalarStyle.SingleQuoted
            : ScalarStyle.Any;
        emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, text, style, isPlainImplicit: true, isQuotedImplicit: true));
    }

    // Only the double-quoted style can escape control characters, and YAML reads U+0085, U+2028 and U+2029
    // as line breaks, so any of them would change the string in another style.
    private static bool NeedsEscapes(string text) =>
        text.Any(c => (char.IsControl(c) && c is not '\n' and not '\t') || c is '\u2028' or '\u2029' or '\uFEFF' || char.IsSurrogate(c));

    // Scripts read best as literal blocks; leading blanks and trailing empty lines need indentation and chomping
    // indicators that are easy to get wrong, so such rare strings are double-quoted instead.
    private static bool SuitsLiteral(string text) =>
        !char.IsWhiteSpace(text[0]) && !text.EndsWith("\n\n", StringComparison.Ordinal);

    /// <summary>Whether a plain <paramref name="text"/> could be read back as something other than this string.</summary>
    internal static bool MustQuote(string text) =>
        text.Length == 0 || text != text.Trim() || ReservedWord().IsMatch(text) || NumberLike().IsMatch(text);

    [GeneratedRegex(@"^(?i:y|n|yes|no|on|off|true|false|null|~|\.inf|\.nan|[-+]\.inf|=|<<)$", RegexOptions.CultureInvariant)]
    private static partial Regex ReservedWord();

    // Anything starting like a number (digits, sign or dot then digit) may be an int, float, date, time or sexagesimal.
    [GeneratedRegex(@"^[-+.]?[0-9]", RegexOptions.CultureInvariant)]
    private static partial Regex NumberLike();
}
