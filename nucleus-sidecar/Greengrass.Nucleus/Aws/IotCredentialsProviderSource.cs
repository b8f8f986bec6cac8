using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Aws;

/// <summary>
/// Credentials from the AWS IoT credentials provider, cached the way Greengrass's token exchange service caches them:
/// good credentials until <see cref="RefreshBeforeExpiry"/> before they expire; an error answer of the provider for a
/// while, so a device with a wrong role alias does not ask on every component request (4xx: 2 minutes, 5xx: 1 minute,
/// other: 5 minutes); an unreachable provider or a bad answer not at all. Concurrent callers share one request. Used by
/// the token exchange service and the <c>s3://</c> downloader alike, so both hold the same credentials.
/// </summary>
internal sealed class IotCredentialsProviderSource(IotCredentialsProviderSettings settings, TimeProvider time, ILogger logger) : IAwsCredentialSource
{
    public static readonly TimeSpan RefreshBeforeExpiry = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan ClientErrorCaching = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan ServerErrorCaching = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan OtherErrorCaching = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _fetching = new(1, 1);
    private volatile Cached? _cached;

    /// <summary>A result and until when it stands; exactly one of credentials and error is set.</summary>
    private sealed record Cached(AwsCredentials? Credentials, AwsCredentialsException? Error, DateTimeOffset Until);

    public IotCredentialsProviderSettings Settings => settings;

    public string Description =>
        $"the AWS IoT credentials provider {settings.Endpoint.Authority} (role alias {settings.RoleAlias}, CoreDevice spec.aws.credentials.iotCredentialsProvider)";

    public async Task<AwsCredentials> GetAsync(CancellationToken ct)
    {
        if (Current() is { } hit)
        {
            return Unwrap(hit);
        }

        await _fetching.WaitAsync(ct);
        try
        {
            // Whoever waited here while another caller fetched takes that result.
            if (Current() is { } fetched)
            {
                return Unwrap(fetched);
            }

            var fresh = await FetchAsync(ct);
            _cached = fresh;
            return Unwrap(fresh);
        }
        finally
        {
            _fetching.Release();
        }
    }

    private Cached? Current() => _cached is { } cached && time.GetUtcNow() < cached.Until ? cached : null;

    private static AwsCredentials Unwrap(Cached cached) =>
        cached.Credentials ?? throw new AwsCredentialsException(cached.Error!.Message, cached.Error, cached.Error.StatusCode, cached.Error.IsTransient);

    private async Task<Cached> FetchAsync(CancellationToken ct)
    {
        IotCredentialsProviderAnswer answer;
        try
        {
            answer = await IotCredentialsProviderClient.SendAsync(settings, Description, ct);
        }
        catch (AwsCredentialsException ex)
        {
            AwsLog.IotCredentialsUnavailable(logger, settings.Endpoint.Authority, settings.RoleAlias, ex.Message);
            return new Cached(null, ex, time.GetUtcNow());
        }

        var now = time.GetUtcNow();
        if (answer.Status != 200)
        {
            var message = IotCredentialsProviderClient.ErrorMessage(answer.Body);
            var until = now + (answer.Status switch { >= 400 and < 500 => ClientErrorCaching, >= 500 and < 600 => ServerErrorCaching, _ => OtherErrorCaching });
            AwsLog.IotCredentialsRefused(logger, settings.Endpoint.Authority, settings.RoleAlias, answer.Status, message, until);
            var error = new AwsCredentialsException(
                $"{Description} answered {answer.Status}{(message.Length > 0 ? $": {message}" : "")}", statusCode: answer.Status);
            return new Cached(null, error, until);
        }

        return Accept(answer.Body, now);
    }

    private Cached Accept(string body, DateTimeOffset now)
    {
        var (credentials, problem) = IotCredentialsProviderClient.ParseCredentials(body);
        if (credentials is null || credentials.Expiration <= now)
        {
            problem ??= $"the credentials it returned expired at {credentials!.Expiration:u}";
            AwsLog.IotCredentialsUnavailable(logger, settings.Endpoint.Authority, settings.RoleAlias, problem);
            return new Cached(null, new AwsCredentialsException($"{Description} gave an unusable answer: {problem}.", statusCode: 500), now);
        }

        // Refreshed a little early, so no caller gets credentials that expire while it uses them.
        var until = credentials.Expiration!.Value - RefreshBeforeExpiry;
        if (until <= now)
        {
            AwsLog.IotCredentialsShortLived(logger, settings.Endpoint.Authority, settings.RoleAlias, credentials.Expiration.Value, RefreshBeforeExpiry.TotalMinutes);
        }
        else
        {
            AwsLog.IotCredentialsReceived(logger, settings.Endpoint.Authority, settings.RoleAlias, until);
        }

        return new Cached(credentials, null, until);
    }
}
