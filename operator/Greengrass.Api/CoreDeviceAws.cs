namespace Greengrass.Api;

/// <summary>
/// The device's access to AWS or to an S3-compatible store on the edge site: the region, where the credentials come
/// from, and the S3 endpoint. The nucleus signs <c>s3://</c> artifact downloads with these credentials and serves
/// them to components through <c>aws.greengrass.TokenExchangeService</c>.
/// </summary>
public sealed class AwsAccess
{
    /// <summary>AWS region, such as <c>eu-west-1</c>; components get it as AWS_REGION. Any value an S3-compatible store accepts when an endpoint is set.</summary>
    [CrdPattern(Patterns.AwsRegion)]
    [CrdLength(Min = 1, Max = 64)]
    public string Region { get; set; } = "";

    /// <summary>Where the nucleus takes AWS credentials from.</summary>
    [CrdRequired]
    public AwsCredentialsSource? Credentials { get; set; }

    /// <summary>Where <c>s3://</c> artifacts are fetched from; AWS S3 of the region when absent.</summary>
    public S3Access? S3 { get; set; }
}

/// <summary>
/// Where the nucleus takes AWS credentials from: exactly one of a Secret with static (or externally rotated) keys, or
/// the AWS IoT credentials provider, which exchanges the device certificate for temporary credentials of an IAM role
/// (through a role alias), as Greengrass does it.
/// </summary>
[CrdValidation("(has(self.secretRef) ? 1 : 0) + (has(self.iotCredentialsProvider) ? 1 : 0) == 1", Message = "set exactly one of secretRef or iotCredentialsProvider")]
public sealed class AwsCredentialsSource
{
    /// <summary>
    /// Secret in this namespace with the keys <c>accessKeyId</c> and <c>secretAccessKey</c>, and optionally
    /// <c>sessionToken</c> and <c>expiration</c> (RFC 3339). Mounted read-only into the nucleus pod; the operator never reads it.
    /// </summary>
    public SecretReference? SecretRef { get; set; }

    /// <summary>
    /// The AWS IoT credentials provider: the nucleus authenticates with the device certificate and key of
    /// <c>spec.identity.certificateSecretRef</c> (required with this source) and the CoreDevice's thing name, and
    /// caches the temporary credentials it gets until shortly before they expire.
    /// </summary>
    public IotCredentialsProvider? IotCredentialsProvider { get; set; }
}

/// <summary>
/// The AWS IoT credentials provider endpoint and the role alias the device assumes through it (the Greengrass nucleus
/// settings <c>iotCredEndpoint</c> and <c>iotRoleAlias</c>).
/// </summary>
public sealed class IotCredentialsProvider
{
    /// <summary>
    /// The account's credentials provider endpoint (<c>aws iot describe-endpoint --endpoint-type iot:CredentialProvider</c>),
    /// such as <c>c2abcdef.credentials.iot.eu-west-1.amazonaws.com</c>: a host name, optionally with <c>:port</c>
    /// (443 when absent), or the same written as an <c>https://</c> URL.
    /// </summary>
    [CrdPattern(Patterns.IotCredentialsEndpoint)]
    [CrdLength(Min = 1, Max = 261)]
    public string Endpoint { get; set; } = "";

    /// <summary>
    /// The AWS IoT role alias that points at the IAM role whose credentials the device gets, such as
    /// <c>GreengrassV2TokenExchangeRoleAlias</c>.
    /// </summary>
    [CrdPattern(Patterns.IotRoleAlias)]
    [CrdLength(Min = 1, Max = 128)]
    public string RoleAlias { get; set; } = "";
}

/// <summary>The S3 service <c>s3://</c> artifacts come from.</summary>
public sealed class S3Access
{
    /// <summary>
    /// Base URL of an S3-compatible store (such as MinIO on the edge site), for example <c>http://minio.edge:9000</c>;
    /// requests then use path-style addressing (<c>endpoint/bucket/key</c>). AWS S3 of the region, virtual-hosted style, when absent.
    /// </summary>
    [CrdPattern(Patterns.HttpUrl)]
    public string? Endpoint { get; set; }
}
