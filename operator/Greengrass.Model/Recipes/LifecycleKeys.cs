using System.Text.Json.Nodes;

namespace Greengrass.Model.Recipes;

/// <summary>
/// Rewrites lifecycle step names and step fields to their documented PascalCase names (recipes may write
/// <c>install</c> or <c>script</c>), leaving selection keywords and environment variable names as written.
/// Runs on a validated tree, so it never has to report errors. It moves the nodes of the tree it is given
/// instead of copying them: the caller hands over a tree it no longer uses.
/// </summary>
internal static class LifecycleKeys
{
    private static readonly string[] LevelKeys = [LifecycleStepNames.Setenv, .. LifecycleStepNames.Steps];
    private static readonly string[] StepKeys = ["Script", "RequiresPrivilege", "Skipif", "Timeout", "Setenv", "BootstrapOnRollback"];

    public static JsonObject Canonical(JsonObject level, IReadOnlySet<string> selectionKeys)
    {
        var isSelection = IsSelectionLevel(level, selectionKeys);
        var result = new JsonObject();
        foreach (var (key, value) in Detach(level))
        {
            if (isSelection)
            {
                result[key] = value is JsonObject nested ? Canonical(nested, selectionKeys) : value;
                continue;
            }

            var name = Match(key, LevelKeys);
            var isStep = name is not null && name != LifecycleStepNames.Setenv;
            result[name ?? key] = isStep ? Step(value, selectionKeys) : value;
        }

        return result;
    }

    private static JsonNode? Step(JsonNode? value, IReadOnlySet<string> selectionKeys)
    {
        if (value is not JsonObject step)
        {
            return value;
        }

        var isSelection = IsSelectionLevel(step, selectionKeys);
        var result = new JsonObject();
        foreach (var (key, child) in Detach(step))
        {
            result[isSelection ? key : Match(key, StepKeys) ?? key] = isSelection ? Step(child, selectionKeys) : child;
        }

        return result;
    }

    private static List<KeyValuePair<string, JsonNode?>> Detach(JsonObject level)
    {
        var entries = level.ToList();
        level.Clear();
        return entries;
    }

    private static bool IsSelectionLevel(JsonObject level, IReadOnlySet<string> selectionKeys)
    {
        if (selectionKeys.Count == 0)
        {
            return false;
        }

        foreach (var (key, _) in level)
        {
            if (selectionKeys.Contains(key))
            {
                return true;
            }
        }

        return false;
    }

    private static string? Match(string key, string[] known) =>
        Array.Find(known, k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
}
