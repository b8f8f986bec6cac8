using Greengrass.Nucleus.Contracts;
using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Runtime;

/// <summary>Runtime log events (EventId 700–749).</summary>
internal static partial class RuntimeLog
{
    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "{Component} {From} -> {To}{Detail}")]
    public static partial void Transition(ILogger logger, string component, ComponentState from, ComponentState to, string detail);

    [LoggerMessage(EventId = 701, Level = LogLevel.Debug, Message = "Ignored for {Component}: {Reason}")]
    public static partial void Ignored(ILogger logger, string component, string reason);

    [LoggerMessage(EventId = 702, Level = LogLevel.Information, Message = "Deployment {DeploymentId} (revision {Revision}) started")]
    public static partial void DeploymentStarted(ILogger logger, string deploymentId, long revision);

    [LoggerMessage(EventId = 703, Level = LogLevel.Information, Message = "Deployment {DeploymentId} ended {Status}{Cause}")]
    public static partial void DeploymentEnded(ILogger logger, string deploymentId, string status, string cause);

    [LoggerMessage(EventId = 704, Level = LogLevel.Information, Message = "Resuming applied plan revision {Revision} with {Count} components")]
    public static partial void Resuming(ILogger logger, long revision, int count);

    [LoggerMessage(EventId = 705, Level = LogLevel.Error, Message = "Runtime work item failed")]
    public static partial void WorkFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 706, Level = LogLevel.Warning, Message = "{Component} did not stop within {Seconds} s; its processes are killed")]
    public static partial void StopTimedOut(ILogger logger, string component, double seconds);

    [LoggerMessage(EventId = 707, Level = LogLevel.Information, Message = "Install of {Component} {Version} skipped: already installed with the same recipe")]
    public static partial void InstallSkipped(ILogger logger, string component, string version);

    [LoggerMessage(EventId = 709, Level = LogLevel.Error, Message = "Deployment {DeploymentId} failed inside the nucleus")]
    public static partial void DeploymentFaulted(ILogger logger, string deploymentId, Exception exception);

    [LoggerMessage(EventId = 710, Level = LogLevel.Information, Message = "Resource limits of {Component} updated live: {Status}")]
    public static partial void LimitsUpdated(ILogger logger, string component, string status);

    [LoggerMessage(EventId = 711, Level = LogLevel.Warning, Message = "Stopped {Count} processes a previous nucleus run left behind")]
    public static partial void Reclaimed(ILogger logger, int count);

    [LoggerMessage(EventId = 708, Level = LogLevel.Warning, Message = "Could not run {Component} {Step}: {Reason}")]
    public static partial void StepNotRun(ILogger logger, string component, string step, string reason);

    [LoggerMessage(EventId = 712, Level = LogLevel.Information, Message = "Deployment {DeploymentId} restarts the nucleus: {Reasons}")]
    public static partial void RestartBegins(ILogger logger, string deploymentId, string reasons);

    [LoggerMessage(EventId = 713, Level = LogLevel.Information, Message = "Bootstrap of {Component}: {Result}")]
    public static partial void BootstrapEnded(ILogger logger, string component, string result);

    [LoggerMessage(EventId = 714, Level = LogLevel.Warning, Message = "The Bootstrap step of {Component} asked for a device reboot (101); a nucleus cannot reboot its node, so it restarts instead")]
    public static partial void RebootAsRestart(ILogger logger, string component);

    [LoggerMessage(EventId = 715, Level = LogLevel.Information, Message = "Deployment {DeploymentId}: the nucleus exits with 100 to be restarted (next stage {Stage})")]
    public static partial void RestartRequested(ILogger logger, string deploymentId, string stage);

    [LoggerMessage(EventId = 716, Level = LogLevel.Information, Message = "Resuming deployment {DeploymentId} in stage {Stage} (activation starts: {Starts})")]
    public static partial void RestartResumed(ILogger logger, string deploymentId, string stage, int starts);

    [LoggerMessage(EventId = 717, Level = LogLevel.Information, Message = "Deployment {DeploymentId} revision {Revision} is already being applied through a nucleus restart, or was; not applying it again")]
    public static partial void RestartDeploymentOffered(ILogger logger, string deploymentId, long revision);

    [LoggerMessage(EventId = 718, Level = LogLevel.Information, Message = "Cancel request for deployment {DeploymentId}: {Verdict}")]
    public static partial void CancelRequested(ILogger logger, string deploymentId, CancelVerdict verdict);
}
