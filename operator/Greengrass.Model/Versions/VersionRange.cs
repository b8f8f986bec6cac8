using System.Diagnostics.CodeAnalysis;

namespace Greengrass.Model.Versions;

/// <summary>
/// An npm-style version requirement, as Greengrass dependency <c>VersionRequirement</c> values use it:
/// <c>1.2.3</c>, <c>=1.2.3</c>, <c>&gt;</c>, <c>&gt;=</c>, <c>&lt;</c>, <c>&lt;=</c>, <c>^</c>, <c>~</c>, x-ranges
/// (<c>1.x</c>, <c>1.2.*</c>, <c>*</c>, empty), hyphen ranges (<c>1.2 - 2</c>), spaces for AND and <c>||</c> for OR.
/// A pre-release version satisfies a comparator set only if one of the set's comparators carries a pre-release
/// on the same major.minor.patch (npm's rule), so <c>^1.0.0</c> never picks <c>1.5.0-beta</c>.
/// </summary>
public sealed class VersionRange
{
    private readonly Comparator[][] _sets;

    internal VersionRange(string text, Comparator[][] sets)
    {
        Text = text;
        _sets = sets;
    }

    /// <summary>The range that every release version satisfies (<c>*</c>).</summary>
    public static VersionRange Any { get; } = new("*", [[]]);

    /// <summary>The requirement as written (trimmed).</summary>
    public string Text { get; }

    /// <summary>
    /// The desugared form: comparator sets joined by <c> || </c>, each a space-separated list of primitive
    /// comparators, for example <c>&gt;=1.2.3 &lt;2.0.0-0</c> for <c>^1.2.3</c>; <c>*</c> for an unconstrained set.
    /// </summary>
    public string Normalized =>
        string.Join(" || ", _sets.Select(set => set.Length == 0 ? "*" : string.Join(' ', set.Select(c => c.ToString()))));

    /// <summary>Parses an npm-style version range.</summary>
    /// <param name="text">The requirement, for example <c>&gt;=1.0.0 &lt;2.0.0 || ^3.1</c>.</param>
    /// <returns>The parsed range.</returns>
    /// <exception cref="VersionRangeFormatException">The text is not a valid range; the exception names the token and its position.</exception>
    public static VersionRange Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return VersionRangeParser.Parse(text, out var range, out var error) ? range : throw error;
    }

    /// <summary>Parses an npm-style version range without throwing.</summary>
    /// <param name="text">The requirement text.</param>
    /// <param name="range">The parsed range when the method returns true.</param>
    /// <param name="error">The parse error (with token and position) when the method returns false.</param>
    /// <returns>True when the text is a valid range.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out VersionRange? range,
        [NotNullWhen(false)] out VersionRangeFormatException? error)
    {
        if (text is null)
        {
            range = null;
            error = new VersionRangeFormatException("version range is missing", string.Empty, string.Empty, 0);
            return false;
        }

        return VersionRangeParser.Parse(text, out range, out error);
    }

    /// <summary>True when <paramref name="version"/> satisfies at least one comparator set of this range.</summary>
    /// <param name="version">The version to test.</param>
    /// <returns>Whether the version is in the range.</returns>
    public bool IsSatisfiedBy(SemanticVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        foreach (var set in _sets)
        {
            if (SetIsSatisfiedBy(set, version))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The requirement as written.</summary>
    /// <returns>The text given to <see cref="Parse"/>, trimmed.</returns>
    public override string ToString() => Text;

    private static bool SetIsSatisfiedBy(Comparator[] set, SemanticVersion version)
    {
        foreach (var comparator in set)
        {
            if (!comparator.Test(version))
            {
                return false;
            }
        }

        if (!version.IsPreRelease)
        {
            return true;
        }

        // npm: a pre-release only matches when the range explicitly mentions a pre-release of the same tuple.
        foreach (var comparator in set)
        {
            if (comparator.Version.IsPreRelease && comparator.Version.HasSameTuple(version))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>A version range that could not be parsed; names the offending token and where it starts.</summary>
public sealed class VersionRangeFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">What is wrong with the token.</param>
    /// <param name="rangeText">The whole range text.</param>
    /// <param name="token">The offending token.</param>
    /// <param name="position">Zero-based index of the token in <paramref name="rangeText"/>.</param>
    public VersionRangeFormatException(string reason, string rangeText, string token, int position)
        : base($"invalid version range \"{rangeText}\": {reason}: token \"{token}\" at position {position}")
    {
        RangeText = rangeText;
        Token = token;
        Position = position;
    }

    /// <summary>The whole range text that failed to parse.</summary>
    public string RangeText { get; }

    /// <summary>The offending token.</summary>
    public string Token { get; }

    /// <summary>Zero-based index in <see cref="RangeText"/> where the offending token starts.</summary>
    public int Position { get; }
}
