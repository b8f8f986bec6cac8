using System.Globalization;

namespace Greengrass.Nucleus.Aws;

/// <summary>
/// Credentials from a Kubernetes Secret mounted as a folder (one file per key: <c>accessKeyId</c>,
/// <c>secretAccessKey</c>, optional <c>sessionToken</c> and <c>expiration</c>). The files are read on every call:
/// they are tiny, and the kubelet swaps them atomically when the Secret is rotated, so the next request uses the new keys.
/// </summary>
internal sealed class MountedSecretCredentialSource(string directory) : IAwsCredentialSource
{
    public const string AccessKeyIdKey = "accessKeyId";
    public const string SecretAccessKeyKey = "secretAccessKey";
    public const string SessionTokenKey = "sessionToken";
    public const string ExpirationKey = "expiration";

    public string Description => $"the credentials Secret mounted at {directory} (CoreDevice spec.aws.credentials.secretRef)";

    public async Task<AwsCredentials> GetAsync(CancellationToken ct)
    {
        if (!Directory.Exists(directory))
        {
            throw new AwsCredentialsException($"{Description} does not exist.");
        }

        var accessKeyId = await ReadAsync(AccessKeyIdKey, ct);
        var secret = await ReadAsync(SecretAccessKeyKey, ct);
        var missing = new[] { (AccessKeyIdKey, accessKeyId), (SecretAccessKeyKey, secret) }.Where(k => string.IsNullOrEmpty(k.Item2)).Select(k => k.Item1).ToList();
        if (missing.Count > 0)
        {
            throw new AwsCredentialsException($"{Description} has no {string.Join(" and no ", missing.Select(m => $"'{m}'"))} key (or it is empty).");
        }

        var expirationText = await ReadAsync(ExpirationKey, ct);
        DateTimeOffset? expiration = null;
        if (!string.IsNullOrEmpty(expirationText))
        {
            if (!DateTimeOffset.TryParse(expirationText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                throw new AwsCredentialsException($"{Description}: '{ExpirationKey}' is not an RFC 3339 time (got '{expirationText}').");
            }

            expiration = parsed.ToUniversalTime();
        }

        return new AwsCredentials(accessKeyId!, secret!, await ReadAsync(SessionTokenKey, ct), expiration);
    }

    private async Task<string?> ReadAsync(string key, CancellationToken ct)
    {
        var path = Path.Combine(directory, key);
        try
        {
            // A Secret written with `kubectl create secret --from-file` often keeps the file's trailing newline.
            return File.Exists(path) ? (await File.ReadAllTextAsync(path, ct)).Trim() : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AwsCredentialsException($"{Description}: cannot read '{key}': {ex.GetType().Name}.", ex);
        }
    }
}
