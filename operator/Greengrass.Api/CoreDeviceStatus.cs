using k8s.Models;

namespace Greengrass.Api;

/// <summary>Health and component states of a core device, as its nucleus reports them.</summary>
public sealed class CoreDeviceStatus
{
    /// <summary>The metadata.generation this status describes.</summary>
    public long? ObservedGeneration { get; set; }

    /// <summary>PENDING until the nucleus reports; UNHEALTHY when a component is BROKEN; OFFLINE when reports stop.</summary>
    [CrdEnum(typeof(DeviceHealth))]
    public string? Health { get; set; }

    /// <summary>Version of the running nucleus.</summary>
    public string? NucleusVersion { get; set; }

    /// <summary>Name of the node the nucleus pod runs on.</summary>
    public string? Node { get; set; }

    /// <summary>Name of the nucleus pod.</summary>
    public string? Pod { get; set; }

    /// <summary>Revision of the device plan the nucleus applied last.</summary>
    public long? AppliedRevision { get; set; }

    /// <summary>Revision of the device plan the operator wants applied.</summary>
    public long? DesiredRevision { get; set; }

    /// <summary>Lifecycle state of each component on the device.</summary>
    [CrdListMap("name")]
    public IList<ComponentRuntimeStatus>? Components { get; set; }

    /// <summary>How many ClientDevices are associated with this core device (their certificates are in its plan).</summary>
    [CrdRange(Minimum = 0)]
    public int? ClientDevices { get; set; }

    /// <summary>Ready components over all components, such as 4/5; ready means RUNNING or FINISHED.</summary>
    public string? ComponentsSummary { get; set; }

    /// <summary>Ready, Reconciling and Stalled.</summary>
    [CrdListMap("type")]
    public IList<V1Condition>? Conditions { get; set; }

    /// <summary>When the nucleus last reported.</summary>
    public DateTime? LastStatusUpdate { get; set; }

    /// <summary>
    /// The core device CA certificate (PEM) that signs the local broker's server certificate; client devices trust it.
    /// Discovery returns it in <c>CAs</c>. The key stays in the Secret <c>&lt;device&gt;-ca</c>.
    /// </summary>
    public string? CertificateAuthority { get; set; }

    /// <summary>The outcome of the last plan revision the nucleus tried to apply, as it reported it.</summary>
    public DeviceDeploymentStatus? LastDeployment { get; set; }
}

/// <summary>How the nucleus fared with one plan revision (the Greengrass deployment status of the device).</summary>
public sealed class DeviceDeploymentStatus
{
    /// <summary>The plan revision.</summary>
    public long Revision { get; set; }

    /// <summary>IN_PROGRESS, SUCCEEDED, FAILED_NO_STATE_CHANGE, FAILED_ROLLBACK_NOT_REQUESTED, FAILED_ROLLBACK_COMPLETE, FAILED_UNABLE_TO_ROLLBACK or REJECTED.</summary>
    public string Status { get; set; } = "";

    /// <summary>Greengrass's detailed status, such as FAILED_ROLLBACK_COMPLETE's cause class.</summary>
    public string? DetailedStatus { get; set; }

    /// <summary>Why the deployment failed, naming the component and step.</summary>
    public string? FailureCause { get; set; }
}

/// <summary>The state of one component on a device.</summary>
public sealed class ComponentRuntimeStatus
{
    /// <summary>Component name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Component version.</summary>
    public string? Version { get; set; }

    /// <summary>Lifecycle state: NEW, INSTALLED, STARTING, RUNNING, STOPPING, FINISHED, ERRORED or BROKEN.</summary>
    [CrdEnum(typeof(ComponentStates))]
    public string State { get; set; } = ComponentStates.New;

    /// <summary>Why the component is in this state, for ERRORED and BROKEN.</summary>
    public string? Message { get; set; }

    /// <summary>How often the nucleus restarted the component since it was deployed.</summary>
    [CrdRange(Minimum = 0)]
    public int? RestartCount { get; set; }

    /// <summary>When the component entered this state.</summary>
    public DateTime? LastTransitionTime { get; set; }
}
