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

        var sources = OwningDeployments(requirements, order, edges);
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

    // Walks the start order backwards (dependents before their dependencies), handing each component's deployments down.
    private static Dictionary<string, IReadOnlyList<string>> OwningDeployments(Dictionary<string, List<RequirementSource>> requirements,
        List<string> order, Dictionary<string, DependencyRequirement[]> edges)
    {
        var owners = order.ToDictionary(n => n, _ => new SortedSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        for (var i = order.Count - 1; i >= 0; i--)
        {
            var name = order[i];
            foreach (var requirement in requirements[name])
            {
                if (requirement.IsDeployment)
                {
                    owners[name].Add(requirement.Owner);
                }
            }

            foreach (var dependency in edges[name])
            {
                owners[dependency.ComponentName].UnionWith(owners[name]);
            }
        }

        return owners.ToDictionary(o => o.Key, o => (IReadOnlyList<string>)[.. o.Value], StringComparer.Ordinal);
    }
}
