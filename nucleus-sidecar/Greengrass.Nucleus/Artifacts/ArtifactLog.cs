using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Artifacts;

/// <summary>Log messages of artifact preparation; event ids 3200–3299.</summary>
internal static partial class ArtifactLog
{
    [LoggerMessage(EventId = 3200, Level = LogLevel.Information, Message = "Artifact {Artifact} downloaded from {Uri} ({Bytes} bytes, digest {Verification})")]
    public static partial void Downloaded(ILogger logger, string artifact, string uri, long bytes, string verification);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Debug, Message = "Artifact {Artifact} already present and verified; not fetched again")]
    public static partial void CacheHit(ILogger logger, string artifact);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Warning, Message = "Artifact {Artifact} on disk no longer matches its digest; fetching it again")]
    public static partial void CacheStale(ILogger logger, string artifact);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Information, Message = "Artifact {Artifact} unarchived into {Folder}")]
    public static partial void Unarchived(ILogger logger, string artifact, string folder);
}
