using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Aws;

/// <summary>What the token exchange service needs from the nucleus.</summary>
/// <param name="ResolveToken">The component owning an SVCUID token, or null.</param>
/// <param name="IsDeployed">Whether <c>aws.greengrass.TokenExchangeService</c> is in the device's deployment now.</param>
/// <param name="Credentials">Where the credentials come from; null when the device has none configured.</param>
/// <param name="Time">Clock for the Expiration of long-term keys.</param>
/// <param name="Logger">Where refusals are logged (never a credential).</param>
internal sealed record TokenExchangeOptions(
    Func<string, string?> ResolveToken, Func<bool> IsDeployed, IAwsCredentialSource? Credentials, TimeProvider Time, ILogger Logger);

/// <summary>
/// <c>aws.greengrass.TokenExchangeService</c>: serves the device's AWS credentials to components on loopback HTTP at
/// <c>/2016-11-01/credentialprovider/</c>, in the container-credentials shape every AWS SDK's default chain reads
/// (AWS_CONTAINER_CREDENTIALS_FULL_URI + AWS_CONTAINER_AUTHORIZATION_TOKEN). Every request must carry a component's
/// token in <c>Authorization</c>: 401 without one, 403 with an unknown one. Like Greengrass: 405 for other methods,
/// 400 for other paths, 500 when there are no credentials to give (the credentials provider's own status when it
/// answered with an error).
/// </summary>
internal sealed class TokenExchangeServer : IAsyncDisposable
{
    public const string ComponentName = "aws.greengrass.TokenExchangeService";
    public const string CredentialsPath = "/2016-11-01/credentialprovider/";

    /// <summary>
    /// The Expiration given for long-term keys (which have none): when SDKs ask again, so a rotated Secret is picked up
    /// within the hour. An hour keeps SDKs that refresh 15 minutes early (botocore) from asking on every call.
    /// </summary>
    public static readonly TimeSpan LongTermKeysRefresh = TimeSpan.FromHours(1);

    private readonly WebApplication _app;

    private TokenExchangeServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The AWS_CONTAINER_CREDENTIALS_FULL_URI components get (127.0.0.1: no resolver or IPv6 ordering involved).</summary>
    public Uri CredentialsUri => new($"http://127.0.0.1:{Port}{CredentialsPath}");

    /// <summary>Listens on 127.0.0.1 at <paramref name="port"/> (0: a free port, as the Greengrass default).</summary>
    public static async Task<TokenExchangeServer> StartAsync(TokenExchangeOptions options, int port, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.Run(context => HandleAsync(context, options));
        await app.StartAsync(ct);
        var bound = new Uri(app.Urls.First()).Port;
        var server = new TokenExchangeServer(app, bound);
        AwsLog.TesListening(options.Logger, server.CredentialsUri);
        return server;
    }

    private static async Task HandleAsync(HttpContext context, TokenExchangeOptions options)
    {
        var (status, body, component) = Authorize(context.Request, options);
        if (status == StatusCodes.Status200OK)
        {
            (status, body) = await CredentialsAsync(component!, options, context.RequestAborted);
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = status == StatusCodes.Status200OK ? "application/json" : "text/plain; charset=utf-8";
        await context.Response.WriteAsync(body, context.RequestAborted);
    }

    private static (int Status, string Body, string? Component) Authorize(HttpRequest request, TokenExchangeOptions options)
    {
        (int, string, string?) Refuse(int status, string reason)
        {
            AwsLog.TesRefused(options.Logger, reason);
            return (status, reason, null);
        }

        if (!HttpMethods.IsGet(request.Method))
        {
            return Refuse(StatusCodes.Status405MethodNotAllowed, $"{request.Method} is not supported; use GET.");
        }

        if (request.Path.Value != CredentialsPath)
        {
            return Refuse(StatusCodes.Status400BadRequest, $"unknown path {request.Path.Value}; credentials are at {CredentialsPath}.");
        }

        var token = request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(token))
        {
            return Refuse(StatusCodes.Status401Unauthorized, "no Authorization header; send the component's AWS_CONTAINER_AUTHORIZATION_TOKEN.");
        }

        if (options.ResolveToken(token) is not { } component)
        {
            return Refuse(StatusCodes.Status403Forbidden, "the Authorization token belongs to no running component.");
        }

        return options.IsDeployed()
            ? (StatusCodes.Status200OK, "", component)
            : Refuse(StatusCodes.Status503ServiceUnavailable, $"{ComponentName} is not in this device's deployment.");
    }

    private static async Task<(int Status, string Body)> CredentialsAsync(string component, TokenExchangeOptions options, CancellationToken ct)
    {
        if (options.Credentials is not { } source)
        {
            const string reason = "this device has no AWS credentials configured (CoreDevice spec.aws.credentials).";
            AwsLog.TesNoCredentials(options.Logger, component, reason);
            return (StatusCodes.Status500InternalServerError, reason);
        }

        try
        {
            var credentials = await source.GetAsync(ct);
            AwsLog.TesServed(options.Logger, component);
            return (StatusCodes.Status200OK, Serialize(credentials, options.Time.GetUtcNow()));
        }
        catch (AwsCredentialsException ex)
        {
            // Like Greengrass: an error answer of the credentials provider reaches the component with the provider's
            // status (a 403 for a role the certificate may not assume), anything else as 500.
            AwsLog.TesNoCredentials(options.Logger, component, ex.Message);
            return (ex.StatusCode is >= 400 and < 600 ? ex.StatusCode.Value : StatusCodes.Status500InternalServerError, ex.Message);
        }
    }

    /// <summary>
    /// The container-credentials document. Token and Expiration are always strings: the JavaScript SDK v3 and botocore
    /// refuse a document without them, so long-term keys get an empty Token and <see cref="LongTermKeysRefresh"/>.
    /// </summary>
    internal static string Serialize(AwsCredentials credentials, DateTimeOffset now)
    {
        var expiration = credentials.Expiration ?? now + LongTermKeysRefresh;
        return JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["AccessKeyId"] = credentials.AccessKeyId,
            ["SecretAccessKey"] = credentials.SecretAccessKey,
            ["Token"] = credentials.SessionToken ?? "",
            ["Expiration"] = expiration.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
