namespace Greengrass.Api;

/// <summary>Values of a Deployment's <c>policies.failureHandling</c>.</summary>
public static class FailureHandlingPolicies
{
    /// <summary>Restore the device's previous component set when the deployment fails (the default).</summary>
    public const string Rollback = "ROLLBACK";

    /// <summary>Leave the device as the failure left it.</summary>
    public const string DoNothing = "DO_NOTHING";
}

/// <summary>Values of a Deployment's <c>policies.componentUpdate.action</c>.</summary>
public static class ComponentUpdateActions
{
    /// <summary>Tell components about the update and let them defer it (the default).</summary>
    public const string NotifyComponents = "NOTIFY_COMPONENTS";

    /// <summary>Update without telling components.</summary>
    public const string SkipNotifyComponents = "SKIP_NOTIFY_COMPONENTS";
}

/// <summary>Values of a rollout abort criterion's <c>failureType</c>.</summary>
public static class AbortFailureTypes
{
    /// <summary>Devices that failed to apply the deployment.</summary>
    public const string Failed = "FAILED";

    /// <summary>Devices that rejected the deployment.</summary>
    public const string Rejected = "REJECTED";

    /// <summary>Devices that did not finish within the per-device timeout.</summary>
    public const string TimedOut = "TIMED_OUT";

    /// <summary>Any of the above.</summary>
    public const string All = "ALL";
}

/// <summary>Values of a Deployment's <c>status.phase</c>.</summary>
public static class DeploymentPhases
{
    /// <summary>Accepted, no device started yet.</summary>
    public const string Pending = "Pending";

    /// <summary>Devices are applying the current revision.</summary>
    public const string InProgress = "InProgress";

    /// <summary>Every targeted device applied the current revision.</summary>
    public const string Succeeded = "Succeeded";

    /// <summary>Some targeted devices failed and the rollout finished.</summary>
    public const string Failed = "Failed";

    /// <summary>An abort criterion stopped the rollout.</summary>
    public const string Aborted = "Aborted";
}
