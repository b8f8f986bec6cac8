using System.Text.Json.Nodes;

namespace Greengrass.Model.Recipes;

/// <summary>
/// A Greengrass component recipe (format <c>2020-01-25</c>), as read from JSON or YAML.
/// Optional fields are <see langword="null"/> when the recipe did not carry them, so a recipe written back
/// holds exactly the fields it was read with. Equality is structural (lists, maps and JSON trees compare deeply).
/// The JSON trees (<see cref="Lifecycle"/>, configuration) are shared: treat them as read-only.
/// </summary>
public sealed record Recipe
{
    /// <summary>The only supported recipe format version.</summary>
    public const string SupportedFormatVersion = "2020-01-25";

    /// <summary>Recipe format version; always <see cref="SupportedFormatVersion"/> for a parsed recipe.</summary>
    public required string RecipeFormatVersion { get; init; }

    /// <summary>Component name, <c>^[a-zA-Z0-9-_.]+$</c>, 1 to 128 characters.</summary>
    public required string ComponentName { get; init; }

    /// <summary>Component version as written: SemVer 2.0 syntax within the Greengrass limits.</summary>
    public required string ComponentVersion { get; init; }

    /// <summary>Free text description, when present.</summary>
    public string? ComponentDescription { get; init; }

    /// <summary>Publisher, when present.</summary>
    public string? ComponentPublisher { get; init; }

    /// <summary>Component type as written; <see langword="null"/> means generic (see <see cref="EffectiveComponentType"/>).</summary>
    public ComponentType? ComponentType { get; init; }

    /// <summary>Lambda function ARN, only for lambda components.</summary>
    public string? ComponentSource { get; init; }

    /// <summary>The <c>ComponentConfiguration</c> section, when present.</summary>
    public ComponentConfiguration? ComponentConfiguration { get; init; }

    /// <summary>Dependencies by component name, in recipe order, when present.</summary>
    public IReadOnlyDictionary<string, ComponentDependency>? ComponentDependencies { get; init; }

    /// <summary>Platform manifests in preference order (the first match wins). Never empty for a parsed recipe.</summary>
    public required IReadOnlyList<PlatformManifest> Manifests { get; init; }

    /// <summary>
    /// The global lifecycle as a free-form tree (it may hold selection keys at any depth); used only when the
    /// selected manifest has no lifecycle of its own.
    /// </summary>
    public JsonObject? Lifecycle { get; init; }

    /// <summary>The component type with the Greengrass default applied.</summary>
    public ComponentType EffectiveComponentType => ComponentType ?? Recipes.ComponentType.Generic;

    /// <inheritdoc/>
    public bool Equals(Recipe? other) =>
        other is not null
        && RecipeFormatVersion == other.RecipeFormatVersion
        && ComponentName == other.ComponentName
        && ComponentVersion == other.ComponentVersion
        && ComponentDescription == other.ComponentDescription
        && ComponentPublisher == other.ComponentPublisher
        && ComponentType == other.ComponentType
        && ComponentSource == other.ComponentSource
        && Equals(ComponentConfiguration, other.ComponentConfiguration)
        && StructuralEquality.MapEquals(ComponentDependencies, other.ComponentDependencies)
        && StructuralEquality.ListEquals(Manifests, other.Manifests)
        && StructuralEquality.NodeEquals(Lifecycle, other.Lifecycle);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(ComponentName, ComponentVersion, Manifests.Count);
}

/// <summary>The <c>ComponentConfiguration</c> section of a recipe.</summary>
public sealed record ComponentConfiguration
{
    /// <summary>Free-form default configuration, when present.</summary>
    public JsonObject? DefaultConfiguration { get; init; }

    /// <inheritdoc/>
    public bool Equals(ComponentConfiguration? other) =>
        other is not null && StructuralEquality.NodeEquals(DefaultConfiguration, other.DefaultConfiguration);

    /// <inheritdoc/>
    public override int GetHashCode() => DefaultConfiguration?.Count ?? 0;
}

/// <summary>One entry of <c>ComponentDependencies</c>.</summary>
public sealed record ComponentDependency
{
    /// <summary>npm-style version range, e.g. <c>&gt;=2.0.0 &lt;2.1.0</c> or <c>^1.1.0</c>.</summary>
    public required string VersionRequirement { get; init; }

    /// <summary>Dependency type as written; <see langword="null"/> means <see cref="DependencyType.Hard"/>.</summary>
    public DependencyType? DependencyType { get; init; }

    /// <summary>The dependency type with the Greengrass default applied.</summary>
    public DependencyType EffectiveDependencyType => DependencyType ?? Recipes.DependencyType.Hard;
}

/// <summary>How a dependency couples its dependent.</summary>
public enum DependencyType
{
    /// <summary><c>HARD</c>: the dependent waits for it and restarts with it.</summary>
    Hard,

    /// <summary><c>SOFT</c>: installed and resolved only.</summary>
    Soft,
}
