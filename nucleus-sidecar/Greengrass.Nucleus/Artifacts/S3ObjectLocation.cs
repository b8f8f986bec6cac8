using Greengrass.Nucleus.Aws;

namespace Greengrass.Nucleus.Artifacts;

/// <summary>An S3 object request target: the URL to GET, the host header and the path exactly as signed.</summary>
internal sealed record S3RequestTarget(Uri Url, string Host, string Path);

/// <summary>
/// The bucket and key of an <c>s3://bucket/key</c> artifact URI, and where to fetch it: virtual-hosted style on AWS
/// (<c>https://bucket.s3.region.amazonaws.com/key</c>; path style for bucket names with dots, which the S3 wildcard
/// certificate does not cover), path style on a custom endpoint (<c>endpoint/bucket/key</c>, as MinIO and other
/// S3-compatible stores expect).
/// </summary>
internal sealed record S3ObjectLocation(string Bucket, string Key)
{
    private static readonly UriCreationOptions Verbatim = new() { DangerousDisablePathAndQueryCanonicalization = true };

    /// <exception cref="ArtifactException">Not an <c>s3://bucket/key</c> URI (S3_ARTIFACT_URI_NOT_VALID).</exception>
    public static S3ObjectLocation Parse(string uri, string artifactName)
    {
        const string prefix = "s3://";
        var rest = uri.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? uri[prefix.Length..] : null;
        var slash = rest?.IndexOf('/') ?? -1;
        if (rest is null || slash <= 0 || slash == rest.Length - 1)
        {
            throw new ArtifactException(ArtifactErrorCodes.S3UriNotValid,
                $"{artifactName}: '{uri}' is not a valid S3 artifact URI; write s3://<bucket>/<key>.");
        }

        return new S3ObjectLocation(rest[..slash], rest[(slash + 1)..]);
    }

    public override string ToString() => $"s3://{Bucket}/{Key}";

    /// <summary>The request target for <paramref name="region"/>, on AWS or on <paramref name="endpoint"/>.</summary>
    public S3RequestTarget TargetFor(Uri? endpoint, string region)
    {
        var key = string.Join('/', Key.Split('/').Select(SigV4Signer.UriEncode));
        if (endpoint is not null)
        {
            var basePath = endpoint.AbsolutePath.TrimEnd('/');
            var path = $"{basePath}/{SigV4Signer.UriEncode(Bucket)}/{key}";
            return Target(endpoint.Scheme, endpoint.Authority, path);
        }

        var domain = region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
        return Bucket.Contains('.', StringComparison.Ordinal)
            ? Target("https", $"s3.{region}.{domain}", $"/{SigV4Signer.UriEncode(Bucket)}/{key}")
            : Target("https", $"{Bucket}.s3.{region}.{domain}", $"/{key}");
    }

    private static S3RequestTarget Target(string scheme, string authority, string path) =>
        new(new Uri($"{scheme}://{authority}{path}", in Verbatim), authority, path);
}
