namespace Greengrass.Api;

/// <summary>
/// One AWS Secrets Manager secret served on the device by <c>aws.greengrass.SecretManager</c>: its ARN, as components
/// and the SecretManager's <c>cloudSecrets</c> name it, mapped to a Kubernetes Secret that holds its value. The
/// Secret is mounted read-only into the nucleus pod; the operator never reads it.
/// </summary>
public sealed class SecretMapping
{
    /// <summary>
    /// ARN of the secret, such as <c>arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-password-AbCdEf</c>.
    /// Components may also ask for it by name: the part after <c>secret:</c> without the six-character suffix
    /// Secrets Manager appends (<c>db-password</c>).
    /// </summary>
    [CrdPattern(Patterns.SecretArn)]
    [CrdLength(Min = 1, Max = 2048)]
    public string Arn { get; set; } = "";

    /// <summary>
    /// Secret in this namespace with the key <c>secretString</c> (text) or <c>secretBinary</c> (bytes; it wins when both
    /// are set), and optionally <c>versionId</c> and <c>versionStages</c> (comma-separated; <c>AWSCURRENT</c> when absent).
    /// </summary>
    [CrdRequired]
    public SecretReference? SecretRef { get; set; }
}
