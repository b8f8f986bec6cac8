using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Supervision;

/// <summary>Log messages of the process supervisor; event ids 3000–3099.</summary>
internal static partial class SupervisionLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "{ScriptName} started as pid {Pid} (user {User}, limits {Limits})")]
    public static partial void StepStarted(ILogger logger, string scriptName, int pid, string user, string limits);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "{ScriptName} ended: {Description}")]
    public static partial void StepEnded(ILogger logger, string scriptName, string description);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "{ScriptName} skipped: {Reason}")]
    public static partial void StepSkipped(ILogger logger, string scriptName, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "{ScriptName} could not run: {Reason}")]
    public static partial void StepNotRun(ILogger logger, string scriptName, string reason);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "{ScriptName} requires privilege but the nucleus is not root; it runs as {User}")]
    public static partial void PrivilegeUnavailable(ILogger logger, string scriptName, string user);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Resource limits of {Component} are {Status}")]
    public static partial void LimitsNotEnforced(ILogger logger, string component, string status);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "Stopping {ScriptName} (pid {Pid}): {Signal} to {Count} processes")]
    public static partial void Signalling(ILogger logger, string scriptName, int pid, string signal, int count);
}
