using System.Text.Json.Nodes;

namespace Greengrass.Model.Interpolation;

/// <summary>What recipe variables can resolve to for one component: its paths and its resolved configuration.</summary>
/// <param name="Name">The component name.</param>
/// <param name="ArtifactsPath">Value of <c>{artifacts:path}</c>.</param>
/// <param name="DecompressedArtifactsPath">Value of <c>{artifacts:decompressedPath}</c>.</param>
/// <param name="WorkPath">Value of <c>{work:path}</c>.</param>
/// <param name="Configuration">The fully resolved configuration (defaults + reset + merge); null when it has none.</param>
public sealed record InterpolationComponent(
    string Name,
    string ArtifactsPath,
    string DecompressedArtifactsPath,
    string WorkPath,
    JsonObject? Configuration)
{
    /// <summary>
    /// Derives the paths of GREENGRASS.md §3.1 from the nucleus root: <c>&lt;root&gt;/packages/artifacts/&lt;name&gt;/&lt;version&gt;</c>,
    /// <c>&lt;root&gt;/packages/artifacts-unarchived/&lt;name&gt;/&lt;version&gt;</c> and <c>&lt;root&gt;/work/&lt;name&gt;</c>.
    /// </summary>
    /// <param name="rootPath">The absolute nucleus root, for example <c>/greengrass/v2</c>.</param>
    /// <param name="name">The component name.</param>
    /// <param name="version">The resolved component version.</param>
    /// <param name="configuration">The component's resolved configuration.</param>
    /// <returns>The component's interpolation data.</returns>
    public static InterpolationComponent ForRoot(string rootPath, string name, string version, JsonObject? configuration)
    {
        ArgumentNullException.ThrowIfNull(rootPath);
        var root = InterpolationContext.TrimRoot(rootPath);
        return new InterpolationComponent(
            name,
            $"{root}/packages/artifacts/{name}/{version}",
            $"{root}/packages/artifacts-unarchived/{name}/{version}",
            $"{root}/work/{name}",
            configuration);
    }
}

/// <summary>Everything interpolation needs for one component: the device, the component, and its direct dependencies.</summary>
public sealed class InterpolationContext
{
    private readonly Dictionary<string, InterpolationComponent> _dependencies;

    /// <summary>Creates the context.</summary>
    /// <param name="rootPath">Value of <c>{kernel:rootPath}</c>.</param>
    /// <param name="thingName">Value of <c>{iot:thingName}</c>.</param>
    /// <param name="component">The component being interpolated.</param>
    /// <param name="directDependencies">Its direct dependencies that were resolved; only these may be referenced as
    /// <c>{Name:namespace:key}</c>.</param>
    public InterpolationContext(string rootPath, string thingName, InterpolationComponent component,
        IEnumerable<InterpolationComponent> directDependencies)
    {
        ArgumentNullException.ThrowIfNull(rootPath);
        ArgumentNullException.ThrowIfNull(thingName);
        ArgumentNullException.ThrowIfNull(component);
        ArgumentNullException.ThrowIfNull(directDependencies);
        RootPath = TrimRoot(rootPath);
        ThingName = thingName;
        Component = component;
        _dependencies = new Dictionary<string, InterpolationComponent>(StringComparer.Ordinal);
        foreach (var dependency in directDependencies)
        {
            _dependencies[dependency.Name] = dependency;
        }
    }

    /// <summary>The nucleus root.</summary>
    public string RootPath { get; }

    /// <summary>The core device's thing name.</summary>
    public string ThingName { get; }

    /// <summary>The component being interpolated.</summary>
    public InterpolationComponent Component { get; }

    /// <summary>The resolved direct dependencies by name.</summary>
    public IReadOnlyDictionary<string, InterpolationComponent> DirectDependencies => _dependencies;

    internal static string TrimRoot(string rootPath) => rootPath.Length > 1 ? rootPath.TrimEnd('/') : rootPath;
}
