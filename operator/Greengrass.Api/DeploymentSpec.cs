using System.Text.Json.Nodes;
using k8s.Models;

namespace Greengrass.Api;

/// <summary>The desired component set for one target, with Greengrass deployment policies and rollout settings.</summary>
[CrdValidation("(has(self.coreDeviceName) ? 1 : 0) + (has(self.coreDeviceSelector) ? 1 : 0) == 1", Message = "set exactly one of coreDeviceName or coreDeviceSelector")]
public sealed class DeploymentSpec
{
    /// <summary>Target one CoreDevice in this namespace, by name (a thing deployment).</summary>
    [CrdPattern(Patterns.ObjectName)]
    [CrdLength(Max = Patterns.ObjectNameMaxLength)]
    public string? CoreDeviceName { get; set; }

    /// <summary>Target every CoreDevice in this namespace whose labels match (a thing-group deployment; labels are thing groups).</summary>
    public V1LabelSelector? CoreDeviceSelector { get; set; }

    /// <summary>Components to run on the target, by component name. A component of an earlier revision that is absent here is removed.</summary>
    public IDictionary<string, DeploymentComponent>? Components { get; set; }

    /// <summary>How devices apply the deployment (Greengrass deploymentPolicies).</summary>
    public DeploymentPolicies? Policies { get; set; }

    /// <summary>How fast the deployment moves across the targeted devices, and when it stops.</summary>
    public DeploymentRollout? Rollout { get; set; }
}

/// <summary>One component of a deployment.</summary>
public sealed class DeploymentComponent
{
    /// <summary>Exact component version (no ranges); a Component with this name and version must exist.</summary>
    [CrdPattern(Patterns.SemanticVersion)]
    [CrdLength(Min = 1, Max = Patterns.SemanticVersionMaxLength)]
    public string Version { get; set; } = "";

    /// <summary>Changes to the component's configuration: reset first, then merge.</summary>
    public ConfigurationUpdate? ConfigurationUpdate { get; set; }

    /// <summary>The system user and resource limits the component runs with.</summary>
    public RunWith? RunWith { get; set; }
}

/// <summary>A configuration update: reset paths to their defaults, then merge an object over the result.</summary>
public sealed class ConfigurationUpdate
{
    /// <summary>JSON object merged over the configuration (objects merge recursively, other values replace). Free-form, like the component's configuration.</summary>
    [CrdPreserveUnknownFields]
    public JsonObject? Merge { get; set; }

    /// <summary>JSON pointers to reset to the default configuration; the empty pointer resets everything.</summary>
    [CrdPattern(Patterns.JsonPointer)]
    public IList<string>? Reset { get; set; }
}

/// <summary>How a component's processes run on the device.</summary>
public sealed class RunWith
{
    /// <summary>POSIX user (and optional group) as user[:group]; the nucleus default user when absent.</summary>
    [CrdPattern("^[^:]+(:[^:]+)?$")]
    public string? PosixUser { get; set; }

    /// <summary>Limits on the component's processes.</summary>
    public SystemResourceLimits? SystemResourceLimits { get; set; }
}

/// <summary>Limits on a component's processes.</summary>
public sealed class SystemResourceLimits
{
    /// <summary>CPU time as a number of CPU cores, such as 0.5.</summary>
    [CrdRange(Minimum = 0)]
    public double? Cpus { get; set; }

    /// <summary>Memory in kilobytes, as in Greengrass.</summary>
    [CrdRange(Minimum = 0)]
    public long? Memory { get; set; }
}

/// <summary>How devices apply a deployment.</summary>
public sealed class DeploymentPolicies
{
    /// <summary>ROLLBACK (the default) restores the previous component set on failure; DO_NOTHING leaves it.</summary>
    [CrdEnum(typeof(FailureHandlingPolicies))]
    public string? FailureHandling { get; set; }

    /// <summary>Whether components may defer the update, and for how long.</summary>
    public ComponentUpdatePolicy? ComponentUpdate { get; set; }

    /// <summary>How long components have to validate a configuration update.</summary>
    public ConfigurationValidationPolicy? ConfigurationValidation { get; set; }
}

/// <summary>Greengrass componentUpdatePolicy.</summary>
public sealed class ComponentUpdatePolicy
{
    /// <summary>NOTIFY_COMPONENTS (the default) lets components defer the update; SKIP_NOTIFY_COMPONENTS does not ask.</summary>
    [CrdEnum(typeof(ComponentUpdateActions))]
    public string? Action { get; set; }

    /// <summary>Seconds components have to answer the update notification; 60 when absent.</summary>
    [CrdRange(Minimum = 1)]
    public int? TimeoutSeconds { get; set; }
}

/// <summary>Greengrass configurationValidationPolicy.</summary>
public sealed class ConfigurationValidationPolicy
{
    /// <summary>Seconds components have to validate a configuration update; 30 when absent.</summary>
    [CrdRange(Minimum = 1)]
    public int? TimeoutSeconds { get; set; }
}

/// <summary>How a deployment moves across its target devices.</summary>
public sealed class DeploymentRollout
{
    /// <summary>Most devices applying the deployment at once: a count, or a percentage of the targeted devices such as 25%. All at once when absent.</summary>
    [CrdPattern(Patterns.Percentage)]
    public IntOrString? MaxConcurrent { get; set; }

    /// <summary>Seconds one device may take before it counts as TIMED_OUT.</summary>
    [CrdRange(Minimum = 1)]
    public int? PerDeviceTimeoutSeconds { get; set; }

    /// <summary>Stop the rollout when any of these is met.</summary>
    public IList<AbortCriterion>? AbortCriteria { get; set; }
}

/// <summary>A condition that aborts a rollout.</summary>
public sealed class AbortCriterion
{
    /// <summary>The kind of device outcome counted: FAILED, REJECTED, TIMED_OUT or ALL.</summary>
    [CrdEnum(typeof(AbortFailureTypes))]
    public string FailureType { get; set; } = "";

    /// <summary>Percentage of finished devices with that outcome at which the rollout aborts.</summary>
    [CrdRange(Minimum = 0, Maximum = 100)]
    public double ThresholdPercentage { get; set; }

    /// <summary>Devices that must have finished before the criterion is checked; 1 when absent.</summary>
    [CrdRange(Minimum = 1)]
    public int? MinNumberOfDevices { get; set; }
}
