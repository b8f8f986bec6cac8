namespace Greengrass.Api;

/// <summary>
/// The durable state of a Deployment's rollout across its devices: which revision each device is admitted to,
/// how the devices of the current revision fared, and the specs of the revisions devices still run. The
/// operator keeps it here, in the API, so a restart or a new leader continues where the last one stopped.
/// </summary>
public sealed class DeploymentRolloutStatus
{
    /// <summary>The revision (the Deployment's metadata.generation) being rolled out.</summary>
    public long? Revision { get; set; }

    /// <summary>InProgress while devices wait or apply, Completed when every targeted device finished, Aborted when an abort criterion was met.</summary>
    [CrdEnum(typeof(RolloutPhases))]
    public string? Phase { get; set; }

    /// <summary>When the rollout of this revision started.</summary>
    public DateTime? StartTime { get; set; }

    /// <summary>
    /// The newest revision admitted to every targeted device. Devices without an entry in <c>devices</c>
    /// (devices that joined the target later, or all devices before the first rollout with limits) run this revision.
    /// </summary>
    public long? StableRevision { get; set; }

    /// <summary>Devices admitted to the current revision so far.</summary>
    [CrdRange(Minimum = 0)]
    public int? Admitted { get; set; }

    /// <summary>Devices of the current revision that reported SUCCEEDED.</summary>
    [CrdRange(Minimum = 0)]
    public int? Succeeded { get; set; }

    /// <summary>Devices of the current revision that reported a FAILED status, or whose plan could not be computed.</summary>
    [CrdRange(Minimum = 0)]
    public int? Failed { get; set; }

    /// <summary>Devices of the current revision that reported REJECTED.</summary>
    [CrdRange(Minimum = 0)]
    public int? Rejected { get; set; }

    /// <summary>Devices of the current revision that did not finish within the per-device timeout.</summary>
    [CrdRange(Minimum = 0)]
    public int? TimedOut { get; set; }

    /// <summary>Why the rollout is aborted: the criterion met and the counts; empty otherwise.</summary>
    public string? Message { get; set; }

    /// <summary>Devices admitted to a revision other than the stable one, and every device admitted to the current revision.</summary>
    [CrdListMap("name")]
    public IList<RolloutDevice>? Devices { get; set; }

    /// <summary>The components and policies of each revision some device runs (current and stable included).</summary>
    public IList<DeploymentRevisionSpec>? Revisions { get; set; }
}

/// <summary>One device's place in a rollout.</summary>
public sealed class RolloutDevice
{
    /// <summary>The CoreDevice name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The Deployment revision the device is admitted to.</summary>
    public long Revision { get; set; }

    /// <summary>When the device was admitted to that revision.</summary>
    public DateTime? AdmittedTime { get; set; }

    /// <summary>SUCCEEDED, FAILED, REJECTED or TIMED_OUT once the device finished; empty while it applies the revision.</summary>
    [CrdEnum(typeof(RolloutOutcomes))]
    public string? Outcome { get; set; }
}

/// <summary>The part of a Deployment spec that one revision gives its devices.</summary>
public sealed class DeploymentRevisionSpec
{
    /// <summary>The revision (metadata.generation) this spec was taken from.</summary>
    public long Revision { get; set; }

    /// <summary>The revision's components, as in <c>spec.components</c>.</summary>
    public IDictionary<string, DeploymentComponent>? Components { get; set; }

    /// <summary>The revision's policies, as in <c>spec.policies</c>.</summary>
    public DeploymentPolicies? Policies { get; set; }
}

/// <summary>Values of <c>status.rollout.phase</c>.</summary>
public static class RolloutPhases
{
    /// <summary>Devices wait for their turn or apply the revision.</summary>
    public const string InProgress = "InProgress";

    /// <summary>Every targeted device was admitted and finished.</summary>
    public const string Completed = "Completed";

    /// <summary>An abort criterion was met: no more devices are admitted to this revision.</summary>
    public const string Aborted = "Aborted";
}

/// <summary>Values of a rollout device's <c>outcome</c> (the IoT job execution outcomes Greengrass uses).</summary>
public static class RolloutOutcomes
{
    /// <summary>The device applied the revision.</summary>
    public const string Succeeded = "SUCCEEDED";

    /// <summary>The device failed to apply the revision, or no plan could be computed for it.</summary>
    public const string Failed = "FAILED";

    /// <summary>The device rejected the revision.</summary>
    public const string Rejected = "REJECTED";

    /// <summary>The device did not finish within the per-device timeout; it keeps the revision.</summary>
    public const string TimedOut = "TIMED_OUT";
}
