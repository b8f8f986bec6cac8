using System.Text;
using System.Text.Json.Nodes;
using Greengrass.Api;
using Greengrass.Model.Recipes;
using k8s;
using k8s.Models;

namespace Greengrass.Operator.Components;

/// <summary>
/// Maps between a Greengrass recipe and a Component resource. The Component spec mirrors the recipe
/// key for key in camelCase; lifecycle trees, platform maps and default configuration are copied
/// verbatim (they are free-form in Greengrass, selection keys included). Going from a Component to a
/// recipe re-reads the result with <see cref="RecipeReader"/>, so every Component is validated by the
/// same rules as a recipe file and errors name recipe fields.
/// </summary>
internal static class ComponentRecipeMapper
{
    // recipe key → Component key, per level; anything not listed is copied as it is.
    private static readonly (string Recipe, string Component)[] TopLevel =
    [
        ("RecipeFormatVersion", "recipeFormatVersion"), ("ComponentName", "componentName"), ("ComponentVersion", "componentVersion"),
        ("ComponentType", "componentType"), ("ComponentSource", "componentSource"), ("ComponentDescription", "description"),
        ("ComponentPublisher", "publisher"), ("ComponentConfiguration", "configuration"), ("ComponentDependencies", "dependencies"),
        ("Manifests", "manifests"), ("Lifecycle", "lifecycle"),
    ];

    private static readonly (string Recipe, string Component)[] ManifestKeys =
        [("Platform", "platform"), ("Name", "name"), ("Lifecycle", "lifecycle"), ("Selections", "selections"), ("Artifacts", "artifacts")];

    private static readonly (string Recipe, string Component)[] ArtifactKeys =
        [("URI", "uri"), ("Digest", "digest"), ("Algorithm", "algorithm"), ("Unarchive", "unarchive"), ("Permission", "permission")];

    private static readonly (string Recipe, string Component)[] PermissionKeys = [("Read", "read"), ("Execute", "execute")];

    private static readonly (string Recipe, string Component)[] DependencyKeys =
        [("VersionRequirement", "versionRequirement"), ("DependencyType", "dependencyType")];

    /// <summary>The Component resource for a recipe, named after the component and version, in <paramref name="ns"/>.</summary>
    public static Component ToComponent(Recipe recipe, string? ns = null, string? sourceFile = null)
    {
        var tree = RecipeWriter.ToTree(recipe);
        var spec = Rename(tree, TopLevel, ToComponentKey);
        var component = new Component
        {
            ApiVersion = GreengrassApi.ApiVersion,
            Kind = GreengrassApi.ComponentKind,
            Metadata = new V1ObjectMeta { Name = ObjectName(recipe.ComponentName, recipe.ComponentVersion), NamespaceProperty = ns },
            Spec = KubernetesJson.Deserialize<ComponentSpec>(spec.ToJsonString()),
        };
        if (sourceFile is not null)
        {
            component.Metadata.Annotations = new Dictionary<string, string> { [Annotations.RecipeSource] = Path.GetFileName(sourceFile) };
        }

        return component;
    }

    /// <summary>The recipe a Component carries; throws <see cref="RecipeException"/> naming the recipe fields that are wrong.</summary>
    public static Recipe ToRecipe(ComponentSpec spec, string? sourceName = null)
    {
        var tree = (JsonObject)JsonNode.Parse(KubernetesJson.Serialize(spec))!;
        var recipe = Rename(tree, TopLevel, ToRecipeKey);
        return RecipeReader.Parse(recipe.ToJsonString(), sourceName);
    }

    /// <summary>
    /// A Kubernetes object name for a component version: Greengrass names allow upper case and
    /// underscores, object names do not, so the name is lower-cased with <c>_</c> and <c>+</c> turned into <c>-</c>.
    /// </summary>
    public static string ObjectName(string componentName, string componentVersion)
    {
        var raw = $"{componentName}-{componentVersion}".ToLowerInvariant();
        var builder = new StringBuilder(raw.Length);
        foreach (var c in raw)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '-');
        }

        var name = builder.ToString().Trim('-', '.');
        return name.Length <= 253 ? name : name[..253].TrimEnd('-', '.');
    }

    private static JsonObject Rename(JsonObject source, (string Recipe, string Component)[] keys, Func<(string Recipe, string Component), (string From, string To)> direction)
    {
        var result = new JsonObject();
        foreach (var (key, value) in source)
        {
            var match = keys.FirstOrDefault(k => string.Equals(direction(k).From, key, StringComparison.OrdinalIgnoreCase));
            var target = match.Recipe is null ? key : direction(match).To;
            result[target] = RenameChild(target, value?.DeepClone(), direction);
        }

        return result;
    }

    private static JsonNode? RenameChild(string key, JsonNode? value, Func<(string Recipe, string Component), (string From, string To)> direction)
    {
        switch (key)
        {
            case "manifests" or "Manifests" when value is JsonArray manifests:
                return new JsonArray([.. manifests.Select(m => m is JsonObject o ? Rename(o, ManifestKeys, direction, RenameManifestChild) : m?.DeepClone())]);
            case "dependencies" or "ComponentDependencies" when value is JsonObject deps:
                var renamed = new JsonObject();
                foreach (var (name, dep) in deps)
                {
                    renamed[name] = dep is JsonObject d ? Rename(d, DependencyKeys, direction) : dep?.DeepClone();
                }

                return renamed;
            case "configuration" or "ComponentConfiguration" when value is JsonObject configuration:
                return Rename(configuration, [("DefaultConfiguration", "defaultConfiguration")], direction);
            default:
                return value;
        }

        JsonNode? RenameManifestChild(string child, JsonNode? node) => child switch
        {
            "artifacts" or "Artifacts" when node is JsonArray artifacts =>
                new JsonArray([.. artifacts.Select(a => a is JsonObject o ? Rename(o, ArtifactKeys, direction, RenameArtifactChild) : a?.DeepClone())]),
            _ => node,
        };

        JsonNode? RenameArtifactChild(string child, JsonNode? node) => child switch
        {
            "permission" or "Permission" when node is JsonObject permission => Rename(permission, PermissionKeys, direction),
            _ => node,
        };
    }

    private static JsonObject Rename(JsonObject source, (string Recipe, string Component)[] keys,
        Func<(string Recipe, string Component), (string From, string To)> direction, Func<string, JsonNode?, JsonNode?> child)
    {
        var renamed = Rename(source, keys, direction);
        foreach (var key in renamed.Select(p => p.Key).ToList())
        {
            renamed[key] = child(key, renamed[key]?.DeepClone());
        }

        return renamed;
    }

    private static (string From, string To) ToComponentKey((string Recipe, string Component) pair) => (pair.Recipe, pair.Component);

    private static (string From, string To) ToRecipeKey((string Recipe, string Component) pair) => (pair.Component, pair.Recipe);
}
