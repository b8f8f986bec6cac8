using System.Text.Json.Nodes;
using Greengrass.Model.Recipes;

namespace Greengrass.Model.Platforms;

/// <summary>
/// Resolves the lifecycle to run for a chosen manifest: the manifest's own lifecycle when it has one, else the
/// recipe's global lifecycle filtered by selection keywords.
/// </summary>
public static class LifecycleSelector
{
    /// <summary>The implicit last-resort selection keyword.</summary>
    public const string All = "all";

    /// <summary>The typed lifecycle for <paramref name="manifest"/>.</summary>
    /// <exception cref="RecipeException">The resolved lifecycle is malformed (only possible for recipes not built by <see cref="RecipeReader"/>).</exception>
    public static LifecycleDefinition Select(Recipe recipe, PlatformManifest manifest)
    {
        var tree = SelectTree(recipe, manifest);
        var context = new BindContext(recipe.ComponentName);
        var definition = new LifecycleReader(context, marks: null, LifecycleReader.NoSelections).ReadLevel(tree, "Lifecycle");
        return context.Errors.Count == 0 && definition is not null ? definition : throw new RecipeException(context.Errors);
    }

    /// <summary>The resolved lifecycle as a tree (a copy), as the nucleus stores it under <c>services.&lt;name&gt;.lifecycle</c>.</summary>
    public static JsonObject SelectTree(Recipe recipe, PlatformManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(manifest);
        if (manifest.Lifecycle is { Count: > 0 } own)
        {
            return (JsonObject)own.DeepClone();
        }

        if (recipe.Lifecycle is null)
        {
            return [];
        }

        var keywords = new HashSet<string>(recipe.Manifests.SelectMany(m => m.Selections ?? []), StringComparer.OrdinalIgnoreCase) { All };
        List<string> selectors = [.. manifest.Selections ?? [], All];
        return Filter(recipe.Lifecycle, selectors, keywords) as JsonObject ?? [];
    }

    /// <summary>
    /// Filters a tree by selection keywords. At any object level holding a keyword from <paramref name="keywords"/>,
    /// only the value of the first of <paramref name="selectors"/> present there is kept (in its place, filtered in
    /// turn) and the level is dropped when none is present; other levels keep every key. Nulls are dropped.
    /// </summary>
    public static JsonNode? Filter(JsonNode? node, IReadOnlyList<string> selectors, IReadOnlySet<string> keywords)
    {
        ArgumentNullException.ThrowIfNull(selectors);
        ArgumentNullException.ThrowIfNull(keywords);
        if (node is not JsonObject level)
        {
            return node?.DeepClone();
        }

        if (level.Any(p => keywords.Contains(p.Key)))
        {
            foreach (var selector in selectors)
            {
                var chosen = level.FirstOrDefault(p => string.Equals(p.Key, selector, StringComparison.OrdinalIgnoreCase));
                if (chosen.Key is not null)
                {
                    return Filter(chosen.Value, selectors, keywords);
                }
            }

            return null;
        }

        var result = new JsonObject();
        foreach (var (key, value) in level)
        {
            if (Filter(value, selectors, keywords) is { } kept)
            {
                result[key] = kept;
            }
        }

        return result;
    }
}
