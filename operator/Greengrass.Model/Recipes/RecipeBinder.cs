using System.Text.Json.Nodes;

namespace Greengrass.Model.Recipes;

/// <summary>Binds a parsed document to <see cref="Recipe"/>, collecting every error with its path and position.</summary>
internal sealed partial class RecipeBinder(BindContext context)
{
    private static readonly string[] TopLevelKeys =
    [
        "RecipeFormatVersion", "ComponentName", "ComponentVersion", "ComponentDescription", "ComponentPublisher",
        "ComponentType", "ComponentSource", "ComponentConfiguration", "ComponentDependencies", "Manifests", "Lifecycle",
    ];

    private static readonly string[] ConfigurationKeys = ["DefaultConfiguration"];
    private static readonly string[] DependencyKeys = ["VersionRequirement", "DependencyType"];

    public Recipe? Bind(SourceNode root)
    {
        if (context.Mapping(root, string.Empty) is not { } map)
        {
            return null;
        }

        var fields = context.Fields(map, string.Empty, TopLevelKeys, unknownIsError: false);
        var format = Required(fields, "RecipeFormatVersion", map, ReadFormatVersion);
        var name = Required(fields, "ComponentName", map, (n, p) => Checked(n, p, RecipeSyntax.CheckComponentName));
        var version = Required(fields, "ComponentVersion", map, (n, p) => Checked(n, p, RecipeSyntax.CheckComponentVersion));
        var manifestNodes = Required(fields, "Manifests", map, ReadManifestList);
        var selectionKeys = SelectionKeys(manifestNodes);
        var recipe = new Recipe
        {
            RecipeFormatVersion = format ?? string.Empty,
            ComponentName = name ?? string.Empty,
            ComponentVersion = version ?? string.Empty,
            ComponentDescription = Optional(fields, "ComponentDescription", context.String),
            ComponentPublisher = Optional(fields, "ComponentPublisher", context.String),
            ComponentType = Optional(fields, "ComponentType", ReadComponentType),
            ComponentSource = Optional(fields, "ComponentSource", (n, p) => Checked(n, p, RecipeSyntax.CheckLambdaArn)),
            ComponentConfiguration = Optional(fields, "ComponentConfiguration", ReadConfiguration),
            ComponentDependencies = Optional(fields, "ComponentDependencies", ReadDependencies),
            Manifests = manifestNodes is null ? [] : ReadManifests(manifestNodes),
            Lifecycle = Optional(fields, "Lifecycle", (n, p) => ReadLifecycle(n, p, selectionKeys)),
        };
        return context.Errors.Count == 0 ? recipe : null;
    }

    private T? Required<T>(Dictionary<string, (ScalarNode Key, SourceNode Value)> fields, string name, MappingNode parent,
        Func<SourceNode, string, T?> read)
        where T : class
    {
        if (fields.TryGetValue(name, out var field))
        {
            return read(field.Value, name);
        }

        context.Error(name, parent, $"missing required field {name}");
        return null;
    }

    // An optional field written with no value (`Lifecycle:`) is absent, as the nucleus's object mapper reads it.
    private static T? Optional<T>(Dictionary<string, (ScalarNode Key, SourceNode Value)> fields, string name,
        Func<SourceNode, string, T?> read) =>
        fields.TryGetValue(name, out var field) && field.Value is not ScalarNode { Kind: ScalarKind.Null }
            ? read(field.Value, name)
            : default;

    private string? Checked(SourceNode node, string path, Func<string, string?> check)
    {
        var text = context.String(node, path);
        if (text is not null && check(text) is { } problem)
        {
            context.Error(path, node, problem);
        }

        return text;
    }

    private string? ReadFormatVersion(SourceNode node, string path)
    {
        var text = context.String(node, path);
        if (text is not null && text != Recipe.SupportedFormatVersion)
        {
            context.Error(path, node, $"unsupported recipe format version \"{text}\"; expected {Recipe.SupportedFormatVersion}");
        }

        return text;
    }

    private ComponentType? ReadComponentType(SourceNode node, string path)
    {
        var text = context.String(node, path);
        if (text is null)
        {
            return null;
        }

        if (ComponentTypes.TryParse(text, out var type))
        {
            return type;
        }

        var expected = string.Join(", ", Enum.GetValues<ComponentType>().Select(t => t.ToWireString()));
        context.Error(path, node, $"expected one of {expected}, found \"{text}\"");
        return null;
    }

    private ComponentConfiguration? ReadConfiguration(SourceNode node, string path)
    {
        if (context.Mapping(node, path) is not { } map)
        {
            return null;
        }

        var fields = context.Fields(map, path, ConfigurationKeys, unknownIsError: false);
        var defaults = Optional(fields, "DefaultConfiguration", (n, p) =>
        {
            var json = context.Json(n, $"{path}.{p}", marks: null);
            if (json is not (JsonObject or null))
            {
                context.Error($"{path}.{p}", n, $"expected an object, found {n.Describe()}");
            }

            return json as JsonObject;
        });
        return new ComponentConfiguration { DefaultConfiguration = defaults };
    }

    private Dictionary<string, ComponentDependency>? ReadDependencies(SourceNode node, string path)
    {
        if (context.Mapping(node, path) is not { } map)
        {
            return null;
        }

        var dependencies = new Dictionary<string, ComponentDependency>(StringComparer.Ordinal);
        foreach (var (key, value) in map.Entries)
        {
            var entryPath = BindContext.Join(path, key.Text);
            if (RecipeSyntax.CheckComponentName(key.Text) is { } problem)
            {
                context.Error(entryPath, key, problem);
            }

            if (ReadDependency(value, entryPath) is { } dependency && !dependencies.TryAdd(key.Text, dependency))
            {
                context.Error(entryPath, key, $"duplicate dependency \"{key.Text}\"");
            }
        }

        return dependencies;
    }

    private ComponentDependency? ReadDependency(SourceNode node, string path)
    {
        if (context.Mapping(node, path) is not { } map)
        {
            return null;
        }

        var fields = context.Fields(map, path, DependencyKeys, unknownIsError: false);
        var requirement = fields.TryGetValue("VersionRequirement", out var field)
            ? Checked(field.Value, $"{path}.VersionRequirement", RecipeSyntax.CheckVersionRequirement)
            : Missing(map, $"{path}.VersionRequirement");
        var type = Optional(fields, "DependencyType", (n, _) => context.Enum<DependencyType>(n, $"{path}.DependencyType"));
        return requirement is null ? null : new ComponentDependency { VersionRequirement = requirement, DependencyType = type };
    }

    private string? Missing(SourceNode parent, string path)
    {
        context.Error(path, parent, $"missing required field {path[(path.LastIndexOf('.') + 1)..]}");
        return null;
    }

    private JsonObject? ReadLifecycle(SourceNode node, string path, IReadOnlySet<string> selectionKeys)
    {
        if (context.Mapping(node, path) is null)
        {
            return null;
        }

        var marks = new SourceMarks();
        var lifecycle = (JsonObject)context.Json(node, path, marks)!;
        new LifecycleReader(context, marks, selectionKeys).ReadLevel(lifecycle, path);
        return LifecycleKeys.Canonical(lifecycle, selectionKeys);
    }
}
