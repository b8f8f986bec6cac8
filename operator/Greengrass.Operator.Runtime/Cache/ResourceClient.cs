using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Greengrass.Operator.Runtime.Cache;

/// <summary>One event of a watch stream.</summary>
public readonly record struct WatchEvent<T>(string Type, T? Object, V1Status? Status);

/// <summary>The list of a collection and the resourceVersion it was read at.</summary>
public sealed record ListResult<T>(IReadOnlyList<T> Items, string ResourceVersion);

/// <summary>Thrown when the API answers a watch with 410 Gone: the requested version left its window; relist.</summary>
public sealed class ResourceVersionTooOldException(string message) : Exception(message);

/// <summary>
/// Typed access to any resource type over KubernetesClient's authenticated HTTP client: list and
/// watch (we own the watch loop: bookmarks, 410, timeouts), get, create, replace, patch, delete.
/// Errors surface as <see cref="HttpOperationException"/> with the status code, like
/// KubernetesClient's generated methods, so controllers handle 404 and 409 uniformly.
/// </summary>
public sealed class ResourceClient(Kubernetes client)
{
    /// <summary>Lists the collection.</summary>
    public async Task<ListResult<T>> ListAsync<T>(ResourceType type, string? ns, string? labelSelector, CancellationToken cancellationToken)
    {
        var query = labelSelector is null ? string.Empty : $"?labelSelector={Uri.EscapeDataString(labelSelector)}";
        using var response = await SendAsync(type.CollectionPath(ns) + query, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var list = KubernetesJson.Deserialize<ListShape<T>>(body);
        return new ListResult<T>(list.Items ?? [], list.Metadata?.ResourceVersion ?? string.Empty);
    }

    /// <summary>Watches the collection from <paramref name="resourceVersion"/>, with bookmarks, until the server ends the stream.</summary>
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(ResourceType type, string? ns, string? labelSelector, string resourceVersion,
        TimeSpan serverTimeout, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = $"?watch=true&allowWatchBookmarks=true&resourceVersion={Uri.EscapeDataString(resourceVersion)}&timeoutSeconds={(int)serverTimeout.TotalSeconds}";
        if (labelSelector is not null)
        {
            query += $"&labelSelector={Uri.EscapeDataString(labelSelector)}";
        }

        using var response = await SendAsync(type.CollectionPath(ns) + query, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var document = JsonDocument.Parse(line);
            var eventType = document.RootElement.GetProperty("type").GetString() ?? string.Empty;
            var raw = document.RootElement.GetProperty("object").GetRawText();
            if (eventType == "ERROR")
            {
                var status = KubernetesJson.Deserialize<V1Status>(raw);
                if (status.Code == (int)HttpStatusCode.Gone)
                {
                    throw new ResourceVersionTooOldException(status.Message ?? "resource version too old");
                }

                yield return new WatchEvent<T>(eventType, default, status);
                continue;
            }

            yield return new WatchEvent<T>(eventType, KubernetesJson.Deserialize<T>(raw), null);
        }
    }

    /// <summary>Reads one object; null when it does not exist.</summary>
    public async Task<T?> GetAsync<T>(ResourceType type, string? ns, string name, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await SendForObjectAsync<T>(HttpMethod.Get, ObjectPath(type, ns, name), null, null, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Creates an object; 409 AlreadyExists surfaces as an exception.</summary>
    public Task<T> CreateAsync<T>(ResourceType type, string? ns, T obj, CancellationToken cancellationToken)
        where T : class =>
        SendForObjectAsync<T>(HttpMethod.Post, type.CollectionPath(ns), KubernetesJson.Serialize(obj), "application/json", cancellationToken);

    /// <summary>Replaces an object (or its status subresource when <paramref name="subresource"/> is "status"); the object's resourceVersion is the precondition.</summary>
    public Task<T> ReplaceAsync<T>(ResourceType type, string? ns, string name, T obj, string? subresource, CancellationToken cancellationToken)
        where T : class =>
        SendForObjectAsync<T>(HttpMethod.Put, ObjectPath(type, ns, name, subresource), KubernetesJson.Serialize(obj), "application/json", cancellationToken);

    /// <summary>Applies a JSON merge patch (RFC 7386) to an object or one of its subresources.</summary>
    public Task<T> MergePatchAsync<T>(ResourceType type, string? ns, string name, string patch, string? subresource, CancellationToken cancellationToken)
        where T : class =>
        SendForObjectAsync<T>(HttpMethod.Patch, ObjectPath(type, ns, name, subresource), patch, "application/merge-patch+json", cancellationToken);

    /// <summary>Deletes an object; false when it was already gone.</summary>
    public async Task<bool> DeleteAsync(ResourceType type, string? ns, string name, string propagationPolicy, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await SendAsync(HttpMethod.Delete, ObjectPath(type, ns, name) + $"?propagationPolicy={propagationPolicy}", null, null,
                HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private static string ObjectPath(ResourceType type, string? ns, string name, string? subresource = null) =>
        $"{type.CollectionPath(ns)}/{Uri.EscapeDataString(name)}" + (subresource is null ? string.Empty : $"/{subresource}");

    private async Task<T> SendForObjectAsync<T>(HttpMethod method, string path, string? body, string? contentType, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, path, body, contentType, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        return KubernetesJson.Deserialize<T>(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
    }

    private Task<HttpResponseMessage> SendAsync(string pathAndQuery, HttpCompletionOption completion, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, pathAndQuery, null, null, completion, cancellationToken);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string pathAndQuery, string? body, string? contentType,
        HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        var baseUri = client.BaseUri.AbsoluteUri.EndsWith('/') ? client.BaseUri : new Uri(client.BaseUri.AbsoluteUri + "/");
        using var request = new HttpRequestMessage(method, new Uri(baseUri, pathAndQuery.TrimStart('/')));
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType ?? "application/json");
        }

        if (client.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var response = await client.HttpClient.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Gone && method == HttpMethod.Get)
        {
            response.Dispose();
            throw new ResourceVersionTooOldException($"GET {pathAndQuery}: 410 Gone");
        }

        if (!response.IsSuccessStatusCode)
        {
            var error = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new HttpOperationException($"{method} {pathAndQuery}: {(int)response.StatusCode} {error}")
            {
                Request = new HttpRequestMessageWrapper(request, body ?? string.Empty),
                Response = new HttpResponseMessageWrapper(response, error),
            };
        }

        return response;
    }

    private sealed class ListShape<T>
    {
        public V1ListMeta? Metadata { get; set; }

        public List<T>? Items { get; set; }
    }
}
