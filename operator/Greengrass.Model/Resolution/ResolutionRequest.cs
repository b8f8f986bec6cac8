using Greengrass.Model.Versions;

namespace Greengrass.Model.Resolution;

/// <summary>A root component wanted by one source (a deployment, that is, a thing group, a thing or a local deployment).</summary>
/// <param name="Source">The deployment that asks for the component; named in error messages.</param>
/// <param name="ComponentName">The component.</param>
/// <param name="Requirement">The acceptable versions; a deployment usually pins one exactly (<c>=1.0.0</c>).</param>
public sealed record RootRequirement(string Source, string ComponentName, VersionRange Requirement);

/// <summary>What to resolve: the root requirements of every applicable deployment, and the versions to choose from.</summary>
/// <param name="Roots">Root requirements from all sources; their order does not change the result.</param>
/// <param name="Catalog">The available component versions.</param>
public sealed record ResolutionRequest(IReadOnlyList<RootRequirement> Roots, ComponentCatalog Catalog);

/// <summary>Who placed a version requirement on a component: a deployment (root) or a dependent component version.</summary>
/// <param name="ComponentName">The component the requirement is on.</param>
/// <param name="Requirement">The requirement.</param>
/// <param name="Owner">The deployment name, or the dependent as <c>name@version</c>.</param>
/// <param name="IsDeployment">True when <see cref="Owner"/> is a deployment, false when it is a dependent component.</param>
/// <param name="Kind">For a dependent, the dependency kind; <see cref="DependencyKind.Hard"/> for a deployment.</param>
public sealed record RequirementSource(string ComponentName, VersionRange Requirement, string Owner, bool IsDeployment, DependencyKind Kind)
{
    /// <summary>For a dependent component, its name (without the version); null for a deployment.</summary>
    internal string? OwnerName { get; init; }

    /// <summary>The owner as error messages show it: <c>deployment "fleet-a"</c> or <c>component "com.example.App@1.0.0"</c>.</summary>
    /// <returns>The description.</returns>
    public string DescribeOwner() => IsDeployment ? $"deployment \"{Owner}\"" : $"component \"{Owner}\"";

    /// <summary>For example <c>requirement "^1.0.0" from deployment "fleet-a"</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"requirement \"{Requirement}\" from {DescribeOwner()}";
}
