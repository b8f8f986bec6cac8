using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Aws;

/// <summary>Log messages of the token exchange service and the credentials sources; event ids 3400–3499. None carries a credential.</summary>
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

    [LoggerMessage(EventId = 3410, Level = LogLevel.Information,
        Message = "AWS IoT credentials provider {Endpoint} gave credentials for role alias {RoleAlias}; cached until {CachedUntil:u}")]
    public static partial void IotCredentialsReceived(ILogger logger, string endpoint, string roleAlias, DateTimeOffset cachedUntil);

    [LoggerMessage(EventId = 3411, Level = LogLevel.Warning,
        Message = "AWS IoT credentials provider {Endpoint} gave credentials for role alias {RoleAlias} that expire at {Expiration:u}, less than {Minutes} minutes from now; they are not cached")]
    public static partial void IotCredentialsShortLived(ILogger logger, string endpoint, string roleAlias, DateTimeOffset expiration, double minutes);

    [LoggerMessage(EventId = 3412, Level = LogLevel.Warning,
        Message = "AWS IoT credentials provider {Endpoint} refused credentials for role alias {RoleAlias} with {Status}: {ProviderMessage}; the answer stands until {CachedUntil:u}")]
    public static partial void IotCredentialsRefused(ILogger logger, string endpoint, string roleAlias, int status, string providerMessage, DateTimeOffset cachedUntil);

    [LoggerMessage(EventId = 3413, Level = LogLevel.Warning, Message = "No credentials from AWS IoT credentials provider {Endpoint} for role alias {RoleAlias}: {Reason}")]
    public static partial void IotCredentialsUnavailable(ILogger logger, string endpoint, string roleAlias, string reason);
}
