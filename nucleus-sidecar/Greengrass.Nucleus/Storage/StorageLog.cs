using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Storage;

/// <summary>Log messages of the durable store; event ids 3100–3199.</summary>
internal static partial class StorageLog
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Warning, Message = "Ignoring unreadable state file {Path}: {Reason}")]
    public static partial void UnreadableStateFile(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Removed {Count} temporary files left by an interrupted write in {Directory}")]
    public static partial void LeftoverTemporariesRemoved(ILogger logger, int count, string directory);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Configuration log {Path} line {Line} is not valid and was skipped: {Reason}")]
    public static partial void InvalidTransactionLogLine(ILogger logger, string path, int line, string reason);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Configuration log {Path} ended with an incomplete entry (interrupted write); it was dropped")]
    public static partial void TornTransactionLogTail(ILogger logger, string path);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Information, Message = "Configuration log {Path} compacted to {Entries} entries")]
    public static partial void TransactionLogCompacted(ILogger logger, string path, int entries);
}
