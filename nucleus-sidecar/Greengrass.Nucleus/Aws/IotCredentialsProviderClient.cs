using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Greengrass.Nucleus.Aws;

/// <summary>One answer of the credentials provider: its HTTP status and body (the body of a 200 holds secrets: never log it).</summary>
internal sealed record IotCredentialsProviderAnswer(int Status, string Body);

/// <summary>
/// One request to the AWS IoT credentials provider, as Greengrass makes it: <c>GET /role-aliases/ROLE/credentials</c> over
/// TLS with the device certificate as client certificate and the thing name in <c>x-amzn-iot-thingname</c>. The
/// certificate, key and CA are read from the mounted identity Secret on every request, so a rotated Secret is used on the
/// next refresh; requests are rare (once per credentials lifetime), which keeps a fresh connection cheap.
/// </summary>
internal static class IotCredentialsProviderClient
{
    /// <summary>A credentials document is under 2 KB: at most this much of an answer is read.</summary>
    private const int AnswerLimit = 64 * 1024;

    public const string ThingNameHeader = "x-amzn-iot-thingname";
    public const string CertificateFile = "tls.crt";
    public const string KeyFile = "tls.key";
    public const string CaFile = "ca.crt";

    /// <summary>How long one request may take, connection and TLS handshake included.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <exception cref="AwsCredentialsException">The identity cannot be read, or the provider cannot be reached (transient).</exception>
    public static async Task<IotCredentialsProviderAnswer> SendAsync(IotCredentialsProviderSettings settings, string description, CancellationToken ct)
    {
        var (certificate, intermediates, trust) = LoadIdentity(settings.IdentityDirectory, description);
        using var _ = certificate;
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificateContext = SslStreamCertificateContext.Create(certificate, intermediates, offline: true),
                RemoteCertificateValidationCallback = (_, server, _, errors) => IsTrusted(server as X509Certificate2, errors, trust),
            },
            PooledConnectionLifetime = TimeSpan.Zero,
        };
        using var http = new HttpClient(handler) { Timeout = RequestTimeout };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(settings.Endpoint, settings.CredentialsPath));
        request.Headers.TryAddWithoutValidation(ThingNameHeader, settings.ThingName);
        try
        {
            using var response = await http.SendAsync(request, ct);
            return new IotCredentialsProviderAnswer((int)response.StatusCode, await BoundedBody.ReadAsync(response, AnswerLimit, ct));
        }
        catch (HttpRequestException ex)
        {
            throw new AwsCredentialsException($"{description} cannot be reached: {Reason(ex)}", ex, unreachable: true);
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new AwsCredentialsException($"{description} did not answer within {RequestTimeout.TotalSeconds:F0} s.", ex, unreachable: true);
        }
    }

    /// <summary>The credentials of a 200 answer's body <c>{"credentials":{accessKeyId, secretAccessKey, sessionToken, expiration}}</c>, or why not (never quoting the body).</summary>
    public static (AwsCredentials? Credentials, string? Error) ParseCredentials(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object ||
                !document.RootElement.TryGetProperty("credentials", out var c) || c.ValueKind != JsonValueKind.Object)
            {
                return (null, "the answer has no 'credentials' object");
            }

            string? Text(string name) => c.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;
            var missing = new[] { "accessKeyId", "secretAccessKey", "sessionToken", "expiration" }.Where(n => Text(n) is null).ToList();
            if (missing.Count > 0)
            {
                return (null, $"the answer's credentials have no {string.Join(", ", missing)}");
            }

            return DateTimeOffset.TryParse(Text("expiration"), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var expiration)
                ? (new AwsCredentials(Text("accessKeyId")!, Text("secretAccessKey")!, Text("sessionToken"), expiration.ToUniversalTime()), null)
                : (null, "the answer's credentials.expiration is not a time");
        }
        catch (JsonException)
        {
            return (null, "the answer is not JSON");
        }
    }

    /// <summary>The provider's own explanation of an error answer (<c>{"message": …}</c>, else the text), one line, bounded.</summary>
    public static string ErrorMessage(string body)
    {
        var text = body;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.EnumerateObject().FirstOrDefault(p => p.Name.Equals("message", StringComparison.OrdinalIgnoreCase)) is { Value.ValueKind: JsonValueKind.String } message)
            {
                text = message.Value.GetString() ?? "";
            }
        }
        catch (JsonException)
        {
            // Not JSON: the text itself is the explanation.
        }

        text = string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return text.Length > 300 ? text[..300] + "…" : text;
    }

    private static (X509Certificate2 Certificate, X509Certificate2Collection Intermediates, X509Certificate2Collection? Trust) LoadIdentity(string directory, string description)
    {
        var certPath = Path.Combine(directory, CertificateFile);
        var keyPath = Path.Combine(directory, KeyFile);
        var caPath = Path.Combine(directory, CaFile);
        var where = $"the device identity mounted at {directory} (CoreDevice spec.identity.certificateSecretRef)";
        if (new[] { certPath, keyPath }.Where(p => !File.Exists(p)).Select(Path.GetFileName).ToList() is { Count: > 0 } missing)
        {
            throw new AwsCredentialsException($"{description}: {where} has no {string.Join(" and no ", missing)}.");
        }

        try
        {
            var certificate = X509Certificate2.CreateFromPemFile(certPath, keyPath);
            var chain = new X509Certificate2Collection();
            chain.ImportFromPemFile(certPath);
            var intermediates = new X509Certificate2Collection(chain.Where(c => c.Thumbprint != certificate.Thumbprint).ToArray());
            X509Certificate2Collection? trust = null;
            if (File.Exists(caPath))
            {
                trust = [];
                trust.ImportFromPemFile(caPath);
            }

            return (certificate, intermediates, trust);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new AwsCredentialsException($"{description}: {where}: {CertificateFile}, {KeyFile} or {CaFile} cannot be read as PEM ({ex.GetType().Name}: {ex.Message}).", ex);
        }
    }

    /// <summary>
    /// Trusted by the system roots, or chained to the identity Secret's <c>ca.crt</c> (Greengrass's root CA, such as
    /// AmazonRootCA1, or the edge site's own CA) with a matching host name.
    /// </summary>
    private static bool IsTrusted(X509Certificate2? server, SslPolicyErrors errors, X509Certificate2Collection? trust)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (server is null || trust is not { Count: > 0 } || errors != SslPolicyErrors.RemoteCertificateChainErrors)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trust);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(server);
    }

    private static string Reason(HttpRequestException ex)
    {
        // The innermost message says what broke (refused, no such host, TLS failure), without any secret.
        Exception inner = ex;
        while (inner.InnerException is { } next)
        {
            inner = next;
        }

        return ReferenceEquals(inner, ex) ? ex.Message : $"{ex.Message} ({inner.Message})";
    }
}
