using System.Text.Json.Serialization;

namespace Greengrass.Nucleus.Contracts;

/// <summary>Lifecycle state of a component, as Greengrass names it (GREENGRASS.md §2.4).</summary>
[JsonConverter(typeof(ContractEnumConverter<ComponentState>))]
public enum ComponentState
{
    /// <summary>Known but not installed yet; the Install step runs next.</summary>
    New,

    /// <summary>Install finished; waiting to start (for example on a HARD dependency).</summary>
    Installed,

    /// <summary>Startup is running, or Run is being spawned.</summary>
    Starting,

    /// <summary>Running: Run was spawned, or Startup exited 0 or reported RUNNING over IPC.</summary>
    Running,

    /// <summary>Shutdown is running.</summary>
    Stopping,

    /// <summary>A step failed or timed out; the component will be retried.</summary>
    Errored,

    /// <summary>Errored three times from the same state within the error reset window; only a reinstall leaves it.</summary>
    Broken,

    /// <summary>Done: a one-shot component exited 0, or the component was stopped.</summary>
    Finished,
}

/// <summary>The kind of a component (recipe key <c>ComponentType</c>).</summary>
[JsonConverter(typeof(ContractEnumConverter<ComponentType>))]
public enum ComponentType
{
    /// <summary><c>aws.greengrass.generic</c>: external processes driven by lifecycle scripts.</summary>
    [JsonStringEnumMemberName("aws.greengrass.generic")]
    Generic,

    /// <summary><c>aws.greengrass.plugin</c>: code loaded into the nucleus; changing it restarts the nucleus.</summary>
    [JsonStringEnumMemberName("aws.greengrass.plugin")]
    Plugin,

    /// <summary><c>aws.greengrass.lambda</c>: a Lambda function run by the Lambda launcher.</summary>
    [JsonStringEnumMemberName("aws.greengrass.lambda")]
    Lambda,

    /// <summary><c>aws.greengrass.nucleus</c>: the runtime itself; at most one per plan.</summary>
    [JsonStringEnumMemberName("aws.greengrass.nucleus")]
    Nucleus,
}

/// <summary>How a dependency couples two components (GREENGRASS.md §2.6).</summary>
[JsonConverter(typeof(ContractEnumConverter<DependencyType>))]
public enum DependencyType
{
    /// <summary>Gates start: the dependent starts only when the dependency is RUNNING or FINISHED, and restarts when it stops being ready.</summary>
    Hard,

    /// <summary>Ordering only: never gates start and never restarts the dependent.</summary>
    Soft,
}

/// <summary>What the nucleus does when a deployment fails.</summary>
[JsonConverter(typeof(ContractEnumConverter<FailureHandlingPolicy>))]
public enum FailureHandlingPolicy
{
    /// <summary>Restore the previously applied component set (the default).</summary>
    Rollback,

    /// <summary>Leave the failed set in place and report FAILED_ROLLBACK_NOT_REQUESTED.</summary>
    DoNothing,
}

/// <summary>Whether components are told about an update before it happens (GREENGRASS.md §5.3).</summary>
[JsonConverter(typeof(ContractEnumConverter<ComponentUpdateAction>))]
public enum ComponentUpdateAction
{
    /// <summary>Send PreComponentUpdate events and honour deferrals up to the policy timeout (the default).</summary>
    NotifyComponents,

    /// <summary>Apply the update without asking components.</summary>
    SkipNotifyComponents,
}

/// <summary>How an artifact is unpacked after download.</summary>
[JsonConverter(typeof(ContractEnumConverter<ArtifactUnarchive>))]
public enum ArtifactUnarchive
{
    /// <summary>Keep the file as downloaded.</summary>
    None,

    /// <summary>Extract the ZIP archive into the decompressed artifacts folder.</summary>
    Zip,
}

/// <summary>Who may read or execute an artifact file.</summary>
[JsonConverter(typeof(ContractEnumConverter<ArtifactAccess>))]
public enum ArtifactAccess
{
    /// <summary>Nobody but the nucleus.</summary>
    None,

    /// <summary>The user the component runs as.</summary>
    Owner,

    /// <summary>Every user.</summary>
    All,
}

/// <summary>Health of the whole device: UNHEALTHY only when some component is BROKEN (GREENGRASS.md §4.7).</summary>
[JsonConverter(typeof(ContractEnumConverter<DeviceHealth>))]
public enum DeviceHealth
{
    /// <summary>No component is BROKEN (ERRORED components still count as healthy).</summary>
    Healthy,

    /// <summary>At least one component is BROKEN.</summary>
    Unhealthy,
}

/// <summary>Status of a deployment on the device (GREENGRASS.md §4.7).</summary>
[JsonConverter(typeof(ContractEnumConverter<DeploymentStatus>))]
public enum DeploymentStatus
{
    /// <summary>Being applied, or waiting for components to reach RUNNING or FINISHED.</summary>
    InProgress,

    /// <summary>Every new or changed component reached RUNNING or FINISHED.</summary>
    Succeeded,

    /// <summary>Failed before anything on the device changed.</summary>
    FailedNoStateChange,

    /// <summary>Failed with failure handling DO_NOTHING: the failed set stays in place.</summary>
    FailedRollbackNotRequested,

    /// <summary>Failed and the previous component set was restored.</summary>
    FailedRollbackComplete,

    /// <summary>Failed and restoring the previous component set failed too.</summary>
    FailedUnableToRollback,

    /// <summary>Not applied, for example because it is older than the last applied deployment of the same group.</summary>
    Rejected,
}
