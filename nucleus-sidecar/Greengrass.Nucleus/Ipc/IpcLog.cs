using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Ipc;

/// <summary>IPC log messages; EventIds 3000–3099.</summary>
internal static partial class IpcLog
{
    [LoggerMessage(3000, LogLevel.Information, "IPC server listening on {SocketPath}")]
    public static partial void Listening(ILogger logger, string socketPath);

    [LoggerMessage(3001, LogLevel.Information, "IPC server stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(3002, LogLevel.Debug, "IPC connection {ConnectionId} authenticated as {Component}")]
    public static partial void Authenticated(ILogger logger, long connectionId, string component);

    [LoggerMessage(3003, LogLevel.Warning, "IPC connection {ConnectionId} refused: {Reason}")]
    public static partial void ConnectRefused(ILogger logger, long connectionId, string reason);

    [LoggerMessage(3004, LogLevel.Warning, "IPC connection {ConnectionId} closed after a protocol violation: {Reason}")]
    public static partial void ProtocolViolation(ILogger logger, long connectionId, string reason);

    [LoggerMessage(3005, LogLevel.Debug, "IPC connection {ConnectionId} closed")]
    public static partial void ConnectionClosed(ILogger logger, long connectionId);

    [LoggerMessage(3006, LogLevel.Error, "IPC operation {Operation} of {Component} failed")]
    public static partial void OperationFailed(ILogger logger, Exception exception, string operation, string component);

    [LoggerMessage(3007, LogLevel.Warning, "IPC connection {ConnectionId} of {Component} does not read fast enough; an event on stream {StreamId} was dropped")]
    public static partial void EventDropped(ILogger logger, long connectionId, string? component, int streamId);

    [LoggerMessage(3008, LogLevel.Information, "IPC operation {Operation} from {Component} is not supported")]
    public static partial void UnsupportedOperation(ILogger logger, string operation, string component);

    [LoggerMessage(3009, LogLevel.Debug, "IPC connection {ConnectionId} ended: {Reason}")]
    public static partial void ConnectionError(ILogger logger, long connectionId, string reason);

    [LoggerMessage(3011, LogLevel.Information, "Component {Component} deferred deployment {DeploymentId} by {RecheckAfterMs} ms: {Message}")]
    public static partial void UpdateDeferred(ILogger logger, string component, string deploymentId, long recheckAfterMs, string? message);
}
