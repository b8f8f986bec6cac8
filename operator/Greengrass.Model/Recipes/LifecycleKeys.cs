using System.Text.Json.Nodes;

namespace Greengrass.Model.Recipes;

/// <summary>
/// Rewrites lifecycle step names and step fields to their documented PascalCase names (recipes may write
/// <c>install</c> or <c>script</c>), leaving selection keywords and environment variable names as written.
/// Runs on a validated tree, so it never has to report errors.
/// </summary>
internal static class LifecycleKeys
{
    private static readonly string[] LevelKeys = [LifecycleStepNames.Setenv, .. LifecycleStepNames.Steps];
    private static readonly string[] StepKeys = ["Script", "RequiresPrivilege", "Skipif", "Timeout", "Setenv", "BootstrapOnRollback"];

    public static JsonObject Canonical(JsonObject level, IReadOnlySet<string> selectionKeys)
    {
        var result = new JsonObject();
        var isSelection = IsSelectionLevel(level, selectionKeys);
        foreach (var (key, value) in level)
        {
            if (isSelection)
            {
                result[key] = value is JsonObject nested ? Canonical(nested, selectionKeys) : value?.DeepClone();
                continue;
            }

            var name = Match(key, LevelKeys);
            var isStep = name is not null && name != LifecycleStepNames.Setenv;
            result[name ?? key] = isStep ? Step(value, selectionKeys) : value?.DeepClone();
        }

        return result;
    }

    private static JsonNode? Step(JsonNode? value, IReadOnlySet<string> selectionKeys)
    {
        if (value is not JsonObject step)
        {
            return value?.DeepClone();
        }

        var result = new JsonObject();
        var isSelection = IsSelectionLevel(step, selectionKeys);
        foreach (var (key, child) in step)
        {
            result[isSelection ? key : Match(key, StepKeys) ?? key] = isSelection ? Step(child, selectionKeys) : child?.DeepClone();
        }

        return result;
    }

    private static bool IsSelectionLevel(JsonObject level, IReadOnlySet<string> selectionKeys) =>
        selectionKeys.Count > 0 && level.Any(p => selectionKeys.Contains(p.Key));

    private static string? Match(string key, string[] known) =>
        Array.Find(known, k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
}
