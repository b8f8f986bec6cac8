using System.Text.RegularExpressions;

namespace Greengrass.Nucleus.Supervision;

/// <summary>
/// Recipe <c>Skipif</c>: <c>onpath &lt;exe&gt;</c> skips when the executable is found on the step's PATH,
/// <c>exists &lt;file&gt;</c> when the file exists (<c>~</c> expanded); a leading <c>!</c> negates.
/// </summary>
internal sealed partial record SkipIfCondition(bool Negated, string Kind, string Argument)
{
    [GeneratedRegex(@"^\s*(!?)\s*(exists|onpath) +(.+?)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Syntax();

    /// <exception cref="FormatException">The value does not match the Skipif syntax.</exception>
    public static SkipIfCondition Parse(string value)
    {
        var match = Syntax().Match(value);
        if (!match.Success)
        {
            throw new FormatException($"Skipif '{value}' is not valid: expected 'onpath <executable>' or 'exists <file>'.");
        }

        return new SkipIfCondition(match.Groups[1].Value == "!", match.Groups[2].Value, match.Groups[3].Value);
    }

    /// <summary>True when the step must be skipped, judged with the step's own PATH and HOME.</summary>
    public bool ShouldSkip(IReadOnlyDictionary<string, string> environment)
    {
        var holds = Kind == "onpath" ? IsOnPath(environment) : File.Exists(Expand(environment)) || Directory.Exists(Expand(environment));
        return holds != Negated;
    }

    private bool IsOnPath(IReadOnlyDictionary<string, string> environment)
    {
        if (Argument.Contains('/'))
        {
            return IsExecutable(Argument);
        }

        var path = environment.TryGetValue("PATH", out var p) ? p : "";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries).Any(dir => IsExecutable(Path.Combine(dir, Argument)));
    }

    private string Expand(IReadOnlyDictionary<string, string> environment) =>
        (Argument == "~" || Argument.StartsWith("~/", StringComparison.Ordinal)) && environment.TryGetValue("HOME", out var home)
            ? home + Argument[1..]
            : Argument;

    private static bool IsExecutable(string file) =>
        !OperatingSystem.IsWindows() && File.Exists(file) &&
        (File.GetUnixFileMode(file) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
