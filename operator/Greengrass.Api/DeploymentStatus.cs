using k8s.Models;

namespace Greengrass.Api;

/// <summary>Rollout progress of a deployment.</summary>
public sealed class DeploymentStatus
{
    /// <summary>The metadata.generation this status describes.</summary>
    public long? ObservedGeneration { get; set; }

    /// <summary>Revision of the component set devices are asked to apply; grows by one whenever the effective set changes.</summary>
    public long? Revision { get; set; }

    /// <summary>The target in one line, for kubectl get: the CoreDevice name or the label selector.</summary>
    public string? Target { get; set; }

    /// <summary>Where the rollout of the current revision is.</summary>
    [CrdEnum(typeof(DeploymentPhases))]
    public string? Phase { get; set; }

    /// <summary>How many targeted devices are at each stage.</summary>
    public DeploymentDeviceCounts? Devices { get; set; }

    /// <summary>The rollout of the current revision across the targeted devices, and the revisions devices still run.</summary>
    public DeploymentRolloutStatus? Rollout { get; set; }

    /// <summary>Ready, Progressing, Stalled and Reconciling.</summary>
    [CrdListMap("type")]
    public IList<V1Condition>? Conditions { get; set; }

    /// <summary>Conflicts with other Deployments on shared devices, such as two different pinned versions of one component.</summary>
    public IList<string>? Conflicts { get; set; }
}

/// <summary>Targeted devices by rollout stage, for the current revision.</summary>
public sealed class DeploymentDeviceCounts
{
    /// <summary>Devices the target selects.</summary>
    public int? Targeted { get; set; }

    /// <summary>Devices that applied the revision.</summary>
    public int? Succeeded { get; set; }

    /// <summary>Devices that failed, rejected or timed out.</summary>
    public int? Failed { get; set; }

    /// <summary>Devices applying the revision now.</summary>
    public int? InProgress { get; set; }

    /// <summary>Devices waiting for their turn in the rollout.</summary>
    public int? Pending { get; set; }
}
