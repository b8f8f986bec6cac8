using Greengrass.Nucleus.Contracts;

namespace Greengrass.Nucleus.Core.Planning;

/// <summary>Whether applying a plan needs the nucleus-restart (bootstrap) path, per GREENGRASS.md §5.1.</summary>
internal static class NucleusRestart
{
    /// <summary>Every reason the plan needs a nucleus restart; empty when it can be applied live.</summary>
    public static IReadOnlyList<string> Reasons(DevicePlan desired, CurrentState current)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(current);
        var reasons = new List<string>();
        if (desired.RequiresNucleusRestart)
        {
            reasons.Add("the plan asks for a nucleus restart");
        }

        foreach (var component in desired.Components)
        {
            current.Components.TryGetValue(component.Name, out var existing);
            if (ReasonFor(component, existing?.Applied) is { } reason)
            {
                reasons.Add(reason);
            }
        }

        var desiredNames = desired.Components.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        reasons.AddRange(current.Components.Values
            .Where(c => c.Applied.ComponentType == ComponentType.Plugin && !desiredNames.Contains(c.Applied.Name))
            .Select(c => $"plugin {c.Applied.Name} is removed"));
        return reasons;
    }

    public static bool IsRequired(DevicePlan desired, CurrentState current) => Reasons(desired, current).Count > 0;

    /// <summary>Components whose Bootstrap step must run during this deployment, in plan order.</summary>
    public static IReadOnlyList<PlannedComponent> BootstrapTargets(DevicePlan desired, CurrentState current)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(current);
        return desired.Components
            .Where(c => NeedsBootstrap(c, current.Components.TryGetValue(c.Name, out var e) ? e.Applied : null))
            .ToList();
    }

    private static string? ReasonFor(PlannedComponent component, PlannedComponent? existing)
    {
        var versionChanged = existing is not null && existing.Version != component.Version;
        switch (component.ComponentType)
        {
            case ComponentType.Plugin when existing is null:
                return $"plugin {component.Name} is new";
            case ComponentType.Plugin when versionChanged:
                return $"plugin {component.Name} changes version";
            case ComponentType.Nucleus when versionChanged:
                return $"nucleus {existing!.Version} -> {component.Version}";
        }

        return NeedsBootstrap(component, existing) ? $"{component.Name} needs its Bootstrap step" : null;
    }

    private static bool NeedsBootstrap(PlannedComponent component, PlannedComponent? existing)
    {
        if (component.Lifecycle.Bootstrap is not { } bootstrap)
        {
            return false;
        }

        return existing is null || existing.Version != component.Version || existing.Lifecycle.Bootstrap != bootstrap;
    }
}
