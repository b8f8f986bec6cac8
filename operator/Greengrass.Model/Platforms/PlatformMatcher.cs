using System.Text.RegularExpressions;
using Greengrass.Model.Recipes;

namespace Greengrass.Model.Platforms;

/// <summary>Chooses the manifest of a recipe for a device, with the Greengrass nucleus's matching rules.</summary>
public static class PlatformMatcher
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    /// <summary>The first manifest, in recipe order, whose platform matches; <see langword="null"/> when none does.</summary>
    public static PlatformManifest? SelectManifest(Recipe recipe, DevicePlatform platform)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        return recipe.Manifests.FirstOrDefault(m => Matches(m.Platform, platform));
    }

    /// <summary>
    /// Whether a manifest's platform template matches the device: an absent or empty template matches every
    /// device; otherwise every template key must match (device attributes the template does not name are ignored).
    /// </summary>
    public static bool Matches(IReadOnlyDictionary<string, string?>? template, DevicePlatform platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        return template is null
            || template.All(t => MatchesValue(t.Key, t.Value, platform.Attributes.GetValueOrDefault(t.Key)));
    }

    /// <summary>
    /// Whether one template value matches a device value: <c>*</c> or null matches anything (even a missing value);
    /// otherwise a missing device value never matches; <c>/regex/</c> must match the whole value; <c>all</c> and
    /// <c>any</c> are wildcards for <c>os</c> and <c>architecture</c> only; a template not starting with a letter or
    /// digit never matches (reserved syntax); anything else is a case-sensitive comparison.
    /// </summary>
    public static bool MatchesValue(string key, string? template, string? deviceValue)
    {
        if (template is null or "*")
        {
            return true;
        }

        if (string.IsNullOrEmpty(deviceValue))
        {
            return false;
        }

        if (template.Length >= 2 && template[0] == '/' && template[^1] == '/')
        {
            return FullMatch(template[1..^1], deviceValue);
        }

        if (key is DevicePlatform.OsKey or DevicePlatform.ArchitectureKey && template is "all" or "any")
        {
            return true;
        }

        return template.Length > 0 && char.IsAsciiLetterOrDigit(template[0]) && template == deviceValue;
    }

    private static bool FullMatch(string pattern, string value)
    {
        try
        {
            return Regex.IsMatch(value, $@"^(?:{pattern})\z", RegexOptions.CultureInvariant, RegexTimeout);
        }
        catch (ArgumentException)
        {
            // An invalid pattern cannot match anything; recipes are checked for this when read.
            return false;
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
