namespace Greengrass.Nucleus.Contracts;

/// <summary>
/// The resolved component set one core device must run, computed by the operator and written to the device's
/// ConfigMap. Recipes are already resolved for the device's platform and configuration is already merged.
/// </summary>
public sealed record DevicePlan
{
    /// <summary>The only plan schema version this build reads and writes.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>Version of this document's shape; readers refuse versions they do not know.</summary>
    public required int SchemaVersion { get; init; }

    /// <summary>Thing name of the core device the plan is for.</summary>
    public required string ThingName { get; init; }

    /// <summary>Identifier of the deployment that produced this plan.</summary>
    public required string DeploymentId { get; init; }

    /// <summary>Monotonic revision of the device's plan; the nucleus reports the last one it applied.</summary>
    public required long Revision { get; init; }

    /// <summary>When the deployment was created; an older plan of the same group is rejected as stale.</summary>
    public required DateTimeOffset CreationTimestamp { get; init; }

    /// <summary>
    /// The group the plan belongs to, in the resource form of a Greengrass configuration ARN:
    /// <c>thing/&lt;thingName&gt;</c> or <c>thinggroup/&lt;groupName&gt;</c>.
    /// </summary>
    public required string GroupId { get; init; }

    /// <summary>Failure handling, component update and configuration validation policies.</summary>
    public DeploymentPolicies Policies { get; set; } = new();

    /// <summary>True when the operator already knows that applying the plan restarts the nucleus (plugin or nucleus change).</summary>
    public bool RequiresNucleusRestart { get; init; }

    /// <summary>Every component the device must run, dependencies included.</summary>
    public IReadOnlyList<PlannedComponent> Components { get; set; } = [];

    /// <summary>The local broker, client device auth, bridge, upstream and spooler; null when the device hosts no MQTT.</summary>
    public MqttPlan? Mqtt { get; set; }
}

/// <summary>The deployment policies of GREENGRASS.md §4.1, with their Greengrass defaults.</summary>
public sealed record DeploymentPolicies
{
    /// <summary>What to do when the deployment fails; default ROLLBACK.</summary>
    public FailureHandlingPolicy FailureHandling { get; set; } = FailureHandlingPolicy.Rollback;

    /// <summary>Whether and how long components are asked before an update.</summary>
    public ComponentUpdatePolicy ComponentUpdate { get; set; } = new();

    /// <summary>How long components may take to validate a configuration change.</summary>
    public ConfigurationValidationPolicy ConfigurationValidation { get; set; } = new();
}

/// <summary>Component update policy: notify components and wait for deferrals, or not.</summary>
public sealed record ComponentUpdatePolicy
{
    /// <summary>Notify components before updating (default) or skip notification.</summary>
    public ComponentUpdateAction Action { get; set; } = ComponentUpdateAction.NotifyComponents;

    /// <summary>Seconds to wait for deferral replies; default 60, at least 1.</summary>
    public int TimeoutSeconds { get; set; } = 60;
}

/// <summary>Configuration validation policy.</summary>
public sealed record ConfigurationValidationPolicy
{
    /// <summary>Seconds to wait for validity reports; default 30, at least 1. A timeout fails the deployment.</summary>
    public int TimeoutSeconds { get; set; } = 30;
}
