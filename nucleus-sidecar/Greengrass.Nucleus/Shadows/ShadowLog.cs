using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Shadows;

/// <summary>Log messages of the local shadow service; event ids 3300–3399.</summary>
internal static partial class ShadowLog
{
    [LoggerMessage(EventId = 3300, Level = LogLevel.Warning, Message = "Ignoring unreadable shadow file {Path}: {Reason}")]
    public static partial void UnreadableShadow(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 3301, Level = LogLevel.Debug, Message = "Shadow {Thing}/{Shadow} updated to version {Version}")]
    public static partial void Updated(ILogger logger, string thing, string shadow, long version);

    [LoggerMessage(EventId = 3302, Level = LogLevel.Debug, Message = "Shadow {Thing}/{Shadow} deleted at version {Version}")]
    public static partial void Deleted(ILogger logger, string thing, string shadow, long version);

    [LoggerMessage(EventId = 3303, Level = LogLevel.Information, Message = "Shadow {Operation} on {Thing}/{Shadow} rejected ({Code}): {Reason}")]
    public static partial void Rejected(ILogger logger, string operation, string thing, string shadow, int code, string reason);

    [LoggerMessage(EventId = 3304, Level = LogLevel.Warning, Message = "shadowDocumentSizeLimitBytes {Value} of aws.greengrass.ShadowManager is not between 1 and {Max}; using {Used}")]
    public static partial void InvalidSizeLimit(ILogger logger, string value, int max, int used);

    [LoggerMessage(EventId = 3305, Level = LogLevel.Warning, Message = "Shadow request on {Topic} dropped: {Pending} requests are already waiting")]
    public static partial void RequestDropped(ILogger logger, string topic, int pending);

    [LoggerMessage(EventId = 3306, Level = LogLevel.Debug, Message = "Shadow request on {Topic} ignored: aws.greengrass.ShadowManager is not deployed")]
    public static partial void RequestIgnored(ILogger logger, string topic);
}
