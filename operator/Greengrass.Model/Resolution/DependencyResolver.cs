namespace Greengrass.Model.Resolution;

/// <summary>
/// Chooses one version per component for a device: the roots of every applicable deployment plus their transitive
/// dependencies, satisfying every requirement from every deployment and dependent at once (GREENGRASS.md §1.3, §4.4).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Components are decided dependents-first, so every requirement on a component is known when its version is
/// chosen; the newest version satisfying all of them is taken. When a choice leads to a dead end further down, the search
/// jumps back to the decision that caused it and tries that component's next older version (conflict-directed
/// backjumping, bounded by a fixed number of attempts).</item>
/// <item>Deterministic: roots are ordered by component name then deployment name, dependencies by name, so the input order
/// of roots and of catalogue entries never changes the outcome.</item>
/// <item>SOFT dependencies follow the reference: they are resolved and installed exactly like HARD ones (SOFT only changes
/// start gating and restart coupling at run time). A SOFT dependency with no version in the catalogue is not installed and
/// is not an error, unless a deployment or a HARD dependency also needs that component.</item>
/// <item>A dependency cycle among the chosen versions is an error (<see cref="ResolutionErrorKind.Cycle"/>): there is no
/// start order for it.</item>
/// </list>
/// </remarks>
public static class DependencyResolver
{
    /// <summary>Resolves the request; never throws for unsatisfiable input, it returns a structured error instead.</summary>
    /// <param name="request">The roots and the catalogue.</param>
    /// <returns>The chosen versions in dependency order, or the error.</returns>
    /// <exception cref="ArgumentException">The request is malformed (a missing root, name or requirement); the message names the field.</exception>
    public static ResolutionResult Resolve(ResolutionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Roots is null || request.Catalog is null)
        {
            throw new ArgumentException($"request.{(request.Roots is null ? "Roots" : "Catalog")} is missing", nameof(request));
        }

        for (var i = 0; i < request.Roots.Count; i++)
        {
            var root = request.Roots[i];
            var missing = root is null ? "" : string.IsNullOrEmpty(root.Source) ? ".Source"
                : string.IsNullOrEmpty(root.ComponentName) ? ".ComponentName" : root.Requirement is null ? ".Requirement" : null;
            if (missing is not null)
            {
                throw new ArgumentException($"request.Roots[{i}]{missing} is missing", nameof(request));
            }
        }

        return new ResolutionSearch(request.Catalog).Run(request.Roots);
    }
}
