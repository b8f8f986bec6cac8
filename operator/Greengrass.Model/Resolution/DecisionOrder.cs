namespace Greengrass.Model.Resolution;

/// <summary>
/// A static order over catalogued components in which every component comes after everything that could depend on it
/// (the union of dependency edges over all versions, cycles collapsed). Deciding components in this order means that by
/// the time a component's version is chosen, every requirement on it is already known, so a choice is never undone just
/// because a later dependent disagrees.
/// </summary>
internal static class DecisionOrder
{
    public static Dictionary<string, int> Compute(IReadOnlyDictionary<string, CatalogComponent> components)
    {
        var names = components.Keys.Order(StringComparer.Ordinal).ToList();
        var edges = names.ToDictionary(
            n => n,
            n => components[n].Versions
                .SelectMany(v => v.Dependencies)
                .Select(d => d.ComponentName)
                .Where(components.ContainsKey)
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .ToArray(),
            StringComparer.Ordinal);

        // Tarjan emits each strongly connected component after all it can reach, that is, dependencies first.
        var tarjan = new Tarjan(edges);
        foreach (var name in names)
        {
            tarjan.Visit(name);
        }

        var ranks = new Dictionary<string, int>(StringComparer.Ordinal);
        var rank = 0;
        for (var i = tarjan.Components.Count - 1; i >= 0; i--)
        {
            foreach (var member in tarjan.Components[i].Order(StringComparer.Ordinal))
            {
                ranks[member] = rank++;
            }
        }

        return ranks;
    }

    private sealed class Tarjan(Dictionary<string, string[]> edges)
    {
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _low = new(StringComparer.Ordinal);
        private readonly HashSet<string> _onStack = new(StringComparer.Ordinal);
        private readonly Stack<string> _stack = new();

        public List<List<string>> Components { get; } = [];

        public void Visit(string name)
        {
            if (_index.ContainsKey(name))
            {
                return;
            }

            _index[name] = _low[name] = _index.Count;
            _stack.Push(name);
            _onStack.Add(name);
            foreach (var next in edges[name])
            {
                if (!_index.TryGetValue(next, out var nextIndex))
                {
                    Visit(next);
                    _low[name] = Math.Min(_low[name], _low[next]);
                }
                else if (_onStack.Contains(next))
                {
                    _low[name] = Math.Min(_low[name], nextIndex);
                }
            }

            if (_low[name] == _index[name])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = _stack.Pop();
                    _onStack.Remove(member);
                    component.Add(member);
                }
                while (!string.Equals(member, name, StringComparison.Ordinal));
                Components.Add(component);
            }
        }
    }
}
