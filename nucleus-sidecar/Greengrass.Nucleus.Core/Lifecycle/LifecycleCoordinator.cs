using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Core.Dependencies;

namespace Greengrass.Nucleus.Core.Lifecycle;

/// <summary>
/// All components of a device and the coupling between them (GREENGRASS.md §2.6): after every event it recomputes
/// the HARD-dependency readiness of the dependents of each component that changed state, and feeds the changes to
/// them, so that a dependent starts when its dependencies become ready and restarts when one stops being ready.
/// </summary>
/// <remarks>Pure and single-threaded, like <see cref="ComponentLifecycle"/>: the host serialises all calls.</remarks>
internal sealed class LifecycleCoordinator
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    // name → components that list it as a dependency (sorted), so propagation does not scan every component.
    private readonly Dictionary<string, SortedSet<string>> _dependents = new(StringComparer.Ordinal);
    private readonly RestartPolicy _policy;

    public LifecycleCoordinator(RestartPolicy? policy = null) => _policy = policy ?? RestartPolicy.Default;

    public IReadOnlyCollection<string> Components => _entries.Keys;

    public ComponentLifecycle this[string name] => _entries[name].Lifecycle;

    public bool Contains(string name) => _entries.ContainsKey(name);

    /// <summary>
    /// Adds a component in state NEW, or updates the steps and dependencies of a known one. A known component whose
    /// new dependencies are not ready while it runs is restarted (§2.6 rule 3); nothing else is started here.
    /// </summary>
    public CoordinatorResult Upsert(string name, LifecycleSpec spec, IReadOnlyList<PlannedDependency> dependencies, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(dependencies);
        var result = new CoordinatorResult();
        if (_entries.TryGetValue(name, out var entry))
        {
            entry.Lifecycle.UpdateSpec(spec);
            Unindex(name, entry.Dependencies);
            entry.Dependencies = dependencies;
            Index(name, dependencies);
            var ready = AllReady(dependencies);
            if (ready != entry.Lifecycle.DependenciesReady)
            {
                Apply(entry, new DependenciesChanged(ready), result, now);
            }

            return result;
        }

        var lifecycle = new ComponentLifecycle(name, spec, now, _policy);
        lifecycle.InitialiseDependencies(AllReady(dependencies));
        _entries[name] = new Entry(lifecycle, dependencies);
        Index(name, dependencies);
        return result;
    }

    /// <summary>Adds or updates a planned component.</summary>
    public CoordinatorResult Upsert(PlannedComponent component, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(component);
        return Upsert(component.Name, LifecycleSpec.From(component.Lifecycle), component.Dependencies, now);
    }

    /// <summary>Forgets a component (after it was stopped and removed) and re-evaluates what depended on it.</summary>
    public CoordinatorResult Remove(string name, DateTimeOffset now)
    {
        var result = new CoordinatorResult();
        if (_entries.Remove(name, out var removed))
        {
            Unindex(name, removed.Dependencies);
            // Gone counts as not ready: HARD dependents that still name it restart and wait.
            Propagate(name, [false], result, now);
        }

        return result;
    }

    /// <summary>
    /// Handles an event of one component and everything it causes in the others. Commands are tagged with the
    /// component they are for; carry them out in order.
    /// </summary>
    public CoordinatorResult Handle(string component, LifecycleEvent lifecycleEvent, DateTimeOffset now)
    {
        var result = new CoordinatorResult();
        if (!_entries.TryGetValue(component, out var entry))
        {
            result.AddIgnored(component, $"unknown component {component}");
            return result;
        }

        Apply(entry, lifecycleEvent, result, now);
        return result;
    }

    /// <summary>Whether every HARD dependency of <paramref name="name"/> is ready now.</summary>
    public bool DependenciesReady(string name) => AllReady(_entries[name].Dependencies);

    private void Apply(Entry entry, LifecycleEvent lifecycleEvent, CoordinatorResult result, DateTimeOffset now)
    {
        var outcome = entry.Lifecycle.Handle(lifecycleEvent, now);
        result.Add(entry.Lifecycle.Name, outcome);
        if (outcome.Transitions.Count > 0)
        {
            Propagate(entry.Lifecycle.Name, [.. outcome.Transitions.Select(t => t.ReadyAsHardDependency)], result, now);
        }
    }

    /// <summary>
    /// Re-evaluates the dependents of <paramref name="changed"/> once per state it went through, like the Java
    /// nucleus's global state listener: passing through ERRORED restarts HARD dependents even when the component
    /// is RUNNING again by the end of the event.
    /// </summary>
    private void Propagate(string changed, IReadOnlyList<bool> readinessSteps, CoordinatorResult result, DateTimeOffset now)
    {
        if (!_dependents.TryGetValue(changed, out var names) || names.Count == 0)
        {
            return;
        }

        var dependents = names.Select(n => _entries[n]).ToList();
        foreach (var changedReady in readinessSteps)
        {
            foreach (var dependent in dependents)
            {
                var ready = AllReady(dependent.Dependencies, changed, changedReady);
                if (ready != dependent.Lifecycle.DependenciesReady)
                {
                    Apply(dependent, new DependenciesChanged(ready), result, now);
                }
            }
        }
    }

    private void Index(string name, IReadOnlyList<PlannedDependency> dependencies)
    {
        foreach (var dependency in dependencies)
        {
            if (!_dependents.TryGetValue(dependency.Name, out var set))
            {
                set = new SortedSet<string>(StringComparer.Ordinal);
                _dependents[dependency.Name] = set;
            }

            set.Add(name);
        }
    }

    private void Unindex(string name, IReadOnlyList<PlannedDependency> dependencies)
    {
        foreach (var dependency in dependencies)
        {
            if (_dependents.TryGetValue(dependency.Name, out var set))
            {
                set.Remove(name);
            }
        }
    }

    private bool AllReady(IReadOnlyList<PlannedDependency> dependencies, string? overridden = null, bool overriddenReady = false) =>
        dependencies.All(d =>
        {
            if (d.Name == overridden)
            {
                return d.Type == DependencyType.Soft || overriddenReady;
            }

            var known = _entries.TryGetValue(d.Name, out var target);
            return DependencyReadiness.IsReady(
                d.Type,
                known ? target!.Lifecycle.State : null,
                known && target!.Lifecycle.StoppingAfterStartupError);
        });

    private sealed class Entry(ComponentLifecycle lifecycle, IReadOnlyList<PlannedDependency> dependencies)
    {
        public ComponentLifecycle Lifecycle { get; } = lifecycle;

        public IReadOnlyList<PlannedDependency> Dependencies { get; set; } = dependencies;
    }
}

/// <summary>Everything one coordinator call caused, across components, in order.</summary>
internal sealed class CoordinatorResult
{
    private readonly List<StateTransition> _transitions = [];
    private readonly List<(string Component, LifecycleCommand Command)> _commands = [];
    private readonly List<(string Component, string Reason)> _ignored = [];

    public IReadOnlyList<StateTransition> Transitions => _transitions;

    public IReadOnlyList<(string Component, LifecycleCommand Command)> Commands => _commands;

    public IReadOnlyList<(string Component, string Reason)> Ignored => _ignored;

    internal void Add(string component, LifecycleResult result)
    {
        _transitions.AddRange(result.Transitions);
        _commands.AddRange(result.Commands.Select(c => (component, c)));
        if (result.Ignored is { } reason)
        {
            _ignored.Add((component, reason));
        }
    }

    internal void AddIgnored(string component, string reason) => _ignored.Add((component, reason));
}
