using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Greengrass.Model.Recipes;

/// <summary>
/// Writes recipes as YAML or JSON with the documented PascalCase keys in the documented order, and only the
/// fields the recipe holds, so reading the text back gives an equal recipe.
/// </summary>
public static class RecipeWriter
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        // Keeps ">=1.0.0 <2.0.0" and scripts readable; the output is a recipe file, never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The recipe as indented JSON.</summary>
    public static string ToJson(Recipe recipe) => ToTree(recipe).ToJsonString(JsonOptions) + "\n";

    /// <summary>The recipe as YAML, quoting every string a YAML reader could take for a number, date, boolean or null.</summary>
    public static string ToYaml(Recipe recipe) => YamlTreeWriter.Write(ToTree(recipe));

    /// <summary>The recipe as an ordered JSON tree with the documented keys (what <see cref="ToJson"/> serialises).</summary>
    public static JsonObject ToTree(Recipe recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        var tree = new JsonObject
        {
            ["RecipeFormatVersion"] = recipe.RecipeFormatVersion,
            ["ComponentName"] = recipe.ComponentName,
            ["ComponentVersion"] = recipe.ComponentVersion,
        };
        AddIfPresent(tree, "ComponentDescription", recipe.ComponentDescription);
        AddIfPresent(tree, "ComponentPublisher", recipe.ComponentPublisher);
        AddIfPresent(tree, "ComponentType", recipe.ComponentType?.ToWireString());
        AddIfPresent(tree, "ComponentSource", recipe.ComponentSource);
        if (recipe.ComponentConfiguration is { } configuration)
        {
            var section = new JsonObject();
            AddIfPresent(section, "DefaultConfiguration", configuration.DefaultConfiguration?.DeepClone());
            tree["ComponentConfiguration"] = section;
        }

        if (recipe.ComponentDependencies is { } dependencies)
        {
            tree["ComponentDependencies"] = Dependencies(dependencies);
        }

        tree["Manifests"] = new JsonArray([.. recipe.Manifests.Select(Manifest)]);
        AddIfPresent(tree, "Lifecycle", recipe.Lifecycle?.DeepClone());
        return tree;
    }

    private static JsonObject Dependencies(IReadOnlyDictionary<string, ComponentDependency> dependencies)
    {
        var section = new JsonObject();
        foreach (var (name, dependency) in dependencies)
        {
            var entry = new JsonObject { ["VersionRequirement"] = dependency.VersionRequirement };
            AddIfPresent(entry, "DependencyType", EnumText(dependency.DependencyType));
            section[name] = entry;
        }

        return section;
    }

    private static JsonObject Manifest(PlatformManifest manifest)
    {
        var tree = new JsonObject();
        AddIfPresent(tree, "Name", manifest.Name);
        if (manifest.Platform is { } platform)
        {
            tree["Platform"] = new JsonObject(platform.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
        }

        if (manifest.Selections is { } selections)
        {
            tree["Selections"] = new JsonArray([.. selections.Select(s => (JsonNode?)s)]);
        }

        AddIfPresent(tree, "Lifecycle", manifest.Lifecycle?.DeepClone());
        if (manifest.Artifacts is { } artifacts)
        {
            tree["Artifacts"] = new JsonArray([.. artifacts.Select(Artifact)]);
        }

        return tree;
    }

    private static JsonObject Artifact(ComponentArtifact artifact)
    {
        var tree = new JsonObject { ["URI"] = artifact.Uri };
        AddIfPresent(tree, "Digest", artifact.Digest);
        AddIfPresent(tree, "Algorithm", artifact.Algorithm);
        AddIfPresent(tree, "Unarchive", EnumText(artifact.Unarchive));
        if (artifact.Permission is { } permission)
        {
            var section = new JsonObject();
            AddIfPresent(section, "Read", EnumText(permission.Read));
            AddIfPresent(section, "Execute", EnumText(permission.Execute));
            tree["Permission"] = section;
        }

        return tree;
    }

    private static string? EnumText<TEnum>(TEnum? value)
        where TEnum : struct, Enum => value?.ToString().ToUpperInvariant();

    private static void AddIfPresent(JsonObject tree, string key, JsonNode? value)
    {
        if (value is not null)
        {
            tree[key] = value;
        }
    }
}
