using System.Diagnostics.CodeAnalysis;

namespace Greengrass.Model.Versions;

/// <summary>Splits a range into comparator sets and tokens, keeping each token's position for error messages.</summary>
internal static class VersionRangeParser
{
    private static readonly string[] Operators = ["<=", ">=", "~>", "<", ">", "=", "~", "^"];

    public static bool Parse(string text, [NotNullWhen(true)] out VersionRange? range,
        [NotNullWhen(false)] out VersionRangeFormatException? error)
    {
        range = null;
        var sets = new List<Comparator[]>();
        var start = 0;
        while (true)
        {
            var bar = text.IndexOf("||", start, StringComparison.Ordinal);
            var end = bar < 0 ? text.Length : bar;
            error = ParseSet(text, start, end, out var set);
            if (error is not null)
            {
                return false;
            }

            sets.Add(set!);
            if (bar < 0)
            {
                break;
            }

            start = bar + 2;
        }

        range = new VersionRange(text.Trim(), [.. sets]);
        return true;
    }

    private static VersionRangeFormatException? ParseSet(string text, int start, int end, out Comparator[]? set)
    {
        set = null;
        var tokens = new List<RangeToken>();
        var error = Tokenize(text, start, end, tokens);
        if (error is not null)
        {
            return error;
        }

        var comparators = new List<Comparator>();
        var hyphen = tokens.FindIndex(t => t.Operator.Length == 0 && t.Version == "-");
        if (hyphen >= 0)
        {
            if (tokens.Count != 3 || hyphen != 1 || tokens[0].Operator.Length > 0 || tokens[2].Operator.Length > 0)
            {
                var at = tokens[hyphen];
                return new VersionRangeFormatException("a hyphen range must have the form \"A - B\" with plain versions on both sides",
                    text, at.Version, at.Position);
            }

            error = ParsePartial(text, tokens[0], out var from);
            if (error is not null)
            {
                return error;
            }

            error = ParsePartial(text, tokens[2], out var to);
            if (error is not null)
            {
                return error;
            }

            RangeDesugar.Hyphen(from, to, comparators);
        }
        else
        {
            foreach (var token in tokens)
            {
                error = ParsePartial(text, token, out var partial);
                if (error is not null)
                {
                    return error;
                }

                RangeDesugar.Primitive(token.Operator, partial, comparators);
            }
        }

        set = [.. comparators];
        return null;
    }

    private static VersionRangeFormatException? Tokenize(string text, int start, int end, List<RangeToken> tokens)
    {
        var i = start;
        while (true)
        {
            while (i < end && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= end)
            {
                return null;
            }

            var tokenStart = i;
            var op = Operators.FirstOrDefault(o => string.CompareOrdinal(text, i, o, 0, o.Length) == 0 && i + o.Length <= end) ?? string.Empty;
            i += op.Length;
            while (op.Length > 0 && i < end && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            var versionStart = i;
            while (i < end && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            var version = text[versionStart..i];
            if (op.Length > 0 && version.Length == 0)
            {
                return new VersionRangeFormatException($"operator \"{op}\" is not followed by a version", text, op, tokenStart);
            }

            if (version.Length > 0 && "<>=~^|".Contains(version[0], StringComparison.Ordinal))
            {
                return new VersionRangeFormatException("unexpected operator", text, version, versionStart);
            }

            tokens.Add(new RangeToken(op, version, tokenStart, versionStart));
        }
    }

    private static VersionRangeFormatException? ParsePartial(string text, RangeToken token, out PartialVersion partial)
    {
        var error = PartialVersion.TryParse(token.Version, out partial);
        return error is null ? null : new VersionRangeFormatException(error, text, token.Version, token.VersionPosition);
    }

    private readonly record struct RangeToken(string Operator, string Version, int Position, int VersionPosition);
}
