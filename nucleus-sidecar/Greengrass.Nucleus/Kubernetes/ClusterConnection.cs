using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;

namespace Greengrass.Nucleus.Kubernetes;

/// <summary>
/// How the nucleus reaches the Kubernetes API with its own service-account token: the in-cluster
/// environment (KUBERNETES_SERVICE_HOST/PORT and /var/run/secrets/kubernetes.io/serviceaccount), or
/// the embedded edge cluster's equivalents (EDGECLUSTER_API_URL, EDGECLUSTER_SERVICEACCOUNT_DIR).
/// A raw HTTP client keeps the nucleus small: it needs four calls, not a whole client library.
/// </summary>
internal sealed class ClusterConnection : IDisposable
{
    private const string InClusterDir = "/var/run/secrets/kubernetes.io/serviceaccount";
    private readonly string _tokenFile;

    private ClusterConnection(Uri baseUri, string tokenFile, X509Certificate2? ca, string ns)
    {
        BaseUri = baseUri;
        _tokenFile = tokenFile;
        Namespace = ns;
        var handler = new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1) };
        if (ca is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == System.Net.Security.SslPolicyErrors.None || (certificate is X509Certificate2 presented && ChainsTo(presented, ca));
        }

        Http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public Uri BaseUri { get; }

    public string Namespace { get; }

    public HttpClient Http { get; }

    /// <summary>Reads the connection from the environment; null when the nucleus does not run in a pod.</summary>
    public static ClusterConnection? FromEnvironment(Func<string, string?> env)
    {
        var dir = env("EDGECLUSTER_SERVICEACCOUNT_DIR") ?? InClusterDir;
        var tokenFile = Path.Combine(dir, "token");
        var url = env("EDGECLUSTER_API_URL")
            ?? (env("KUBERNETES_SERVICE_HOST") is { } host ? $"https://{host}:{env("KUBERNETES_SERVICE_PORT") ?? "443"}" : null);
        if (url is null || !File.Exists(tokenFile))
        {
            return null;
        }

        var caFile = Path.Combine(dir, "ca.crt");
        var ca = File.Exists(caFile) ? X509CertificateLoader.LoadCertificateFromFile(caFile) : null;
        var ns = env("GG_NAMESPACE") ?? (File.Exists(Path.Combine(dir, "namespace")) ? File.ReadAllText(Path.Combine(dir, "namespace")).Trim() : "default");
        return new ClusterConnection(new Uri(url.TrimEnd('/') + "/"), tokenFile, ca, ns);
    }

    /// <summary>A request with the current token (re-read each time: projected tokens rotate).</summary>
    public HttpRequestMessage Request(HttpMethod method, string path, string? body = null, string? contentType = null)
    {
        var request = new HttpRequestMessage(method, new Uri(BaseUri, path.TrimStart('/')));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(_tokenFile).Trim());
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "application/json");
        }

        return request;
    }

    public void Dispose() => Http.Dispose();

    private static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
