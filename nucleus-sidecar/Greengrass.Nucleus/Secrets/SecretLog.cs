using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Secrets;

/// <summary>Log messages of the secret manager; event ids 3500–3599. None carries a secret value.</summary>
internal static partial class SecretLog
{
    [LoggerMessage(EventId = 3500, Level = LogLevel.Information, Message = "Component {Component} requested secret {SecretId}")]
    public static partial void Access(ILogger logger, string component, string secretId);

    [LoggerMessage(EventId = 3501, Level = LogLevel.Warning, Message = "cloudSecrets of aws.greengrass.SecretManager lists {Arn}, but the CoreDevice maps no Secret to it (spec.secrets)")]
    public static partial void Unmapped(ILogger logger, string arn);

    [LoggerMessage(EventId = 3502, Level = LogLevel.Warning, Message = "Ignoring cloudSecrets of aws.greengrass.SecretManager: {Problem}")]
    public static partial void InvalidCloudSecrets(ILogger logger, string problem);

    [LoggerMessage(EventId = 3503, Level = LogLevel.Warning, Message = "Secret {Arn} cannot be served: {Reason}")]
    public static partial void Unavailable(ILogger logger, string arn, string reason);
}
