using System.Text.RegularExpressions;

namespace Greengrass.Model.Recipes;

/// <summary>
/// Syntactic checks of recipe strings. Each returns <see langword="null"/> when the text is valid, else the reason.
/// The version-range check only validates the npm range form; range semantics live with the version types.
/// </summary>
internal static partial class RecipeSyntax
{
    public const int MaxNameLength = 128;
    public const int MaxVersionLength = 64;
    public const int MaxVersionNumber = 999999;

    public static string? CheckComponentName(string name)
    {
        if (name.Length is 0 or > MaxNameLength)
        {
            return $"a component name has 1 to {MaxNameLength} characters, found {name.Length}";
        }

        return ComponentName().IsMatch(name)
            ? null
            : $"\"{name}\" is not a valid component name: use letters, digits, '-', '_' and '.' only";
    }

    public static string? CheckComponentVersion(string version)
    {
        if (version.Length > MaxVersionLength)
        {
            return $"a component version has at most {MaxVersionLength} characters, found {version.Length}";
        }

        var match = SemanticVersion().Match(version);
        if (!match.Success)
        {
            return $"\"{version}\" is not a semantic version (major.minor.patch[-prerelease][+build])";
        }

        for (var group = 1; group <= 3; group++)
        {
            if (match.Groups[group].Length > 6)
            {
                return $"\"{version}\": major, minor and patch are at most {MaxVersionNumber}";
            }
        }

        var prerelease = match.Groups[4];
        return prerelease.Success && char.IsAsciiDigit(prerelease.Value[0])
            ? $"\"{version}\": the pre-release part must not start with a digit"
            : null;
    }

    public static string? CheckVersionRequirement(string requirement)
    {
        foreach (var alternative in requirement.Split("||"))
        {
            var range = alternative.Trim();
            if (range.Length == 0 || (range.Contains(" - ", StringComparison.Ordinal) && HyphenRange().IsMatch(range)))
            {
                continue;
            }

            var tokens = range.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i < tokens.Length; i++)
            {
                // npm allows a gap between an operator and its version (">= 1.0.0"): join them.
                var comparator = tokens[i] is "<" or ">" or "<=" or ">=" or "=" or "~" or "~>" or "^" && i + 1 < tokens.Length
                    ? tokens[i] + tokens[++i]
                    : tokens[i];
                if (!Comparator().IsMatch(comparator))
                {
                    return $"\"{requirement}\" is not a version range: \"{comparator}\" is not a comparator such as >=1.0.0, ^1.2.0, ~2.1 or 1.x";
                }
            }
        }

        return null;
    }

    public static string? CheckLambdaArn(string source) =>
        LambdaArn().IsMatch(source) ? null : $"\"{source}\" is not a Lambda function ARN (arn:aws:lambda:...)";

    [GeneratedRegex(@"^[a-zA-Z0-9\-_.]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ComponentName();

    [GeneratedRegex(@"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-((?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex SemanticVersion();

    private const string Partial = @"v?(?:[xX*]|0|[1-9][0-9]*)(?:\.(?:[xX*]|0|[1-9][0-9]*)(?:\.(?:[xX*]|0|[1-9][0-9]*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?)?";

    [GeneratedRegex("^" + Partial + @"\s+-\s+" + Partial + "$", RegexOptions.CultureInvariant)]
    private static partial Regex HyphenRange();

    [GeneratedRegex("^(?:<=|>=|<|>|=|~>?|\\^)?" + Partial + "$", RegexOptions.CultureInvariant)]
    private static partial Regex Comparator();


    [GeneratedRegex(@"^arn:aws(-(cn|us-gov|iso(-[a-z])?))?:lambda:.*$", RegexOptions.CultureInvariant)]
    private static partial Regex LambdaArn();
}
