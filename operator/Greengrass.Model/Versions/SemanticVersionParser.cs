using System.Globalization;

namespace Greengrass.Model.Versions;

/// <summary>The SemVer 2.0 grammar, shared by component versions and the versions inside ranges.</summary>
internal static class SemanticVersionParser
{
    /// <summary>Parses <c>MAJOR.MINOR.PATCH[-PRE][+BUILD]</c>; returns an error message, or null on success.</summary>
    /// <remarks>With greengrassRules, the component-version limits also apply: numbers ≤ 999999, pre-release starts with a non-digit.</remarks>
    public static string? Parse(string text, bool greengrassRules, out SemanticVersion? version)
    {
        version = null;
        var core = text;
        var build = string.Empty;
        var plus = text.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            core = text[..plus];
            build = text[(plus + 1)..];
            var buildError = ValidateIdentifiers(text, build, "build metadata", numericLeadingZerosAllowed: true);
            if (buildError is not null)
            {
                return buildError;
            }
        }

        var preRelease = string.Empty;
        var dash = core.IndexOf('-', StringComparison.Ordinal);
        if (dash >= 0)
        {
            preRelease = core[(dash + 1)..];
            core = core[..dash];
            var preError = ValidateIdentifiers(text, preRelease, "pre-release", numericLeadingZerosAllowed: false);
            if (preError is not null)
            {
                return preError;
            }

            if (greengrassRules && char.IsAsciiDigit(preRelease[0]))
            {
                return $"version \"{text}\": the pre-release \"{preRelease}\" must not start with a digit";
            }
        }

        var parts = core.Split('.');
        if (parts.Length != 3)
        {
            return $"version \"{text}\" must have the form MAJOR.MINOR.PATCH";
        }

        var numbers = new int[3];
        string[] names = ["major", "minor", "patch"];
        for (var i = 0; i < 3; i++)
        {
            var error = ParseNumber(text, parts[i], names[i], greengrassRules ? SemanticVersion.MaxNumber : int.MaxValue, out numbers[i]);
            if (error is not null)
            {
                return error;
            }
        }

        var identifiers = preRelease.Length == 0 ? [] : preRelease.Split('.');
        version = new SemanticVersion(numbers[0], numbers[1], numbers[2], identifiers, build);
        return null;
    }

    /// <summary>Parses one numeric version part: digits only, no leading zero, at most <paramref name="max"/>.</summary>
    public static string? ParseNumber(string text, string part, string name, int max, out int value)
    {
        value = 0;
        if (part.Length == 0 || !IsNumeric(part))
        {
            return $"version \"{text}\": {name} \"{part}\" is not a number";
        }

        if (part.Length > 1 && part[0] == '0')
        {
            return $"version \"{text}\": {name} \"{part}\" has a leading zero";
        }

        if (part.Length > 9 || !int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out value) || value > max)
        {
            return $"version \"{text}\": {name} {part} is larger than {max} (at most {max})";
        }

        return null;
    }

    public static bool IsNumeric(string identifier)
    {
        foreach (var c in identifier)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return identifier.Length > 0;
    }

    private static string? ValidateIdentifiers(string text, string identifiers, string what, bool numericLeadingZerosAllowed)
    {
        if (identifiers.Length == 0)
        {
            return $"version \"{text}\": the {what} is empty";
        }

        foreach (var identifier in identifiers.Split('.'))
        {
            if (identifier.Length == 0)
            {
                return $"version \"{text}\": the {what} \"{identifiers}\" has an empty identifier";
            }

            foreach (var c in identifier)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c != '-')
                {
                    return $"version \"{text}\": the {what} \"{identifiers}\" contains '{c}' (allowed: letters, digits, '-')";
                }
            }

            if (!numericLeadingZerosAllowed && identifier.Length > 1 && identifier[0] == '0' && IsNumeric(identifier))
            {
                return $"version \"{text}\": the {what} identifier \"{identifier}\" has a leading zero";
            }
        }

        return null;
    }
}
