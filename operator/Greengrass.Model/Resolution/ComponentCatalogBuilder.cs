using Greengrass.Model.Versions;

namespace Greengrass.Model.Resolution;

/// <summary>Collects component versions and builds a <see cref="ComponentCatalog"/>.</summary>
public sealed class ComponentCatalogBuilder
{
    private readonly List<(string ComponentName, CatalogVersion Version)> _entries = [];

    /// <summary>Adds one available version of a component.</summary>
    /// <param name="componentName">The component name.</param>
    /// <param name="version">The version text, for example <c>1.4.2</c>.</param>
    /// <param name="dependencies">Its dependencies as (name, requirement, kind).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="FormatException">The version or a requirement does not parse; the message names it.</exception>
    public ComponentCatalogBuilder Add(string componentName, string version,
        params (string Name, string Requirement, DependencyKind Kind)[] dependencies)
    {
        var parsed = dependencies
            .Select(d => new DependencyRequirement(d.Name, VersionRange.Parse(d.Requirement), d.Kind))
            .ToArray();
        return Add(componentName, new CatalogVersion(SemanticVersion.Parse(version), parsed));
    }

    /// <summary>Adds one available version of a component.</summary>
    /// <param name="componentName">The component name.</param>
    /// <param name="version">The version and its dependencies.</param>
    /// <returns>This builder.</returns>
    public ComponentCatalogBuilder Add(string componentName, CatalogVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        _entries.Add((componentName, version));
        return this;
    }

    /// <summary>Builds the immutable catalogue.</summary>
    /// <returns>The catalogue.</returns>
    public ComponentCatalog Build() => ComponentCatalog.Create(_entries);
}
