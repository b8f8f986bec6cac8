namespace Greengrass.Model.Resolution;

/// <summary>Turns the search's choices into the result: dependency order, installed dependencies, owning deployments.</summary>
internal static class ResolutionOutput
{
    public static ResolutionResult Build(ComponentCatalog catalog, Dictionary<string, int> selected,
        Dictionary<string, List<RequirementSource>> requirements)
    {
        var chosen = new Dictionary<string, CatalogVersion>(StringComparer.Ordinal);
        foreach (var (name, index) in selected)
        {
            chosen[name] = catalog.Find(name)!.Versions[index];
        }

        var edges = chosen.ToDictionary(
            c => c.Key,
            c => c.Value.Dependencies.Where(d => chosen.ContainsKey(d.ComponentName)).ToArray(),
            StringComparer.Ordinal);

        var order = DependencyOrder.Sort(chosen, edges, out var cycle);
        if (order is null)
        {
            return ResolutionResult.Failure(cycle!);
        }

        var sources = OwningDeployments(requirements, selected.Keys, edges);
        var components = order
            .Select(name => new ResolvedComponent(
                name,
                chosen[name].Version,
                requirements[name].Exists(r => r.IsDeployment),
                edges[name],
                sources[name]))
            .ToList();
        return ResolutionResult.Success(components);
    }

    private static Dictionary<string, IReadOnlyList<string>> OwningDeployments(Dictionary<string, List<RequirementSource>> requirements,
        IEnumerable<string> names, Dictionary<string, DependencyRequirement[]> edges)
    {
        var owners = names.ToDictionary(n => n, _ => new SortedSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var root in requirements.Values.SelectMany(r => r).Where(r => r.IsDeployment))
        {
            var pending = new Stack<string>([root.ComponentName]);
            while (pending.Count > 0)
            {
                var name = pending.Pop();
                if (owners[name].Add(root.Owner))
                {
                    foreach (var dependency in edges[name])
                    {
                        pending.Push(dependency.ComponentName);
                    }
                }
            }
        }

        return owners.ToDictionary(o => o.Key, o => (IReadOnlyList<string>)[.. o.Value], StringComparer.Ordinal);
    }
}
