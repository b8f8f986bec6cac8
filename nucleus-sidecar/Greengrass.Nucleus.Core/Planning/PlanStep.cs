using Greengrass.Nucleus.Contracts;

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
