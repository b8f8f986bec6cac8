using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Greengrass.Model.Versions;

/// <summary>
/// A SemVer 2.0 version as Greengrass component versions use it: <c>MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]</c>.
/// Ordering is SemVer precedence; build metadata is kept for display but ignored by comparison and equality.
/// </summary>
public sealed class SemanticVersion : IComparable<SemanticVersion>, IEquatable<SemanticVersion>
{
    /// <summary>Longest accepted component version string (Greengrass limit).</summary>
    public const int MaxLength = 64;

    /// <summary>Largest accepted value of each of major, minor and patch (Greengrass limit).</summary>
    public const int MaxNumber = 999999;

    private readonly string[] _preRelease;

    internal SemanticVersion(int major, int minor, int patch, string[] preRelease, string buildMetadata)
    {
        Major = major;
        Minor = minor;
        Patch = patch;
        _preRelease = preRelease;
        BuildMetadata = buildMetadata;
    }

    /// <summary>The major version number.</summary>
    public int Major { get; }

    /// <summary>The minor version number.</summary>
    public int Minor { get; }

    /// <summary>The patch version number.</summary>
    public int Patch { get; }

    /// <summary>The dot-separated pre-release identifiers; empty for a release version.</summary>
    public IReadOnlyList<string> PreRelease => _preRelease;

    /// <summary>True when the version carries pre-release identifiers.</summary>
    public bool IsPreRelease => _preRelease.Length > 0;

    /// <summary>The build metadata after <c>+</c>, or an empty string; ignored for precedence.</summary>
    public string BuildMetadata { get; }

    /// <summary>Parses a component version, applying the SemVer 2.0 grammar and the Greengrass limits.</summary>
    /// <param name="text">The version text, for example <c>1.4.2-beta.1+build.7</c>.</param>
    /// <returns>The parsed version.</returns>
    /// <exception cref="FormatException">The text is not a valid component version; the message says why.</exception>
    public static SemanticVersion Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var version, out var error) ? version : throw new FormatException(error);
    }

    /// <summary>Parses a component version without throwing.</summary>
    /// <param name="text">The version text.</param>
    /// <param name="version">The parsed version when the method returns true.</param>
    /// <returns>True when <paramref name="text"/> is a valid component version.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out SemanticVersion? version) =>
        TryParse(text, out version, out _);

    /// <summary>Parses a component version without throwing, and says why it failed.</summary>
    /// <param name="text">The version text.</param>
    /// <param name="version">The parsed version when the method returns true.</param>
    /// <param name="error">Why the text was rejected when the method returns false.</param>
    /// <returns>True when <paramref name="text"/> is a valid component version.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out SemanticVersion? version,
        [NotNullWhen(false)] out string? error)
    {
        version = null;
        if (text is null)
        {
            error = "version is missing";
            return false;
        }

        if (text.Length > MaxLength)
        {
            error = $"version \"{text}\" is longer than {MaxLength} characters (at most {MaxLength} characters)";
            return false;
        }

        error = SemanticVersionParser.Parse(text, greengrassRules: true, out version);
        return error is null;
    }

    /// <summary>Compares two versions by SemVer precedence (build metadata ignored).</summary>
    /// <param name="other">The version to compare with; null sorts first.</param>
    /// <returns>Negative, zero or positive as this version is lower, equal or higher.</returns>
    public int CompareTo(SemanticVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        var result = Major.CompareTo(other.Major);
        if (result == 0)
        {
            result = Minor.CompareTo(other.Minor);
        }

        if (result == 0)
        {
            result = Patch.CompareTo(other.Patch);
        }

        return result != 0 ? result : ComparePreRelease(_preRelease, other._preRelease);
    }

    /// <summary>True when both versions have the same precedence (build metadata ignored).</summary>
    /// <param name="other">The version to compare with.</param>
    /// <returns>Whether the versions are equal by precedence.</returns>
    public bool Equals(SemanticVersion? other) => other is not null && CompareTo(other) == 0;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SemanticVersion other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Major);
        hash.Add(Minor);
        hash.Add(Patch);
        foreach (var identifier in _preRelease)
        {
            hash.Add(identifier, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    /// <summary>The canonical text form, including pre-release and build metadata.</summary>
    /// <returns>For example <c>1.4.2-beta.1+build.7</c>.</returns>
    public override string ToString()
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}");
        if (_preRelease.Length > 0)
        {
            text += "-" + string.Join('.', _preRelease);
        }

        return BuildMetadata.Length > 0 ? text + "+" + BuildMetadata : text;
    }

    /// <summary>True when <paramref name="left"/> has lower precedence than <paramref name="right"/>.</summary>
    /// <param name="left">Left operand.</param>
    /// <param name="right">Right operand.</param>
    /// <returns>The comparison result.</returns>
    public static bool operator <(SemanticVersion? left, SemanticVersion? right) => Compare(left, right) < 0;

    /// <summary>True when <paramref name="left"/> has higher precedence than <paramref name="right"/>.</summary>
    /// <param name="left">Left operand.</param>
    /// <param name="right">Right operand.</param>
    /// <returns>The comparison result.</returns>
    public static bool operator >(SemanticVersion? left, SemanticVersion? right) => Compare(left, right) > 0;

    /// <summary>True when <paramref name="left"/> has lower or equal precedence.</summary>
    /// <param name="left">Left operand.</param>
    /// <param name="right">Right operand.</param>
    /// <returns>The comparison result.</returns>
    public static bool operator <=(SemanticVersion? left, SemanticVersion? right) => Compare(left, right) <= 0;

    /// <summary>True when <paramref name="left"/> has higher or equal precedence.</summary>
    /// <param name="left">Left operand.</param>
    /// <param name="right">Right operand.</param>
    /// <returns>The comparison result.</returns>
    public static bool operator >=(SemanticVersion? left, SemanticVersion? right) => Compare(left, right) >= 0;

    /// <summary>True when both versions have the same precedence.</summary>
    /// <param name="left">Left operand.</param>
    /// <param name="right">Right operand.</param>
    /// <returns>The comparison result.</returns>
    public static bool operator ==(SemanticVersion? left, SemanticVersion? right) => Compare(left, right) == 0;

    /// <summary>True when the versions differ in precedence.</summary>
    /// <param name="left">Left operand.</param>
    /// <param name="right">Right operand.</param>
    /// <returns>The comparison result.</returns>
    public static bool operator !=(SemanticVersion? left, SemanticVersion? right) => Compare(left, right) != 0;

    internal bool HasSameTuple(SemanticVersion other) =>
        Major == other.Major && Minor == other.Minor && Patch == other.Patch;

    private static int Compare(SemanticVersion? left, SemanticVersion? right) =>
        left is null ? (right is null ? 0 : -1) : left.CompareTo(right);

    private static int ComparePreRelease(string[] left, string[] right)
    {
        // A release has higher precedence than any of its pre-releases (SemVer 2.0 §11.3).
        if (left.Length == 0 || right.Length == 0)
        {
            return right.Length.CompareTo(left.Length);
        }

        var count = Math.Min(left.Length, right.Length);
        for (var i = 0; i < count; i++)
        {
            var result = CompareIdentifier(left[i], right[i]);
            if (result != 0)
            {
                return result;
            }
        }

        return left.Length.CompareTo(right.Length);
    }

    private static int CompareIdentifier(string left, string right)
    {
        var leftNumeric = SemanticVersionParser.IsNumeric(left);
        var rightNumeric = SemanticVersionParser.IsNumeric(right);
        if (leftNumeric && rightNumeric)
        {
            // Numeric identifiers have no leading zeros, so length orders them before digits do; no overflow.
            var byLength = left.Length.CompareTo(right.Length);
            return byLength != 0 ? byLength : string.CompareOrdinal(left, right);
        }

        if (leftNumeric != rightNumeric)
        {
            return leftNumeric ? -1 : 1;
        }

        return Math.Sign(string.CompareOrdinal(left, right));
    }
}
