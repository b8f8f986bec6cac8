namespace Greengrass.Api;

/// <summary>
/// Machine-readable condition reasons (CamelCase, as Kubernetes requires). A <c>Ready=False</c> condition names the
/// first failing check of its chain with one of these.
/// </summary>
public static class ConditionReasons
{
    /// <summary>Everything the condition checks holds.</summary>
    public const string Succeeded = "Succeeded";

    /// <summary>The controller is still working; nothing failed.</summary>
    public const string Progressing = "Progressing";

    /// <summary>The spec breaks a rule the schema cannot express; the message names the field.</summary>
    public const string InvalidSpec = "InvalidSpec";

    /// <summary>The object is being deleted and waits for its finalizer.</summary>
    public const string Deleting = "Deleting";

    /// <summary>The recipe of a Component is not a valid Greengrass recipe.</summary>
    public const string RecipeInvalid = "RecipeInvalid";

    /// <summary>An artifact of a Component cannot be fetched.</summary>
    public const string ArtifactUnreachable = "ArtifactUnreachable";

    /// <summary>An artifact's content does not match the recipe's digest.</summary>
    public const string DigestMismatch = "DigestMismatch";

    /// <summary>A Deployment names a component version that has no Component.</summary>
    public const string ComponentNotFound = "ComponentNotFound";

    /// <summary>No set of component versions satisfies every dependency requirement.</summary>
    public const string DependencyUnresolved = "DependencyUnresolved";

    /// <summary>Two Deployments pin different versions of one component on one device.</summary>
    public const string VersionConflict = "VersionConflict";

    /// <summary>No manifest of a recipe matches the platform of the device's node.</summary>
    public const string NoMatchingManifest = "NoMatchingManifest";

    /// <summary>The Deployment's target selects no CoreDevice.</summary>
    public const string NoDevicesTargeted = "NoDevicesTargeted";

    /// <summary>The rollout stopped because an abort criterion was met.</summary>
    public const string RolloutAborted = "RolloutAborted";

    /// <summary>At least one targeted device failed to apply the deployment.</summary>
    public const string DeviceFailed = "DeviceFailed";

    /// <summary>The device rejected the deployment (for example a stale revision).</summary>
    public const string Rejected = "Rejected";

    /// <summary>The node a CoreDevice is placed on does not exist.</summary>
    public const string NodeNotFound = "NodeNotFound";

    /// <summary>The nucleus pod is not scheduled or not started yet.</summary>
    public const string PodPending = "PodPending";

    /// <summary>The nucleus has not reported within the expected interval.</summary>
    public const string NucleusUnreachable = "NucleusUnreachable";

    /// <summary>Some components are not RUNNING or FINISHED yet.</summary>
    public const string ComponentsNotReady = "ComponentsNotReady";

    /// <summary>The nucleus restarts to apply a plan (Bootstrap steps, a plugin or nucleus change); the deployment is in progress.</summary>
    public const string NucleusRestarting = "NucleusRestarting";

    /// <summary>A component reached the BROKEN state.</summary>
    public const string ComponentBroken = "ComponentBroken";

    /// <summary>A certificate is being issued.</summary>
    public const string CertificatePending = "CertificatePending";

    /// <summary>A certificate is unusable (unparsable, expired, not trusted).</summary>
    public const string CertificateInvalid = "CertificateInvalid";

    /// <summary>A referenced Secret, or the key expected in it, does not exist.</summary>
    public const string SecretNotFound = "SecretNotFound";
}
