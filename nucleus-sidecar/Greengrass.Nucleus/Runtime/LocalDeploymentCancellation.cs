using Greengrass.Nucleus.Contracts;

namespace Greengrass.Nucleus.Runtime;

/// <summary>What a CancelLocalDeployment request does to one deployment.</summary>
internal enum CancelVerdict
{
    /// <summary>No local deployment has this id.</summary>
    NotFound,

    /// <summary>The deployment ended already (succeeded, failed, rejected or cancelled): nothing to do.</summary>
    AlreadyFinished,

    /// <summary>The deployment waits in the queue: it is dropped and never starts.</summary>
    DropQueued,

    /// <summary>The deployment runs but has changed nothing yet (waiting on deferrals or validation): it stops there.</summary>
    StopInProgress,

    /// <summary>The deployment is already changing the device: it runs to its end, as in Greengrass.</summary>
    TooLate,
}

/// <summary>Where a deployment stands, as far as cancelling it is concerned.</summary>
/// <param name="Local">Created by CreateLocalDeployment on this nucleus (cloud and operator deployments are not cancellable here).</param>
/// <param name="Status">The recorded status.</param>
/// <param name="Active">The deployment loop is working on it now (else, while in progress, it is queued).</param>
/// <param name="Cancellable">Active and still before its first change (configuration merge, removal, install).</param>
internal readonly record struct CancelTarget(bool Local, DeploymentStatus Status, bool Active, bool Cancellable);

/// <summary>
/// The rules of CancelLocalDeployment (Greengrass CLI component): only a local deployment that is queued, or in progress
/// and still before the point where it changes the device, is cancelled; a cancelled deployment changed nothing, so
/// there is nothing to roll back.
/// </summary>
internal static class LocalDeploymentCancellation
{
    public static CancelVerdict Decide(CancelTarget? target) => target switch
    {
        null or { Local: false } => CancelVerdict.NotFound,
        { Status: not DeploymentStatus.InProgress } => CancelVerdict.AlreadyFinished,
        { Active: false } => CancelVerdict.DropQueued,
        { Cancellable: true } => CancelVerdict.StopInProgress,
        _ => CancelVerdict.TooLate,
    };

    /// <summary>The CancelLocalDeploymentResponse message for a verdict other than <see cref="CancelVerdict.NotFound"/>.</summary>
    public static string Message(CancelVerdict verdict, string deploymentId) => verdict switch
    {
        CancelVerdict.AlreadyFinished => $"Deployment {deploymentId} is already finished; the cancellation request is not processed.",
        CancelVerdict.DropQueued => $"Deployment {deploymentId} was queued and is cancelled; it will not run.",
        CancelVerdict.StopInProgress => $"Cancel request submitted. Deployment {deploymentId} stops before it changes anything.",
        CancelVerdict.TooLate => $"Deployment {deploymentId} is already applying its changes and can no longer be cancelled; it runs to its end.",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "no message for this verdict"),
    };
}
