using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;

namespace Greengrass.E2E.Tests.Support;

/// <summary>Plain HTTP requests to the API server with one bearer token, answering the status code (for authorization checks).</summary>
internal sealed class RawApi : IDisposable
{
    private readonly Kubernetes _client;

    public RawApi(string baseUrl, string token, string? caPem)
    {
        var config = new KubernetesClientConfiguration { Host = baseUrl, AccessToken = token };
        if (caPem is not null)
        {
            config.SslCaCerts = [X509Certificate2.CreateFromPem(caPem)];
        }

        _client = new Kubernetes(config);
    }

    /// <summary>The typed client acting with this token.</summary>
    public Kubernetes Client => _client;

    public async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path, string? body = null, string contentType = "application/merge-patch+json")
    {
        using var request = new HttpRequestMessage(method, new Uri(_client.BaseUri, path));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }

        await _client.Credentials.ProcessHttpRequestAsync(request, CancellationToken.None);
        using var response = await _client.HttpClient.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public void Dispose() => _client.Dispose();
}
