namespace Greengrass.Nucleus.Contracts;

/// <summary>What a nucleus reports about its device: health, component states and the last deployment.</summary>
public sealed record DeviceReport
{
    /// <summary>The only report schema version this build reads and writes.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>Version of this document's shape.</summary>
    public required int SchemaVersion { get; init; }

    /// <summary>Thing name of the reporting core device.</summary>
    public required string ThingName { get; init; }

    /// <summary>Version of the running nucleus.</summary>
    public required string NucleusVersion { get; init; }

    /// <summary>Revision of the last plan applied successfully; null before the first.</summary>
    public long? AppliedRevision { get; init; }

    /// <summary>UNHEALTHY only when some component is BROKEN.</summary>
    public DeviceHealth OverallHealth { get; set; } = DeviceHealth.Healthy;

    /// <summary>Every component the nucleus knows about.</summary>
    public IReadOnlyList<ComponentReport> Components { get; set; } = [];

    /// <summary>The deployment being applied or applied last; null before the first.</summary>
    public DeploymentReport? Deployment { get; init; }
}

/// <summary>State of one component on the device.</summary>
public sealed record ComponentReport
{
    /// <summary>Component name.</summary>
    public required string Name { get; init; }

    /// <summary>Installed version.</summary>
    public required string Version { get; init; }

    /// <summary>Current lifecycle state.</summary>
    public required ComponentState State { get; init; }

    /// <summary>When the component entered <see cref="State"/>.</summary>
    public required DateTimeOffset LastTransitionTime { get; init; }

    /// <summary>Human reason for the state, for example "The startup script exited with code 3."</summary>
    public string? Message { get; init; }

    /// <summary>How many times the nucleus restarted the component after an error.</summary>
    public int RestartCount { get; init; }

    /// <summary>Greengrass component status codes (<c>INSTALL_ERROR</c>, <c>STARTUP_TIMEOUT</c>, <c>RUN_ERROR</c>…), set for ERRORED and BROKEN.</summary>
    public IReadOnlyList<string> StatusCodes { get; set; } = [];
}

/// <summary>Status of a deployment on the device (GREENGRASS.md §4.7).</summary>
public sealed record DeploymentReport
{
    /// <summary>Identifier of the deployment.</summary>
    public required string DeploymentId { get; init; }

    /// <summary>Plan revision the deployment produced.</summary>
    public required long Revision { get; init; }

    /// <summary>Where the deployment stands.</summary>
    public required DeploymentStatus Status { get; init; }

    /// <summary>
    /// Greengrass <c>detailed-deployment-status</c> value (<c>SUCCESSFUL</c>, <c>FAILED_NO_STATE_CHANGE</c>,
    /// <c>FAILED_ROLLBACK_NOT_REQUESTED</c>, <c>FAILED_ROLLBACK_COMPLETE</c>, <c>FAILED_UNABLE_TO_ROLLBACK</c>, <c>REJECTED</c>).
    /// While in progress: null, or the stage of a deployment that restarts the nucleus (<c>BOOTSTRAP</c>,
    /// <c>KERNEL_ACTIVATION</c>, <c>ROLLBACK_BOOTSTRAP</c>, <c>KERNEL_ROLLBACK</c>).
    /// </summary>
    public string? DetailedStatus { get; init; }

    /// <summary>Error codes from outermost to innermost, for example DEPLOYMENT_FAILURE, COMPONENT_UPDATE_ERROR, COMPONENT_BROKEN.</summary>
    public IReadOnlyList<string> ErrorStack { get; set; } = [];

    /// <summary>Error types, for example COMPONENT_ERROR.</summary>
    public IReadOnlyList<string> ErrorTypes { get; set; } = [];

    /// <summary>Human explanation of the failure; null unless failed.</summary>
    public string? FailureCause { get; init; }
}
