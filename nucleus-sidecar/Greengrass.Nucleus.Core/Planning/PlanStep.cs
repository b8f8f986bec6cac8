using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Core.Lifecycle;

namespace Greengrass.Nucleus.Core.Planning;

/// <summary>What the host does for one component while applying a plan.</summary>
internal enum PlanStepKind
{
    /// <summary>Stop a component that leaves the device (desired request Stop).</summary>
    Stop,

    /// <summary>Forget a stopped component: delete its work data and drop it from the coordinator.</summary>
    Remove,

    /// <summary>Add a new component and install it (desired request Install).</summary>
    Install,

    /// <summary>Apply the new definition and install again from NEW, then run (desired request Reinstall).</summary>
    Reinstall,

    /// <summary>Start a component installed by this plan (desired request Start).</summary>
    Start,

    /// <summary>Apply the new definition and restart (desired request Restart).</summary>
    Restart,

    /// <summary>Apply the new configuration (and definition) in place; no process restarts (§2.4).</summary>
    Reconfigure,

    /// <summary>Re-apply CPU and memory limits live; no restart.</summary>
    UpdateResourceLimits,
}

/// <summary>One step of applying a plan. <paramref name="Target"/> is the desired definition (null for Stop and Remove).</summary>
internal sealed record PlanStep(PlanStepKind Kind, string Component, PlannedComponent? Target, string Reason);

/// <summary>How a host carries out a plan step on the lifecycle coordinator.</summary>
internal static class PlanStepActions
{
    /// <summary>
    /// The desired-state request a step sends after the host updated the component's definition
    /// (<c>LifecycleCoordinator.Upsert</c>); null for steps that send none (Remove, Reconfigure, UpdateResourceLimits).
    /// </summary>
    public static DesiredRequest? RequestFor(PlanStepKind kind) => kind switch
    {
        PlanStepKind.Stop => DesiredRequest.Stop,
        PlanStepKind.Install => DesiredRequest.Install,
        PlanStepKind.Reinstall => DesiredRequest.Reinstall,
        PlanStepKind.Start => DesiredRequest.Start,
        PlanStepKind.Restart => DesiredRequest.Restart,
        _ => null,
    };
}
