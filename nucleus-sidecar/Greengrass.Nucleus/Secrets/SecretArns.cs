using System.Text.RegularExpressions;

namespace Greengrass.Nucleus.Secrets;

/// <summary>AWS Secrets Manager ARNs as the Greengrass secret manager reads them: the format, and the name inside one.</summary>
internal static partial class SecretArns
{
    /// <summary>True when <paramref name="secretId"/> is a secret ARN; anything else is taken for a secret name.</summary>
    public static bool IsArn(string secretId) => ArnPattern().IsMatch(secretId);

    /// <summary>
    /// The secret's name: what follows <c>secret:</c>, without the <c>-</c> and six characters Secrets Manager appends to
    /// make the ARN unique (<c>…:secret:db-password-AbCdEf</c> is <c>db-password</c>).
    /// </summary>
    public static string NameOf(string arn)
    {
        var start = arn.IndexOf(":secret:", StringComparison.Ordinal) + ":secret:".Length;
        var resource = arn[start..];
        return RandomSuffix().IsMatch(resource) ? resource[..^7] : resource;
    }

    // The pattern of the Greengrass secret manager (the suffix optional), anchored; Patterns.SecretArn in the API is the same.
    [GeneratedRegex(@"^arn:[^:]+:secretsmanager:[a-z0-9\-]+:[0-9]{12}:secret:([a-zA-Z0-9\\]+/)*[a-zA-Z0-9/_+=,.@\-]+(-[a-zA-Z0-9]+)?$")]
    private static partial Regex ArnPattern();

    [GeneratedRegex(@".-[a-zA-Z0-9]{6}$")]
    private static partial Regex RandomSuffix();
}
