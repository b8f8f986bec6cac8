namespace Greengrass.Model.Resolution;

/// <summary>
/// Chronological backtracking over components in breadth-first discovery order (roots sorted by name, then each
/// chosen version's dependencies sorted by name), trying versions newest first. Requirements are kept per component
/// with their owners, so every failure can name who asked for what.
/// </summary>
internal sealed class ResolutionSearch(ComponentCatalog catalog)
{
    // Chronological backtracking is exponential in the worst case; a bounded search turns a pathological
    // catalogue into an error instead of a hung reconcile.
    internal const int MaxAttempts = 100_000;

    private readonly Dictionary<string, List<RequirementSource>> _requirements = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _selected = new(StringComparer.Ordinal);
    private readonly HashSet<string> _skipped = new(StringComparer.Ordinal);
    private readonly List<string> _agenda = [];
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

        if (!Solve(0))
        {
            var failure = _firstFailure ?? ResolutionMessages.Unexplained();
            return ResolutionResult.Failure(_gaveUp ? failure with { Message = ResolutionMessages.GaveUp(MaxAttempts, failure) } : failure);
        }

        return ResolutionOutput.Build(catalog, _selected, _requirements);
    }

    private bool Solve(int position)
    {
        while (position < _agenda.Count && (_selected.ContainsKey(_agenda[position]) || _skipped.Contains(_agenda[position])))
        {
            position++;
        }

        if (position == _agenda.Count)
        {
            return true;
        }

        var name = _agenda[position];
        var requirements = _requirements[name];
        var component = catalog.Find(name);
        if (component is null)
        {
            return SkipAbsent(name, requirements, position);
        }

        var candidates = VersionSet.Full(component.Versions.Length);
        foreach (var requirement in requirements)
        {
            candidates = candidates.Intersect(component.Matching(requirement.Requirement));
        }

        if (candidates.IsEmpty)
        {
            return Fail(ResolutionMessages.Unsatisfiable(component, requirements));
        }

        foreach (var index in candidates.Indices())
        {
            if (++_attempts > MaxAttempts)
            {
                _gaveUp = true;
                return false;
            }

            if (TryChoose(component, index, position) || _gaveUp)
            {
                return !_gaveUp;
            }
        }

        return false;
    }

    private bool TryChoose(CatalogComponent component, int index, int position)
    {
        _selected[component.Name] = index;
        var agendaCount = _agenda.Count;
        var added = new List<RequirementSource>();
        if (AddDependencies(component, index, added) && Solve(position + 1))
        {
            return true;
        }

        for (var i = added.Count - 1; i >= 0; i--)
        {
            RemoveLastRequirement(added[i].ComponentName);
        }

        _agenda.RemoveRange(agendaCount, _agenda.Count - agendaCount);
        _selected.Remove(component.Name);
        return false;
    }

    private bool AddDependencies(CatalogComponent component, int index, List<RequirementSource> added)
    {
        var version = component.Versions[index];
        var owner = $"{component.Name}@{version.Version}";
        foreach (var dependency in version.Dependencies.OrderBy(d => d.ComponentName, StringComparer.Ordinal))
        {
            var requirement = new RequirementSource(dependency.ComponentName, dependency.Requirement, owner, IsDeployment: false, dependency.Kind);
            AddRequirement(requirement);
            added.Add(requirement);
            if (_selected.TryGetValue(dependency.ComponentName, out var chosen))
            {
                var target = catalog.Find(dependency.ComponentName)!;
                if (!target.Matching(dependency.Requirement).Contains(chosen))
                {
                    return Fail(ResolutionMessages.ChosenVersionRejected(target, chosen, _requirements[target.Name], requirement));
                }
            }
            else if (_skipped.Contains(dependency.ComponentName) && dependency.Kind == DependencyKind.Hard)
            {
                return Fail(ResolutionMessages.NotFound(dependency.ComponentName, _requirements[dependency.ComponentName]));
            }
        }

        return true;
    }

    // A soft dependency that no catalogue version provides is simply not installed, as long as nothing needs it hard.
    private bool SkipAbsent(string name, List<RequirementSource> requirements, int position)
    {
        if (requirements.Exists(r => r.IsDeployment || r.Kind == DependencyKind.Hard))
        {
            return Fail(ResolutionMessages.NotFound(name, requirements));
        }

        _skipped.Add(name);
        if (Solve(position + 1))
        {
            return true;
        }

        _skipped.Remove(name);
        return false;
    }

    private void AddRequirement(RequirementSource requirement)
    {
        if (!_requirements.TryGetValue(requirement.ComponentName, out var list))
        {
            list = [];
            _requirements.Add(requirement.ComponentName, list);
            _agenda.Add(requirement.ComponentName);
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
        }
    }

    private bool Fail(ResolutionError error)
    {
        _firstFailure ??= error;
        return false;
    }
}
