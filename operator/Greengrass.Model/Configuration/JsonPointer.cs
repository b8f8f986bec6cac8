using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json.Nodes;

namespace Greengrass.Model.Configuration;

/// <summary>An RFC 6901 JSON pointer: <c>""</c> is the whole document, <c>/a/b~1c/0</c> is key "a", key "b/c", element or key "0".</summary>
public sealed class JsonPointer
{
    private JsonPointer(string text, string[] segments)
    {
        Text = text;
        Segments = segments;
    }

    /// <summary>The pointer as written.</summary>
    public string Text { get; }

    /// <summary>The unescaped reference tokens (<c>~1</c> → <c>/</c>, <c>~0</c> → <c>~</c>); empty for the whole document.</summary>
    public IReadOnlyList<string> Segments { get; }

    /// <summary>True for <c>""</c>, the pointer to the whole document.</summary>
    public bool IsWholeDocument => Segments.Count == 0;

    /// <summary>Parses a pointer.</summary>
    /// <param name="text">The pointer text.</param>
    /// <returns>The pointer.</returns>
    /// <exception cref="JsonPointerFormatException">The text is not a pointer; the message says where.</exception>
    public static JsonPointer Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var pointer, out var error) ? pointer : throw error;
    }

    /// <summary>Parses a pointer without throwing.</summary>
    /// <param name="text">The pointer text.</param>
    /// <param name="pointer">The pointer when the method returns true.</param>
    /// <param name="error">Why it is malformed when the method returns false.</param>
    /// <returns>True when the text is a valid pointer.</returns>
    public static bool TryParse(string text, [NotNullWhen(true)] out JsonPointer? pointer, [NotNullWhen(false)] out JsonPointerFormatException? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        pointer = null;
        error = null;
        if (text.Length > 0 && text[0] != '/')
        {
            error = new JsonPointerFormatException(text, 0, "a JSON pointer must be empty or start with '/'");
            return false;
        }

        var segments = new List<string>();
        var current = new StringBuilder();
        for (var i = 1; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == '/')
            {
                segments.Add(current.ToString());
                current.Clear();
                continue;
            }

            if (text[i] != '~')
            {
                current.Append(text[i]);
                continue;
            }

            if (i + 1 >= text.Length || text[i + 1] is not ('0' or '1'))
            {
                error = new JsonPointerFormatException(text, i, "'~' must be followed by '0' or '1'");
                return false;
            }

            current.Append(text[++i] == '0' ? '~' : '/');
        }

        pointer = new JsonPointer(text, text.Length == 0 ? [] : [.. segments]);
        return true;
    }

    /// <summary>True when a segment reads as an array index: <c>0</c> or digits without a leading zero, within Int32.</summary>
    /// <param name="segment">An unescaped segment.</param>
    /// <returns>Whether it can address an array element.</returns>
    public static bool IsArrayIndex(string segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        if (segment.Length == 0 || segment.Length > 10 || (segment[0] == '0' && segment.Length > 1))
        {
            return false;
        }

        return segment.All(char.IsAsciiDigit) && long.Parse(segment, System.Globalization.CultureInfo.InvariantCulture) <= int.MaxValue;
    }

    /// <summary>Finds the node the pointer designates; object keys match case-sensitively.</summary>
    /// <param name="root">The document.</param>
    /// <param name="value">The node found; null when it is a JSON null.</param>
    /// <returns>False when nothing exists at the pointer (a missing key, an index out of range, a step into a scalar).</returns>
    public bool TryEvaluate(JsonNode? root, out JsonNode? value)
    {
        value = root;
        foreach (var segment in Segments)
        {
            switch (value)
            {
                case JsonObject obj when obj.TryGetPropertyValue(segment, out var child):
                    value = child;
                    break;
                case JsonArray array when IsArrayIndex(segment) && int.Parse(segment, System.Globalization.CultureInfo.InvariantCulture) < array.Count:
                    value = array[int.Parse(segment, System.Globalization.CultureInfo.InvariantCulture)];
                    break;
                default:
                    value = null;
                    return false;
            }
        }

        return true;
    }

    /// <summary>The pointer as written.</summary>
    /// <returns><see cref="Text"/>.</returns>
    public override string ToString() => Text;
}

/// <summary>A malformed JSON pointer; names the pointer and the position of the problem.</summary>
public sealed class JsonPointerFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="pointer">The malformed pointer.</param>
    /// <param name="position">Zero-based index of the offending character.</param>
    /// <param name="reason">What is wrong.</param>
    public JsonPointerFormatException(string pointer, int position, string reason)
        : base($"invalid JSON pointer \"{pointer}\": {reason} (at position {position})")
    {
        Pointer = pointer;
        Position = position;
    }

    /// <summary>The malformed pointer.</summary>
    public string Pointer { get; }

    /// <summary>Zero-based index of the offending character.</summary>
    public int Position { get; }
}
