using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Aws;

/// <summary>Log messages of the token exchange service; event ids 3400–3499. None carries a credential.</summary>
internal static partial class AwsLog
{
    [LoggerMessage(EventId = 3400, Level = LogLevel.Information, Message = "Token exchange service listening on {Uri}")]
    public static partial void TesListening(ILogger logger, Uri uri);

    [LoggerMessage(EventId = 3401, Level = LogLevel.Debug, Message = "Token exchange service gave credentials to {Component}")]
    public static partial void TesServed(ILogger logger, string component);

    [LoggerMessage(EventId = 3402, Level = LogLevel.Information, Message = "Token exchange service refused a request: {Reason}")]
    public static partial void TesRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 3403, Level = LogLevel.Warning, Message = "Token exchange service has no credentials to give {Component}: {Reason}")]
    public static partial void TesNoCredentials(ILogger logger, string component, string reason);
}
