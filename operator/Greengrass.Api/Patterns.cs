namespace Greengrass.Api;

/// <summary>
/// Regular expressions for the closed string formats of the API. They use only syntax that RE2 (the API server's
/// engine) and .NET read the same way.
/// </summary>
public static class Patterns
{
    /// <summary>A Greengrass component name (recipe <c>ComponentName</c>), 1 to 128 characters.</summary>
    public const string ComponentName = "^[a-zA-Z0-9-_.]+$";

    /// <summary>Maximum length of a component name.</summary>
    public const int ComponentNameMaxLength = 128;

    /// <summary>
    /// A Greengrass component version: semantic version whose major, minor and patch are at most 999999 and whose
    /// pre-release part starts with a non-digit, as the nucleus's version parser requires.
    /// </summary>
    public const string SemanticVersion =
        "^(0|[1-9][0-9]{0,5})\\.(0|[1-9][0-9]{0,5})\\.(0|[1-9][0-9]{0,5})(-[a-zA-Z-][0-9a-zA-Z-]*(\\.[0-9a-zA-Z-]+)*)?(\\+[0-9a-zA-Z-]+(\\.[0-9a-zA-Z-]+)*)?$";

    /// <summary>Maximum length of a component version.</summary>
    public const int SemanticVersionMaxLength = 64;

    /// <summary>An AWS IoT thing name, 1 to 128 characters.</summary>
    public const string ThingName = "^[a-zA-Z0-9:_-]+$";

    /// <summary>Maximum length of a thing name.</summary>
    public const int ThingNameMaxLength = 128;

    /// <summary>A Lambda function ARN (recipe <c>ComponentSource</c>).</summary>
    public const string LambdaArn = "^arn:aws(-(cn|us-gov|iso(-[a-z])?))?:lambda:.*$";

    /// <summary>A Kubernetes object name (DNS-1123 subdomain).</summary>
    public const string ObjectName = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /// <summary>Maximum length of a Kubernetes object name.</summary>
    public const int ObjectNameMaxLength = 253;

    /// <summary>A JSON pointer (RFC 6901) as used by <c>configurationUpdate.reset</c>; the empty pointer means the whole configuration.</summary>
    public const string JsonPointer = "^(/.*)?$";

    /// <summary>A rollout concurrency written as a percentage of the targeted devices, such as <c>25%</c>.</summary>
    public const string Percentage = "^(100|[1-9]?[0-9])%$";

    /// <summary>An AWS region name such as <c>us-east-1</c> (also what S3-compatible stores accept: lowercase letters, digits, dashes).</summary>
    public const string AwsRegion = "^[a-z0-9]+(-[a-z0-9]+)*$";

    /// <summary>An absolute http or https URL without query or fragment.</summary>
    public const string HttpUrl = "^https?://[^/?#\\s]+(/[^?#\\s]*)?$";

    /// <summary>
    /// An AWS IoT credentials provider endpoint: a host name or IPv4 address with an optional port, optionally written
    /// as an <c>https://</c> URL without a path.
    /// </summary>
    public const string IotCredentialsEndpoint = "^(https://)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:[0-9]{1,5})?/?$";

    /// <summary>An AWS IoT role alias name: letters, digits and <c>_=,@-</c>, 1 to 128 characters.</summary>
    public const string IotRoleAlias = "^[A-Za-z0-9_=,@-]+$";

    /// <summary>
    /// An AWS Secrets Manager secret ARN, as the Greengrass secret manager accepts it:
    /// <c>arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME</c>, the name optionally followed by Secrets Manager's random suffix.
    /// </summary>
    public const string SecretArn = "^arn:[^:]+:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:([a-zA-Z0-9\\\\]+/)*[a-zA-Z0-9/_+=,.@-]+(-[a-zA-Z0-9]+)?$";
}
