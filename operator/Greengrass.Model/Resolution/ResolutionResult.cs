using Greengrass.Model.Versions;

namespace Greengrass.Model.Resolution;

/// <summary>One chosen component version.</summary>
/// <param name="Name">The component name.</param>
/// <param name="Version">The chosen version.</param>
/// <param name="IsRoot">True when a deployment asked for it directly.</param>
/// <param name="Dependencies">The chosen version's dependencies that were installed (absent soft ones are left out).</param>
/// <param name="Sources">The deployments that need it, directly or through dependencies, sorted.</param>
public sealed record ResolvedComponent(
    string Name,
    SemanticVersion Version,
    bool IsRoot,
    IReadOnlyList<DependencyRequirement> Dependencies,
    IReadOnlyList<string> Sources);

/// <summary>The outcome of <see cref="DependencyResolver.Resolve"/>: either the chosen versions or one structured error.</summary>
public sealed class ResolutionResult
{
    private ResolutionResult(IReadOnlyList<ResolvedComponent> components, ResolutionError? error)
    {
        Components = components;
        Error = error;
    }

    /// <summary>True when every requirement was satisfied.</summary>
    public bool Succeeded => Error is null;

    /// <summary>The chosen versions in dependency order (every component after all of its dependencies); empty on failure.</summary>
    public IReadOnlyList<ResolvedComponent> Components { get; }

    /// <summary>Why resolution failed; null on success.</summary>
    public ResolutionError? Error { get; }

    /// <summary>The chosen version of a component, or null when it is not part of the result.</summary>
    /// <param name="componentName">The component name.</param>
    /// <returns>The resolved component or null.</returns>
    public ResolvedComponent? Find(string componentName) =>
        Components.FirstOrDefault(c => string.Equals(c.Name, componentName, StringComparison.Ordinal));

    internal static ResolutionResult Success(IReadOnlyList<ResolvedComponent> components) => new(components, null);

    internal static ResolutionResult Failure(ResolutionError error) => new([], error);
}

/// <summary>The kinds of resolution failure.</summary>
public enum ResolutionErrorKind
{
    /// <summary>Requirements on one component, each satisfiable alone, cannot be satisfied together.</summary>
    Conflict,

    /// <summary>A required component has no version in the catalogue at all.</summary>
    NotFound,

    /// <summary>A single requirement matches none of the component's available versions.</summary>
    NoMatchingVersion,

    /// <summary>The chosen versions depend on each other in a cycle, so there is no start order.</summary>
    Cycle,
}

/// <summary>A structured resolution failure; <see cref="Message"/> names components, versions, requirements and deployments.</summary>
/// <param name="Kind">What went wrong.</param>
/// <param name="ComponentName">The component the failure is about (for a cycle, its first member).</param>
/// <param name="Message">A readable explanation, for example
/// <c>component "com.example.Lib": requirement "^1.0.0" from deployment "fleet-a" and requirement "2.0.0" from deployment "fleet-b" cannot both be satisfied (available: 1.0.0, 1.4.2, 2.0.0)</c>.</param>
/// <param name="Requirements">The requirements involved.</param>
/// <param name="Available">The catalogued versions of the component, oldest first.</param>
/// <param name="CyclePath">For a cycle, its members as <c>name@version</c> in dependency order; otherwise empty.</param>
public sealed record ResolutionError(
    ResolutionErrorKind Kind,
    string ComponentName,
    string Message,
    IReadOnlyList<RequirementSource> Requirements,
    IReadOnlyList<SemanticVersion> Available,
    IReadOnlyList<string> CyclePath)
{
    /// <summary>The message.</summary>
    /// <returns><see cref="Message"/>.</returns>
    public override string ToString() => Message;
}
