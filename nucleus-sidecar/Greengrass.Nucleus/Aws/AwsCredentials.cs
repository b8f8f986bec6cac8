namespace Greengrass.Nucleus.Aws;

/// <summary>
/// One set of AWS credentials. <see cref="ToString"/> never shows the secret or the session token, so a credentials
/// object that ends up in a log line or an exception message leaks nothing.
/// </summary>
internal sealed class AwsCredentials(string accessKeyId, string secretAccessKey, string? sessionToken = null, DateTimeOffset? expiration = null)
{
    public string AccessKeyId { get; } = accessKeyId;

    public string SecretAccessKey { get; } = secretAccessKey;

    /// <summary>Present for temporary credentials; sent as <c>X-Amz-Security-Token</c>.</summary>
    public string? SessionToken { get; } = string.IsNullOrEmpty(sessionToken) ? null : sessionToken;

    /// <summary>When temporary credentials stop working; null for long-term keys.</summary>
    public DateTimeOffset? Expiration { get; } = expiration;

    public override string ToString() => $"AwsCredentials {{ AccessKeyId = {AccessKeyId}, SecretAccessKey = (hidden), SessionToken = {(SessionToken is null ? "none" : "(hidden)")} }}";
}

/// <summary>Where the nucleus takes AWS credentials from: a mounted Secret, or the AWS IoT credentials provider.</summary>
internal interface IAwsCredentialSource
{
    /// <summary>Says where the credentials come from, for error messages (never the credentials themselves).</summary>
    string Description { get; }

    /// <exception cref="AwsCredentialsException">No usable credentials; the message says what is missing.</exception>
    Task<AwsCredentials> GetAsync(CancellationToken ct);
}

/// <summary>Credentials cannot be had; the message names what is missing and never contains a secret.</summary>
internal sealed class AwsCredentialsException(string message, Exception? inner = null, int? statusCode = null, bool unreachable = false) : Exception(message, inner)
{
    /// <summary>The HTTP status the credentials provider answered with; null when there was no answer or no provider.</summary>
    public int? StatusCode { get; } = statusCode;

    /// <summary>
    /// Worth trying again soon: the provider was unreachable or answered 5xx. A 4xx (an unknown role alias, a
    /// certificate without permission) or a configuration problem needs someone to act first.
    /// </summary>
    public bool IsTransient { get; } = unreachable || statusCode >= 500;
}
