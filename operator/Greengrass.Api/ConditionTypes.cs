namespace Greengrass.Api;

/// <summary>Condition types used in the status of the Greengrass resources (kstatus conventions).</summary>
public static class ConditionTypes
{
    /// <summary>The resource reached its desired state: the summary condition every kind carries.</summary>
    public const string Ready = "Ready";

    /// <summary>The controller is working towards the desired state (kstatus abnormal-true condition).</summary>
    public const string Reconciling = "Reconciling";

    /// <summary>The controller cannot make progress without a change to the spec or the world (kstatus abnormal-true condition).</summary>
    public const string Stalled = "Stalled";

    /// <summary>A Deployment rollout is moving through its target devices.</summary>
    public const string Progressing = "Progressing";

    /// <summary>Pod readiness gate of a nucleus pod: true when every component is RUNNING or FINISHED.</summary>
    public const string PodComponentsReady = GreengrassApi.Group + "/components-ready";
}

/// <summary>The three values of a condition's <c>status</c> field.</summary>
public static class ConditionStatuses
{
    /// <summary>The condition holds.</summary>
    public const string True = "True";

    /// <summary>The condition does not hold.</summary>
    public const string False = "False";

    /// <summary>The controller cannot tell yet.</summary>
    public const string Unknown = "Unknown";
}
