using Greengrass.Nucleus.Contracts;

namespace Greengrass.Nucleus.Core.Dependencies;

/// <summary>
/// The dependency graph of a component set: start order (dependencies first), stop order (dependents first),
/// dependents of a component, and cycle detection. Dependencies on names outside the set are kept as edges for
/// readiness but ignored for ordering.
/// </summary>
internal sealed class DependencyGraph
{
    private readonly Dictionary<string, IReadOnlyList<PlannedDependency>> _dependencies;
    private readonly Dictionary<string, List<string>> _dependents;

    private DependencyGraph(Dictionary<string, IReadOnlyList<PlannedDependency>> dependencies)
    {
        _dependencies = dependencies;
        _dependents = dependencies.Keys.ToDictionary(name => name, _ => new List<string>(), StringComparer.Ordinal);
        foreach (var (name, edges) in dependencies)
        {
            foreach (var edge in edges.Where(e => _dependents.ContainsKey(e.Name)))
            {
                _dependents[edge.Name].Add(name);
            }
        }

        foreach (var list in _dependents.Values)
        {
            list.Sort(StringComparer.Ordinal);
        }

        Cycle = FindCycle();
    }

    public IReadOnlyCollection<string> Components => _dependencies.Keys;

    /// <summary>A dependency cycle as a path that starts and ends with the same component; null when there is none.</summary>
    public IReadOnlyList<string>? Cycle { get; }

    public static DependencyGraph From(IEnumerable<PlannedComponent> components)
    {
        ArgumentNullException.ThrowIfNull(components);
        return From(components.Select(c => (c.Name, c.Dependencies)));
    }

    public static DependencyGraph From(IEnumerable<(string Name, IReadOnlyList<PlannedDependency> Dependencies)> components)
    {
        ArgumentNullException.ThrowIfNull(components);
        var map = new Dictionary<string, IReadOnlyList<PlannedDependency>>(StringComparer.Ordinal);
        foreach (var (name, dependencies) in components)
        {
            map[name] = dependencies;
        }

        return new DependencyGraph(map);
    }

    public bool Contains(string name) => _dependencies.ContainsKey(name);

    public IReadOnlyList<PlannedDependency> DependenciesOf(string name) =>
        _dependencies.TryGetValue(name, out var edges) ? edges : [];

    /// <summary>Components that depend directly on <paramref name="name"/>, HARD or SOFT.</summary>
    public IReadOnlyList<string> DependentsOf(string name) =>
        _dependents.TryGetValue(name, out var list) ? list : [];

    /// <summary>Components that depend on <paramref name="name"/> through HARD edges only, transitively.</summary>
    public IReadOnlySet<string> HardDependentsOf(string name)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([name]);
        while (pending.TryPop(out var current))
        {
            foreach (var dependent in DependentsOf(current))
            {
                var hard = DependenciesOf(dependent).Any(d => d.Name == current && d.Type == DependencyType.Hard);
                if (hard && found.Add(dependent))
                {
                    pending.Push(dependent);
                }
            }
        }

        return found;
    }

    /// <summary>Every component after all of its dependencies (HARD and SOFT); ties broken by name so the order is stable.</summary>
    /// <exception cref="DependencyCycleException">The graph has a cycle.</exception>
    public IReadOnlyList<string> StartOrder()
    {
        if (Cycle is not null)
        {
            throw new DependencyCycleException(Cycle);
        }

        var remaining = _dependencies.ToDictionary(
            kv => kv.Key,
            kv => kv.Value.Count(d => _dependencies.ContainsKey(d.Name)),
            StringComparer.Ordinal);
        var ready = new SortedSet<string>(remaining.Where(kv => kv.Value == 0).Select(kv => kv.Key), StringComparer.Ordinal);
        var order = new List<string>(remaining.Count);
        while (ready.Count > 0)
        {
            var next = ready.Min!;
            ready.Remove(next);
            order.Add(next);
            foreach (var dependent in DependentsOf(next))
            {
                // A dependent may list the same dependency twice; count each edge.
                remaining[dependent] -= _dependencies[dependent].Count(d => d.Name == next);
                if (remaining[dependent] == 0)
                {
                    ready.Add(dependent);
                }
            }
        }

        return order;
    }

    /// <summary>The reverse of <see cref="StartOrder"/>: dependents stop before what they depend on.</summary>
    public IReadOnlyList<string> StopOrder()
    {
        var order = StartOrder().ToList();
        order.Reverse();
        return order;
    }

    private List<string>? FindCycle()
    {
        // Depth-first search with colours (1 = on the current path, 2 = done); meeting a node on the path closes a cycle.
        var colour = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var root in _dependencies.Keys.Order(StringComparer.Ordinal))
        {
            var path = new List<string>();
            if (Visit(root, colour, path) is { } cycle)
            {
                return cycle;
            }
        }

        return null;
    }

    private List<string>? Visit(string node, Dictionary<string, int> colour, List<string> path)
    {
        if (colour.GetValueOrDefault(node) == 2)
        {
            return null;
        }

        if (colour.GetValueOrDefault(node) == 1)
        {
            var start = path.IndexOf(node);
            return [.. path.Skip(start), node];
        }

        colour[node] = 1;
        path.Add(node);
        foreach (var edge in DependenciesOf(node).Where(e => _dependencies.ContainsKey(e.Name)))
        {
            if (Visit(edge.Name, colour, path) is { } cycle)
            {
                return cycle;
            }
        }

        path.RemoveAt(path.Count - 1);
        colour[node] = 2;
        return null;
    }
}

/// <summary>The components depend on each other in a circle, so no start order exists.</summary>
internal sealed class DependencyCycleException(IReadOnlyList<string> cycle)
    : InvalidOperationException($"Circular dependency: {string.Join(" -> ", cycle)}")
{
    public IReadOnlyList<string> Cycle { get; } = cycle;
}
