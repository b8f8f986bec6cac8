using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Greengrass.Model.Interpolation;

/// <summary>
/// Recipe variable substitution exactly as GREENGRASS.md §3.2 describes the Java nucleus: first every same-component
/// placeholder <c>{namespace:key}</c>, then every cross-component placeholder <c>{Component:namespace:key}</c>, each found in
/// the text as it stood before that pass and replaced everywhere it occurs. Anything that cannot be resolved (an unknown
/// namespace or key, a missing configuration value, a component that is not a direct dependency) stays literally in place.
/// </summary>
public static partial class RecipeInterpolator
{
    /// <summary>Interpolates one lifecycle string with every variable, <c>configuration:</c> references included.</summary>
    /// <param name="text">The text, for example <c>python3 {artifacts:path}/main.py --port {configuration:/port}</c>.</param>
    /// <param name="context">The component and device the text belongs to.</param>
    /// <returns>The interpolated text.</returns>
    public static string Interpolate(string text, InterpolationContext context) => Replace(text, context, withConfiguration: true);

    /// <summary>
    /// Interpolates a lifecycle section: every string inside nested objects. Arrays are left as they are, as the Java nucleus
    /// does (lists are not valid under <c>Lifecycle</c>).
    /// </summary>
    /// <param name="lifecycle">The selected lifecycle.</param>
    /// <param name="context">The component and device.</param>
    /// <returns>A new, interpolated lifecycle; the input is not changed.</returns>
    public static JsonNode? InterpolateLifecycle(JsonNode? lifecycle, InterpolationContext context) =>
        Walk(lifecycle, context, withConfiguration: true, intoArrays: false);

    /// <summary>
    /// Interpolates a component's configuration, as the nucleus does when <c>interpolateComponentConfiguration</c> is true:
    /// only the system variables (<c>artifacts</c>, <c>work</c>, <c>kernel</c>, <c>iot</c>) are substituted, in every string of
    /// the configuration, arrays included (for example <c>accessControl</c> resources); <c>configuration:</c> references are not.
    /// </summary>
    /// <param name="configuration">The resolved configuration.</param>
    /// <param name="context">The component and device.</param>
    /// <returns>A new, interpolated configuration; the input is not changed.</returns>
    public static JsonObject InterpolateConfiguration(JsonObject configuration, InterpolationContext context)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return (JsonObject)Walk(configuration, context, withConfiguration: false, intoArrays: true)!;
    }

    /// <summary>
    /// Whether configuration interpolation is on, read from the nucleus configuration resolved for this deployment, so a
    /// deployment that changes <c>interpolateComponentConfiguration</c> governs itself. Default false; true for a boolean
    /// <c>true</c> or the string <c>"true"</c> (any case).
    /// </summary>
    /// <param name="nucleusConfiguration">The nucleus component's resolved configuration; null when unknown.</param>
    /// <returns>True when configuration values must be interpolated.</returns>
    public static bool IsConfigurationInterpolationEnabled(JsonObject? nucleusConfiguration)
    {
        var value = nucleusConfiguration?["interpolateComponentConfiguration"] as JsonValue;
        return value is not null
            && ((value.TryGetValue<bool>(out var flag) && flag)
                || (value.TryGetValue<string>(out var text) && string.Equals(text, "true", StringComparison.OrdinalIgnoreCase)));
    }

    private static JsonNode? Walk(JsonNode? node, InterpolationContext context, bool withConfiguration, bool intoArrays)
    {
        switch (node)
        {
            case JsonObject obj:
                var result = new JsonObject();
                foreach (var (key, child) in obj)
                {
                    result[key] = Walk(child, context, withConfiguration, intoArrays);
                }

                return result;
            case JsonArray array when intoArrays:
                return new JsonArray([.. array.Select(item => Walk(item, context, withConfiguration, intoArrays))]);
            case JsonValue value when value.TryGetValue<string>(out var text):
                return JsonValue.Create(Replace(text, context, withConfiguration));
            default:
                return node?.DeepClone();
        }
    }

    private static string Replace(string text, InterpolationContext context, bool withConfiguration)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var match in SameComponent().Matches(text).Cast<Match>())
        {
            var value = Resolve(context.Component, match.Groups[2].Value, match.Groups[3].Value, context, withConfiguration);
            text = value is null ? text : text.Replace(match.Value, value, StringComparison.Ordinal);
        }

        foreach (var match in CrossComponent().Matches(text).Cast<Match>())
        {
            var value = context.DirectDependencies.TryGetValue(match.Groups[1].Value, out var dependency)
                ? Resolve(dependency, match.Groups[2].Value, match.Groups[3].Value, context, withConfiguration)
                : null;
            text = value is null ? text : text.Replace(match.Value, value, StringComparison.Ordinal);
        }

        return text;
    }

    private static string? Resolve(InterpolationComponent component, string space, string key, InterpolationContext context,
        bool withConfiguration) => (space, key) switch
        {
            ("configuration", _) => withConfiguration ? ConfigurationText.Lookup(component.Configuration, key) : null,
            ("artifacts", "path") => component.ArtifactsPath,
            ("artifacts", "decompressedPath") => component.DecompressedArtifactsPath,
            ("work", "path") => component.WorkPath,
            ("kernel", "rootPath") => context.RootPath,
            ("iot", "thingName") => context.ThingName,
            _ => null,
        };

    // Java's \w is ASCII-only; the key may be empty ("{configuration:}" is the whole configuration).
    [GeneratedRegex(@"\{()([.A-Za-z0-9_-]+):([^:}]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex SameComponent();

    [GeneratedRegex(@"\{([.A-Za-z0-9_-]+):([.A-Za-z0-9_-]+):([^:}]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex CrossComponent();
}
