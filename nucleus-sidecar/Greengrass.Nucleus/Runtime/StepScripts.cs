using System.Text.RegularExpressions;
using Greengrass.Model.Interpolation;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Core.Lifecycle;
using Greengrass.Nucleus.Supervision;

namespace Greengrass.Nucleus.Runtime;

/// <summary>
/// Turns a lifecycle step of the state machine into a process invocation: recipe variables interpolated against the
/// nucleus root (§3), environment layers (§2.3) and runWith (§2.7).
/// </summary>
internal static partial class StepScripts
{
    /// <summary>
    /// Builds the invocation, or returns the reason it cannot run. A variable left unresolved is refused here: running
    /// <c>{configuration:/port}</c> literally would fail later with an error that no longer names the cause.
    /// </summary>
    public static (StepInvocation? Invocation, string? Error) Build(
        LifecycleStepKind kind, LifecycleStep step, ComponentSlot slot, string root, string thingName,
        Func<string, PlannedComponent?> findComponent) =>
        Build(kind.ToString(), step, slot, root, thingName, findComponent);

    /// <summary>As the state-machine overload, for a step the deployment flow runs itself (Bootstrap).</summary>
    public static (StepInvocation? Invocation, string? Error) Build(
        string kind, LifecycleStep step, ComponentSlot slot, string root, string thingName,
        Func<string, PlannedComponent?> findComponent)
    {
        var component = slot.Component;
        var context = new InterpolationContext(root, thingName, ToInterpolation(root, component),
            component.Dependencies.Select(d => findComponent(d.Name)).OfType<PlannedComponent>().Select(c => ToInterpolation(root, c)));
        var script = RecipeInterpolator.Interpolate(step.Script, context);
        if (UnresolvedVariable().Match(script) is { Success: true } match)
        {
            return (null, $"The {kind} step uses the unknown recipe variable {match.Value}.");
        }

        var invocation = new StepInvocation
        {
            ComponentName = component.Name,
            StepName = kind,
            Script = script,
            // The state machine schedules step timeouts itself (StartTimer), so the runner gets none.
            Timeout = null,
            SkipIf = step.SkipIf is { } skipIf ? RecipeInterpolator.Interpolate(skipIf, context) : null,
            RequiresPrivilege = step.RequiresPrivilege,
            LifecycleSetenv = Interpolate(component.Lifecycle.Setenv, context),
            StepSetenv = Interpolate(step.Setenv, context),
            RunWith = component.RunWith is { } runWith
                ? new Supervision.RunWith(runWith.PosixUser, runWith.SystemResourceLimits is { } l ? new ResourceLimits(l.Cpus, l.Memory) : null)
                : null,
            ServiceToken = slot.Token,
            ComponentVersion = component.Version,
        };
        return (invocation, null);
    }

    private static InterpolationComponent ToInterpolation(string root, PlannedComponent component) =>
        InterpolationComponent.ForRoot(root, component.Name, component.Version, component.Configuration);

    private static Dictionary<string, string>? Interpolate(IReadOnlyDictionary<string, string>? map, InterpolationContext context) =>
        map?.ToDictionary(kv => kv.Key, kv => RecipeInterpolator.Interpolate(kv.Value, context), StringComparer.Ordinal);

    // Same-component or cross-component placeholders of the namespaces recipes use (§3.2).
    [GeneratedRegex(@"\{(?:[A-Za-z0-9._-]+:)?(?:configuration|artifacts|work|kernel|iot):[^{}\s]*\}")]
    private static partial Regex UnresolvedVariable();
}
