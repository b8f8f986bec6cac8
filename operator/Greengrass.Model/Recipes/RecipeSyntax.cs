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

    // One source of truth for versions and ranges: the recipe reader checks with the same parsers that resolution uses.
    public static string? CheckComponentVersion(string version) =>
        Versions.SemanticVersion.TryParse(version, out _, out var error) ? null : $"\"{version}\" is not a semantic version: {error}";

    public static string? CheckVersionRequirement(string requirement) =>
        Versions.VersionRange.TryParse(requirement, out _, out var error) ? null : $"\"{requirement}\" is not a version range: {error.Message}";

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
