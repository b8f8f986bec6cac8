using Greengrass.Model.Versions;

namespace Greengrass.Model.Resolution;

/// <summary>How a dependency couples two components (Greengrass <c>DependencyType</c>).</summary>
public enum DependencyKind
{
    /// <summary>Start gating and restart coupling; the default.</summary>
    Hard,

    /// <summary>Resolved and installed like a hard dependency, but never gates start or forces restarts.</summary>
    Soft,
}

/// <summary>One dependency of a component version: which component, which versions, how coupled.</summary>
/// <param name="ComponentName">The component depended on.</param>
/// <param name="Requirement">The versions of it that are acceptable.</param>
/// <param name="Kind">Hard or soft.</param>
public sealed record DependencyRequirement(string ComponentName, VersionRange Requirement, DependencyKind Kind = DependencyKind.Hard);

/// <summary>One available version of a component and what it depends on.</summary>
/// <param name="Version">The component version.</param>
/// <param name="Dependencies">Its dependencies, in recipe order.</param>
public sealed record CatalogVersion(SemanticVersion Version, IReadOnlyList<DependencyRequirement> Dependencies);

/// <summary>
/// The versions a resolver may choose from: component name → available versions with their dependencies.
/// Immutable once built; versions are kept newest first, and range checks against a component are memoised
/// per requirement text, so one catalogue can serve many resolutions (and threads) cheaply.
/// </summary>
public sealed class ComponentCatalog
{
    private readonly Dictionary<string, CatalogComponent> _components;

    private readonly Lazy<Dictionary<string, int>> _ranks;

    private ComponentCatalog(Dictionary<string, CatalogComponent> components)
    {
        _components = components;
        _ranks = new Lazy<Dictionary<string, int>>(() => DecisionOrder.Compute(_components));
    }

    /// <summary>The catalogued component names, sorted ordinally.</summary>
    public IReadOnlyList<string> ComponentNames => [.. _components.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Builds a catalogue from a flat list of component versions.</summary>
    /// <param name="entries">Each available version with the name of its component, in any order.</param>
    /// <returns>The catalogue.</returns>
    /// <exception cref="ArgumentException">A component name is empty or a version is listed twice; the message names it.</exception>
    public static ComponentCatalog Create(IEnumerable<(string ComponentName, CatalogVersion Version)> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var index = new Dictionary<string, CatalogComponent>(StringComparer.Ordinal);
        foreach (var group in entries.GroupBy(e => e.ComponentName, StringComparer.Ordinal))
        {
            if (string.IsNullOrEmpty(group.Key))
            {
                throw new ArgumentException("a catalogue component name is empty", nameof(entries));
            }

            var invalid = group.FirstOrDefault(e => e.Version?.Version is null || e.Version.Dependencies is null
                || e.Version.Dependencies.Any(d => d is null || string.IsNullOrEmpty(d.ComponentName) || d.Requirement is null));
            if (invalid != default)
            {
                throw new ArgumentException(
                    $"component \"{group.Key}\" has a version that is missing its version, its dependency list or a dependency's name or requirement",
                    nameof(entries));
            }

            var sorted = group.Select(e => e.Version).OrderByDescending(v => v.Version).ToArray();
            for (var i = 1; i < sorted.Length; i++)
            {
                if (sorted[i].Version == sorted[i - 1].Version)
                {
                    throw new ArgumentException($"component \"{group.Key}\" lists version {sorted[i].Version} twice", nameof(entries));
                }
            }

            index.Add(group.Key, new CatalogComponent(group.Key, sorted));
        }

        return new ComponentCatalog(index);
    }

    /// <summary>True when the catalogue has at least one version of the component.</summary>
    /// <param name="componentName">The component name.</param>
    /// <returns>Whether versions exist.</returns>
    public bool Contains(string componentName) => _components.TryGetValue(componentName, out var c) && c.Versions.Length > 0;

    /// <summary>The available versions of a component, newest first; empty when it is not catalogued.</summary>
    /// <param name="componentName">The component name.</param>
    /// <returns>The versions with their dependencies.</returns>
    public IReadOnlyList<CatalogVersion> VersionsOf(string componentName) =>
        _components.TryGetValue(componentName, out var c) ? c.Versions : [];

    /// <summary>Position of a component in the dependents-before-dependencies decision order; -1 when not catalogued.</summary>
    internal int RankOf(string componentName) => _ranks.Value.GetValueOrDefault(componentName, -1);

    internal CatalogComponent? Find(string componentName) =>
        _components.TryGetValue(componentName, out var c) && c.Versions.Length > 0 ? c : null;
}

/// <summary>A component's versions (newest first) and the memo of which of them each requirement admits.</summary>
internal sealed class CatalogComponent(string name, CatalogVersion[] versions)
{
    // A plain dictionary under a lock: uncontended in practice (one resolution runs on one thread), and far lighter to
    // create for thousands of components than a concurrent dictionary.
    private readonly Dictionary<string, VersionSet> _matches = new(StringComparer.Ordinal);
    private readonly string?[] _labels = new string?[versions.Length];
    private readonly RequirementSource[]?[] _requirements = new RequirementSource[]?[versions.Length];

    public string Name { get; } = name;

    public CatalogVersion[] Versions { get; } = versions;

    /// <summary>
    /// A version's dependencies as requirements owned by that version, ordered by name so the search visits them
    /// deterministically. Built once and reused, so each search can memoise per requirement object.
    /// </summary>
    public RequirementSource[] Requirements(int index) =>
        _requirements[index] ??= [.. Versions[index].Dependencies
            .OrderBy(d => d.ComponentName, StringComparer.Ordinal)
            .Select(d => new RequirementSource(d.ComponentName, d.Requirement, Label(index), IsDeployment: false, d.Kind) { OwnerName = Name })];

    /// <summary><c>name@version</c>: how error messages name a version as a dependent.</summary>
    public string Label(int index) => _labels[index] ??= $"{Name}@{Versions[index].Version}";

    public VersionSet Matching(VersionRange range)
    {
        lock (_matches)
        {
            if (!_matches.TryGetValue(range.Text, out var set))
            {
                set = Evaluate(range);
                _matches.Add(range.Text, set);
            }

            return set;
        }
    }

    private VersionSet Evaluate(VersionRange range)
    {
        var set = VersionSet.Empty(Versions.Length);
        for (var i = 0; i < Versions.Length; i++)
        {
            if (range.IsSatisfiedBy(Versions[i].Version))
            {
                set.Add(i);
            }
        }

        return set;
    }
}
