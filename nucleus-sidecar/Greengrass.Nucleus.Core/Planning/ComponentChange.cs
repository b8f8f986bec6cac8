using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Greengrass.Nucleus.Contracts;

namespace Greengrass.Nucleus.Core.Planning;

/// <summary>How a component changes between two plans, strongest reaction first.</summary>
internal enum ComponentChangeKind
{
    None,
    ResourceLimits,
    Reconfigure,
    Restart,
    Reinstall,
}

/// <summary>The reaction a change needs and why.</summary>
internal sealed partial record ComponentChange(ComponentChangeKind Kind, string Reason, bool LimitsChanged)
{
    /// <summary>
    /// Classifies a change per GREENGRASS.md §2.4: version, type, recipe, artifacts, Install or runWith user
    /// ⇒ reinstall; any other step except Shutdown, Setenv or dependencies ⇒ restart; configuration or Shutdown
    /// only ⇒ reconfigure in place; systemResourceLimits only ⇒ limits applied live.
    /// </summary>
    public static ComponentChange Between(PlannedComponent current, PlannedComponent desired)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(desired);
        var limitsChanged = current.RunWith?.SystemResourceLimits != desired.RunWith?.SystemResourceLimits;
        if (ReinstallReason(current, desired) is { } reinstall)
        {
            return new ComponentChange(ComponentChangeKind.Reinstall, reinstall, limitsChanged);
        }

        if (InterpolatedStepChanged(current, desired, current.Lifecycle.Install, desired.Lifecycle.Install))
        {
            // Lifecycle steps are stored interpolated (§3.2): a configuration value an Install step uses changes that step.
            return new ComponentChange(ComponentChangeKind.Reinstall, "configuration used by the install step changed", limitsChanged);
        }

        if (RestartReason(current.Lifecycle, desired.Lifecycle) is { } restart)
        {
            return new ComponentChange(ComponentChangeKind.Restart, restart, limitsChanged);
        }

        if (InterpolatedStepChanged(current, desired, current.Lifecycle.Startup, desired.Lifecycle.Startup)
            || InterpolatedStepChanged(current, desired, current.Lifecycle.Run, desired.Lifecycle.Run)
            || InterpolatedStepChanged(current, desired, current.Lifecycle.Recover, desired.Lifecycle.Recover))
        {
            return new ComponentChange(ComponentChangeKind.Restart, "configuration used by a lifecycle step changed", limitsChanged);
        }

        if (!SameDependencies(current.Dependencies, desired.Dependencies))
        {
            // §2.6 rule 3: a new dependency, or a changed dependency type, restarts the component.
            return new ComponentChange(ComponentChangeKind.Restart, "dependencies changed", limitsChanged);
        }

        if (!JsonNode.DeepEquals(current.Configuration, desired.Configuration))
        {
            return new ComponentChange(ComponentChangeKind.Reconfigure, "configuration changed", limitsChanged);
        }

        if (current.Lifecycle.Shutdown != desired.Lifecycle.Shutdown || current.Lifecycle.Bootstrap != desired.Lifecycle.Bootstrap)
        {
            // A new Shutdown is used at the next stop; Bootstrap only runs in the nucleus-restart path.
            return new ComponentChange(ComponentChangeKind.Reconfigure, "shutdown or bootstrap step changed", limitsChanged);
        }

        return limitsChanged
            ? new ComponentChange(ComponentChangeKind.ResourceLimits, "resource limits changed", true)
            : new ComponentChange(ComponentChangeKind.None, "unchanged", false);
    }

    private static string? ReinstallReason(PlannedComponent current, PlannedComponent desired)
    {
        if (current.Version != desired.Version)
        {
            return $"version {current.Version} -> {desired.Version}";
        }

        if (current.ComponentType != desired.ComponentType)
        {
            return "component type changed";
        }

        if (current.RecipeDigest != desired.RecipeDigest)
        {
            return "recipe changed";
        }

        if (!current.Artifacts.SequenceEqual(desired.Artifacts))
        {
            return "artifacts changed";
        }

        if (current.Lifecycle.Install != desired.Lifecycle.Install)
        {
            return "install step changed";
        }

        return current.RunWith?.PosixUser != desired.RunWith?.PosixUser ? "runWith user changed" : null;
    }

    private static string? RestartReason(LifecycleDefinition current, LifecycleDefinition desired)
    {
        if (current.Startup != desired.Startup || current.Run != desired.Run || current.Recover != desired.Recover)
        {
            return "lifecycle changed";
        }

        if (current.ErrorResetTimeSeconds != desired.ErrorResetTimeSeconds)
        {
            return "lifecycle changed";
        }

        // Steps other than Install, Shutdown and Bootstrap and the reset time are equal here (Install was checked for
        // reinstall), so a remaining difference outside Shutdown/Bootstrap is the lifecycle Setenv.
        var ignoringStoppingSteps = desired with { Install = current.Install, Shutdown = current.Shutdown, Bootstrap = current.Bootstrap };
        return current == ignoringStoppingSteps ? null : "setenv changed";
    }

    /// <summary>True when a same-component <c>{configuration:/pointer}</c> the step uses resolves differently in the two plans.</summary>
    private static bool InterpolatedStepChanged(PlannedComponent current, PlannedComponent desired, LifecycleStep? before, LifecycleStep? after)
    {
        if (before is null || after is null || before.Script != after.Script)
        {
            return false;
        }

        return ConfigurationReference().Matches(after.Script).Any(m =>
            !JsonNode.DeepEquals(Resolve(current.Configuration, m.Groups[1].Value), Resolve(desired.Configuration, m.Groups[1].Value)));
    }

    private static JsonNode? Resolve(JsonNode? node, string pointer)
    {
        foreach (var token in pointer.Split('/').Skip(1).Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)))
        {
            node = node switch
            {
                JsonObject o => o[token],
                JsonArray a when int.TryParse(token, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
                _ => null,
            };
        }

        return node;
    }

    [GeneratedRegex(@"\{configuration:([^:}]*)\}")]
    private static partial Regex ConfigurationReference();

    private static bool SameDependencies(IReadOnlyList<PlannedDependency> a, IReadOnlyList<PlannedDependency> b) =>
        a.OrderBy(d => d.Name, StringComparer.Ordinal).SequenceEqual(b.OrderBy(d => d.Name, StringComparer.Ordinal));
}
