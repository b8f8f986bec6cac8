namespace Greengrass.Nucleus.Aws;

/// <summary>
/// The device's access to AWS or an S3-compatible store (CoreDevice <c>spec.aws</c>): region, S3 endpoint and credential
/// source. Used to sign <c>s3://</c> artifact downloads and served to components by the token exchange service.
/// </summary>
internal sealed record AwsSettings(string Region, Uri? S3Endpoint, IAwsCredentialSource? Credentials)
{
    public const string RegionEnv = "GG_AWS_REGION";
    public const string CredentialsDirEnv = "GG_AWS_CREDENTIALS_DIR";
    public const string S3EndpointEnv = "GG_S3_ENDPOINT";

    /// <summary>
    /// Reads what the operator puts into the nucleus pod (GG_AWS_REGION, GG_AWS_CREDENTIALS_DIR, GG_S3_ENDPOINT);
    /// null when none is set.
    /// </summary>
    /// <exception cref="FormatException">GG_S3_ENDPOINT is not an absolute http(s) URL; the message names it.</exception>
    public static AwsSettings? FromEnvironment(Func<string, string?> env)
    {
        var region = env(RegionEnv);
        var directory = env(CredentialsDirEnv);
        var endpoint = env(S3EndpointEnv);
        if (string.IsNullOrEmpty(region) && string.IsNullOrEmpty(directory) && string.IsNullOrEmpty(endpoint))
        {
            return null;
        }

        Uri? endpointUri = null;
        if (!string.IsNullOrEmpty(endpoint) &&
            (!Uri.TryCreate(endpoint, UriKind.Absolute, out endpointUri) || endpointUri.Scheme is not ("http" or "https")))
        {
            throw new FormatException($"{S3EndpointEnv} must be an absolute http:// or https:// URL, got '{endpoint}'.");
        }

        return new AwsSettings(region ?? "", endpointUri, string.IsNullOrEmpty(directory) ? null : new MountedSecretCredentialSource(directory));
    }
}
