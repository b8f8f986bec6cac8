using Microsoft.Extensions.Logging;

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
    /// Reads what the operator puts into the nucleus pod (GG_AWS_REGION, GG_S3_ENDPOINT, and the credentials source:
    /// GG_AWS_CREDENTIALS_DIR for a mounted Secret, or GG_AWS_IOT_CRED_ENDPOINT, GG_AWS_IOT_ROLE_ALIAS and
    /// GG_AWS_IOT_IDENTITY_DIR for the AWS IoT credentials provider, asked as <paramref name="thingName"/>); null when none is set.
    /// </summary>
    /// <exception cref="FormatException">GG_S3_ENDPOINT is not an absolute http(s) URL, both credentials sources are set, or
    /// the credentials provider's variables are incomplete; the message names the variable.</exception>
    public static AwsSettings? FromEnvironment(Func<string, string?> env, string thingName, ILoggerFactory loggers, TimeProvider? time = null)
    {
        var region = env(RegionEnv);
        var directory = env(CredentialsDirEnv);
        var endpoint = env(S3EndpointEnv);
        var provider = IotCredentialsProviderSettings.FromEnvironment(env, thingName);
        if (string.IsNullOrEmpty(region) && string.IsNullOrEmpty(directory) && string.IsNullOrEmpty(endpoint) && provider is null)
        {
            return null;
        }

        Uri? endpointUri = null;
        if (!string.IsNullOrEmpty(endpoint) &&
            (!Uri.TryCreate(endpoint, UriKind.Absolute, out endpointUri) || endpointUri.Scheme is not ("http" or "https")))
        {
            throw new FormatException($"{S3EndpointEnv} must be an absolute http:// or https:// URL, got '{endpoint}'.");
        }

        if (!string.IsNullOrEmpty(directory) && provider is not null)
        {
            throw new FormatException($"set one credentials source: {CredentialsDirEnv} (a mounted Secret) or {IotCredentialsProviderSettings.EndpointEnv} (the AWS IoT credentials provider), not both.");
        }

        IAwsCredentialSource? source = provider is not null
            ? new IotCredentialsProviderSource(provider, time ?? TimeProvider.System, loggers.CreateLogger<IotCredentialsProviderSource>())
            : string.IsNullOrEmpty(directory) ? null : new MountedSecretCredentialSource(directory);
        return new AwsSettings(region ?? "", endpointUri, source);
    }
}
