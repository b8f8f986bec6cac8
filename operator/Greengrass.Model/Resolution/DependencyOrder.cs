namespace Greengrass.Model.Resolution;

/// <summary>Depth-first topological order (dependencies first, ties broken by name) that reports the first cycle it meets.</summary>
internal static class DependencyOrder
{
    public static List<string>? Sort(Dictionary<string, CatalogVersion> chosen, Dictionary<string, DependencyRequirement[]> edges,
        out ResolutionError? cycle)
    {
        var order = new List<string>(chosen.Count);
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false = on the current path, true = done
        var path = new List<string>();
        foreach (var name in chosen.Keys.Order(StringComparer.Ordinal))
        {
            cycle = Visit(name, chosen, edges, state, path, order);
            if (cycle is not null)
            {
                return null;
            }
        }

        cycle = null;
        return order;
    }

    private static ResolutionError? Visit(string name, Dictionary<string, CatalogVersion> chosen,
        Dictionary<string, DependencyRequirement[]> edges, Dictionary<string, bool> state, List<string> path, List<string> order)
    {
        if (state.TryGetValue(name, out var done))
        {
            return done ? null : CycleFrom(name, chosen, path);
        }

        state[name] = false;
        path.Add(name);
        foreach (var dependency in edges[name].OrderBy(d => d.ComponentName, StringComparer.Ordinal))
        {
            var cycle = Visit(dependency.ComponentName, chosen, edges, state, path, order);
            if (cycle is not null)
            {
                return cycle;
            }
        }

        path.RemoveAt(path.Count - 1);
        state[name] = true;
        order.Add(name);
        return null;
    }

    private static ResolutionError CycleFrom(string name, Dictionary<string, CatalogVersion> chosen, List<string> path)
    {
        var members = path.Skip(path.IndexOf(name)).ToList();
        var labels = members.Select(m => $"{m}@{chosen[m].Version}").ToList();
        var edges = new List<RequirementSource>();
        for (var i = 0; i < members.Count; i++)
        {
            var from = members[i];
            var to = members[(i + 1) % members.Count];
            var dependency = chosen[from].Dependencies.First(d => string.Equals(d.ComponentName, to, StringComparison.Ordinal));
            edges.Add(new RequirementSource(to, dependency.Requirement, labels[i], IsDeployment: false, dependency.Kind));
        }

        return ResolutionMessages.Cycle(labels, edges);
    }
}
