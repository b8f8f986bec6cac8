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
/// Where the nucleus takes AWS credentials from. Today one source: a Secret with static (or externally rotated)
/// keys. Room is left for an AWS IoT credentials provider source (role alias and device certificate, as Greengrass
/// does it) beside <see cref="SecretRef"/>.
/// </summary>
public sealed class AwsCredentialsSource
{
    /// <summary>
    /// Secret in this namespace with the keys <c>accessKeyId</c> and <c>secretAccessKey</c>, and optionally
    /// <c>sessionToken</c> and <c>expiration</c> (RFC 3339). Mounted read-only into the nucleus pod; the operator never reads it.
    /// </summary>
    [CrdRequired]
    public SecretReference? SecretRef { get; set; }
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
