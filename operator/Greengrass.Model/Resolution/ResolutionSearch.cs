namespace Greengrass.Model.Resolution;

/// <summary>
/// Backtracking search over component versions, newest first. Components are decided dependents-first (see
/// <see cref="DecisionOrder"/>), and a dead end jumps straight back to the most recent decision that contributed to it
/// (conflict-directed backjumping) instead of retrying every unrelated choice in between. Requirements are kept per
/// component with their owners, so every failure can name who asked for what.
/// </summary>
internal sealed class ResolutionSearch(ComponentCatalog catalog)
{
    // Backjumping keeps realistic inputs near-linear, but the problem is NP-hard in general: a bounded search turns a
    // pathological catalogue into an error instead of a hung reconcile.
    internal const int MaxAttempts = 100_000;

    private readonly Dictionary<string, List<RequirementSource>> _requirements = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _selected = new(StringComparer.Ordinal);
    private readonly HashSet<string> _skipped = new(StringComparer.Ordinal);
    private readonly SortedSet<(int Rank, string Name)> _pending = new(PendingOrder.Instance);
    private readonly Dictionary<RequirementSource, VersionSet> _matches = new(ReferenceEqualityComparer.Instance);
    private ResolutionError? _firstFailure;
    private int _attempts;
    private bool _gaveUp;

    public ResolutionResult Run(IReadOnlyList<RootRequirement> roots)
    {
        var ordered = roots
            .OrderBy(r => r.ComponentName, StringComparer.Ordinal)
            .ThenBy(r => r.Source, StringComparer.Ordinal)
            .ThenBy(r => r.Requirement.Text, StringComparer.Ordinal);
        foreach (var root in ordered)
        {
            AddRequirement(new RequirementSource(root.ComponentName, root.Requirement, root.Source, IsDeployment: true, DependencyKind.Hard));
        }

        if (Solve() is not null)
        {
            var failure = _firstFailure ?? ResolutionMessages.Unexplained();
            return ResolutionResult.Failure(_gaveUp ? failure with { Message = ResolutionMessages.GaveUp(MaxAttempts, failure) } : failure);
        }

        return ResolutionOutput.Build(catalog, _selected, _requirements);
    }

    /// <summary>Decides the next pending component; null on success, else the decisions (component names) to blame.</summary>
    private HashSet<string>? Solve()
    {
        if (_pending.Count == 0)
        {
            return null;
        }

        var next = _pending.Min;
        _pending.Remove(next);
        var conflict = Decide(next.Name);
        if (conflict is not null)
        {
            _pending.Add(next);
        }

        return conflict;
    }

    private HashSet<string>? Decide(string name)
    {
        var requirements = _requirements[name];
        var component = catalog.Find(name);
        if (component is null)
        {
            return SkipAbsent(name, requirements);
        }

        var candidates = VersionSet.Full(component.Versions.Length);
        foreach (var requirement in requirements)
        {
            candidates.IntersectWith(Matches(component, requirement));
        }

        if (candidates.IsEmpty)
        {
            Fail(() => ResolutionMessages.Unsatisfiable(component, requirements));
            return Owners(MinimalConflict(component, requirements, r => Matches(component, r)));
        }

        // When every candidate fails, whoever required this component shares the blame: even a "*" requirement is what
        // makes the component necessary at all. Built only on the way back, the successful path allocates nothing for it.
        HashSet<string>? blame = null;

        foreach (var index in candidates.Indices())
        {
            if (++_attempts > MaxAttempts)
            {
                _gaveUp = true;
                return blame ?? Owners(requirements);
            }

            var conflict = TryChoose(component, index);
            if (conflict is null)
            {
                return null;
            }

            if (_gaveUp || !conflict.Remove(name))
            {
                return conflict; // this choice played no part: jump further back
            }

            blame ??= Owners(requirements);
            blame.UnionWith(conflict);
        }

        return blame ?? Owners(requirements);
    }

    private HashSet<string>? TryChoose(CatalogComponent component, int index)
    {
        _selected[component.Name] = index;
        var added = new List<RequirementSource>();
        var conflict = AddDependencies(component, index, added) ?? Solve();
        if (conflict is null)
        {
            return null;
        }

        for (var i = added.Count - 1; i >= 0; i--)
        {
            RemoveLastRequirement(added[i].ComponentName);
        }

        _selected.Remove(component.Name);
        return conflict;
    }

    private HashSet<string>? AddDependencies(CatalogComponent component, int index, List<RequirementSource> added)
    {
        foreach (var requirement in component.Requirements(index))
        {
            AddRequirement(requirement);
            added.Add(requirement);
            var conflict = CheckAgainstDecided(requirement);
            if (conflict is not null)
            {
                return conflict;
            }
        }

        return null;
    }

    // Only dependency cycles can put a requirement on a component that is already decided.
    private HashSet<string>? CheckAgainstDecided(RequirementSource requirement)
    {
        var name = requirement.ComponentName;
        if (_selected.TryGetValue(name, out var chosen))
        {
            var target = catalog.Find(name)!;
            if (!Matches(target, requirement).Contains(chosen))
            {
                Fail(() => ResolutionMessages.ChosenVersionRejected(target, chosen, _requirements[name], requirement));
                return [name, requirement.OwnerName!];
            }
        }
        else if (_skipped.Contains(name) && requirement.Kind == DependencyKind.Hard)
        {
            Fail(() => ResolutionMessages.NotFound(name, _requirements[name]));
            return [requirement.OwnerName!];
        }

        return null;
    }

    // A soft dependency that no catalogue version provides is simply not installed, as long as nothing needs it hard.
    private HashSet<string>? SkipAbsent(string name, List<RequirementSource> requirements)
    {
        if (requirements.Exists(r => r.IsDeployment || r.Kind == DependencyKind.Hard))
        {
            Fail(() => ResolutionMessages.NotFound(name, requirements));
            return Owners(requirements);
        }

        _skipped.Add(name);
        var conflict = Solve();
        if (conflict is not null)
        {
            _skipped.Remove(name);
        }

        return conflict;
    }

    private void AddRequirement(RequirementSource requirement)
    {
        var name = requirement.ComponentName;
        if (!_requirements.TryGetValue(name, out var list))
        {
            list = [];
            _requirements.Add(name, list);
            _pending.Add((catalog.RankOf(name), name));
        }

        list.Add(requirement);
    }

    private void RemoveLastRequirement(string componentName)
    {
        var list = _requirements[componentName];
        list.RemoveAt(list.Count - 1);
        if (list.Count == 0)
        {
            _requirements.Remove(componentName);
            _pending.Remove((catalog.RankOf(componentName), componentName));
        }
    }

    // Drops every requirement the conflict does not need, so that backjumping skips the decisions behind them.
    private static List<RequirementSource> MinimalConflict(CatalogComponent component, List<RequirementSource> requirements,
        Func<RequirementSource, VersionSet> matches)
    {
        var kept = new List<RequirementSource>(requirements);
        for (var i = kept.Count - 1; i >= 0; i--)
        {
            var rest = VersionSet.Full(component.Versions.Length);
            for (var j = 0; j < kept.Count; j++)
            {
                if (j != i)
                {
                    rest.IntersectWith(matches(kept[j]));
                }
            }

            if (rest.IsEmpty)
            {
                kept.RemoveAt(i);
            }
        }

        return kept;
    }

    // Each requirement object is evaluated against its component once per search, without the catalogue memo's lock.
    private VersionSet Matches(CatalogComponent component, RequirementSource requirement)
    {
        if (!_matches.TryGetValue(requirement, out var set))
        {
            set = component.Matching(requirement.Requirement);
            _matches.Add(requirement, set);
        }

        return set;
    }

    private static HashSet<string> Owners(List<RequirementSource> requirements)
    {
        var owners = new HashSet<string>(StringComparer.Ordinal);
        foreach (var requirement in requirements)
        {
            if (requirement.OwnerName is { } owner)
            {
                owners.Add(owner);
            }
        }

        return owners;
    }

    // Only the first dead end is reported; later ones are not worth formatting.
    private void Fail(Func<ResolutionError> error) => _firstFailure ??= error();

    /// <summary>Rank first (uncatalogued components rank -1 and are settled first), then name, ordinally.</summary>
    private sealed class PendingOrder : IComparer<(int Rank, string Name)>
    {
        public static readonly PendingOrder Instance = new();

        public int Compare((int Rank, string Name) x, (int Rank, string Name) y)
        {
            var byRank = x.Rank.CompareTo(y.Rank);
            return byRank != 0 ? byRank : string.CompareOrdinal(x.Name, y.Name);
        }
    }
}
