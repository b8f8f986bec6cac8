using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Core.Dependencies;

namespace Greengrass.Nucleus.Core.Planning;

/// <summary>
/// Compares a desired plan with what the device runs and returns the steps to get there, ordered by dependencies:
/// first Stop and Remove of leaving components (dependents first), then Install and Reinstall, then Start, Restart,
/// Reconfigure and UpdateResourceLimits (dependencies first).
/// </summary>
internal static class DeploymentPlanner
{
    /// <exception cref="DependencyCycleException">The desired components depend on each other in a circle.</exception>
    public static IReadOnlyList<PlanStep> Plan(DevicePlan desired, CurrentState current)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(current);
        var desiredByName = desired.Components.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var desiredOrder = DependencyGraph.From(desired.Components).StartOrder();
        var steps = new List<PlanStep>();
        AddRemovals(desiredByName, current, steps);

        var changes = new Dictionary<string, ComponentChange>(StringComparer.Ordinal);
        foreach (var name in desiredOrder)
        {
            var target = desiredByName[name];
            if (!current.Components.TryGetValue(name, out var existing))
            {
                steps.Add(new PlanStep(PlanStepKind.Install, name, target, "new component"));
                continue;
            }

            var change = ComponentChange.Between(existing.Applied, target);
            if (existing.State == ComponentState.Broken && change.Kind != ComponentChangeKind.Reinstall)
            {
                // A deployment heals BROKEN components by reinstalling them (§4.6).
                change = change with { Kind = ComponentChangeKind.Reinstall, Reason = "BROKEN components are reinstalled" };
            }

            changes[name] = change;
            if (change.Kind == ComponentChangeKind.Reinstall)
            {
                steps.Add(new PlanStep(PlanStepKind.Reinstall, name, target, change.Reason));
            }
        }

        foreach (var name in desiredOrder)
        {
            AddStartPhaseStep(name, desiredByName[name], changes, steps);
        }

        return steps;
    }

    /// <summary>
    /// Components the deployment waits for: new ones and changed ones (reinstalled, restarted, reconfigured), which
    /// must reach RUNNING or FINISHED for the deployment to succeed.
    /// </summary>
    public static IReadOnlyList<string> ComponentsToAwait(IReadOnlyList<PlanStep> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        return steps
            .Where(s => s.Kind is PlanStepKind.Install or PlanStepKind.Reinstall or PlanStepKind.Restart or PlanStepKind.Reconfigure)
            .Select(s => s.Component)
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Generic components whose version stays and whose configuration changes: the ones asked to validate the new
    /// configuration before it is applied (§4.6 step 2).
    /// </summary>
    public static IReadOnlyList<string> ConfigurationValidationTargets(DevicePlan desired, CurrentState current)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(current);
        return desired.Components
            .Where(c => c.ComponentType == ComponentType.Generic &&
                current.Components.TryGetValue(c.Name, out var existing) &&
                existing.Applied.Version == c.Version &&
                !System.Text.Json.Nodes.JsonNode.DeepEquals(existing.Applied.Configuration, c.Configuration))
            .Select(c => c.Name)
            .ToList();
    }

    private static void AddRemovals(Dictionary<string, PlannedComponent> desired, CurrentState current, List<PlanStep> steps)
    {
        var currentGraph = DependencyGraph.From(current.Components.Values.Select(c => c.Applied));
        // The applied set was acyclic when it was applied; if it somehow is not, fall back to name order.
        var order = currentGraph.Cycle is null
            ? currentGraph.StopOrder()
            : current.Components.Keys.Order(StringComparer.Ordinal).ToList();
        foreach (var name in order.Where(n => !desired.ContainsKey(n)))
        {
            steps.Add(new PlanStep(PlanStepKind.Stop, name, null, "not in the plan"));
            steps.Add(new PlanStep(PlanStepKind.Remove, name, null, "not in the plan"));
        }
    }

    private static void AddStartPhaseStep(
        string name, PlannedComponent target, Dictionary<string, ComponentChange> changes, List<PlanStep> steps)
    {
        if (!changes.TryGetValue(name, out var change))
        {
            steps.Add(new PlanStep(PlanStepKind.Start, name, target, "new component"));
            return;
        }

        var kind = change.Kind switch
        {
            ComponentChangeKind.Restart => PlanStepKind.Restart,
            ComponentChangeKind.Reconfigure => PlanStepKind.Reconfigure,
            ComponentChangeKind.ResourceLimits => PlanStepKind.UpdateResourceLimits,
            _ => (PlanStepKind?)null,
        };
        if (kind is { } k)
        {
            steps.Add(new PlanStep(k, name, target, change.Reason));
        }

        // Limits are re-applied live; a restart or reinstall applies them anyway.
        if (change.LimitsChanged && change.Kind == ComponentChangeKind.Reconfigure)
        {
            steps.Add(new PlanStep(PlanStepKind.UpdateResourceLimits, name, target, "resource limits changed"));
        }
    }
}
