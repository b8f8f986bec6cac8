using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Greengrass.Model.Configuration;

namespace Greengrass.Model.Interpolation;

/// <summary>
/// Renders configuration values the way the Java nucleus does (Jackson): a value as its text (a string without quotes,
/// <c>null</c>, <c>true</c>, a float as Java prints a double, <c>8080.0</c>), an object or array as compact JSON with object keys
/// sorted ordinally at every level.
/// </summary>
internal static class ConfigurationText
{
    public static string? Lookup(JsonObject? configuration, string pointerText)
    {
        // Jackson rejects a malformed pointer; the nucleus then leaves the placeholder, as for any unresolvable one.
        if (!JsonPointer.TryParse(pointerText, out var pointer, out _)
            || !pointer.TryEvaluate(configuration ?? [], out var value))
        {
            return null;
        }

        return value switch
        {
            null => "null",
            JsonValue scalar when scalar.GetValueKind() == JsonValueKind.String => scalar.GetValue<string>(),
            JsonValue scalar => Scalar(scalar),
            _ => Json(value),
        };
    }

    public static string Json(JsonNode? node)
    {
        var builder = new StringBuilder();
        Write(node, builder);
        return builder.ToString();
    }

    private static void Write(JsonNode? node, StringBuilder builder)
    {
        switch (node)
        {
            case JsonObject obj:
                builder.Append('{');
                var first = true;
                foreach (var (key, child) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    builder.Append(first ? "" : ",");
                    first = false;
                    WriteString(key, builder);
                    builder.Append(':');
                    Write(child, builder);
                }

                builder.Append('}');
                break;
            case JsonArray array:
                builder.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    builder.Append(i == 0 ? "" : ",");
                    Write(array[i], builder);
                }

                builder.Append(']');
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                WriteString(value.GetValue<string>(), builder);
                break;
            case null:
                builder.Append("null");
                break;
            default:
                builder.Append(Scalar((JsonValue)node));
                break;
        }
    }

    private static string Scalar(JsonValue value)
    {
        if (value.GetValueKind() != JsonValueKind.Number)
        {
            return value.ToJsonString();
        }

        if (value.TryGetValue<JsonElement>(out var element))
        {
            var raw = element.GetRawText();
            return raw.AsSpan().IndexOfAny(".eE") >= 0 ? JavaDouble.Format(element.GetDouble()) : raw;
        }

        if (value.TryGetValue<double>(out var d))
        {
            return JavaDouble.Format(d);
        }

        if (value.TryGetValue<float>(out var f))
        {
            return JavaDouble.Format(f);
        }

        return value.TryGetValue<decimal>(out var m) ? m.ToString(CultureInfo.InvariantCulture) : value.ToJsonString();
    }

    // Jackson escapes quotes, backslashes and control characters only; everything else, non-ASCII included, is written as is.
    private static void WriteString(string text, StringBuilder builder)
    {
        builder.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case < ' ': builder.Append("\\u00").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture)); break;
                default: builder.Append(c); break;
            }
        }

        builder.Append('"');
    }
}

/// <summary>Java's <c>Double.toString</c>: shortest digits; plain notation in [1e-3, 1e7) with at least one decimal, else <c>d.dddE±n</c>.</summary>
internal static class JavaDouble
{
    public static string Format(double value)
    {
        if (value == 0)
        {
            return double.IsNegative(value) ? "-0.0" : "0.0";
        }

        var (negative, digits, exponent) = Decompose(value);
        var sign = negative ? "-" : "";
        var magnitude = Math.Abs(value);
        if (magnitude is >= 1e-3 and < 1e7)
        {
            if (exponent >= 0)
            {
                var integer = digits.Length > exponent + 1 ? digits[..(exponent + 1)] : digits.PadRight(exponent + 1, '0');
                var fraction = digits.Length > exponent + 1 ? digits[(exponent + 1)..] : "0";
                return $"{sign}{integer}.{fraction}";
            }

            return $"{sign}0.{new string('0', -exponent - 1)}{digits}";
        }

        var mantissa = digits.Length > 1 ? $"{digits[0]}.{digits[1..]}" : $"{digits}.0";
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{mantissa}E{exponent}");
    }

    // The shortest round-trip digits of the value and the power of ten of the first digit.
    private static (bool Negative, string Digits, int Exponent) Decompose(double value)
    {
        var text = Math.Abs(value).ToString("E16", CultureInfo.InvariantCulture);
        var shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var exponent = int.Parse(text[(text.IndexOf('E', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture);
        var e = shortest.IndexOf('E', StringComparison.Ordinal);
        var mantissa = e >= 0 ? shortest[..e] : shortest;
        var digits = mantissa.Replace(".", "", StringComparison.Ordinal).TrimStart('0').TrimEnd('0');
        return (value < 0, digits.Length == 0 ? "0" : digits, exponent);
    }
}
