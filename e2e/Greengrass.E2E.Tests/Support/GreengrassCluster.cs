using System.Net;
using System.Text.Json;
using Greengrass.Api;
using Greengrass.EdgeCluster.Hosting;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Greengrass.E2E.Tests.Support;

/// <summary>
/// An embedded edge cluster with the Greengrass CRDs applied and the operator running as a separate
/// process against it through its kubeconfig, exactly as it would against k3s.
/// </summary>
internal sealed class GreengrassCluster : IAsyncDisposable
{
    private readonly List<ChildProcess> _operators = [];

    private readonly EdgeClusterOptions _options;

    private GreengrassCluster(EdgeClusterHandle cluster, Kubernetes client, EdgeClusterOptions options)
    {
        Cluster = cluster;
        Client = client;
        _options = options;
    }

    public EdgeClusterHandle Cluster { get; private set; }

    public Kubernetes Client { get; private set; }

    public IReadOnlyList<ChildProcess> Operators => _operators;

    public static async Task<GreengrassCluster> StartAsync(Action<EdgeClusterOptions>? configure = null)
    {
        var options = new EdgeClusterOptions { Kubelet = KubeletMode.Simulated };
        options.Nodes =
        [
            new NodeSpec { Name = "edge-node-1", Labels = new() { ["kubernetes.io/os"] = "linux", ["kubernetes.io/arch"] = "amd64", ["site"] = "north" } },
            new NodeSpec { Name = "edge-node-2", Labels = new() { ["kubernetes.io/os"] = "linux", ["kubernetes.io/arch"] = "arm64", ["site"] = "south" } },
        ];
        configure?.Invoke(options);
        var cluster = await EdgeCluster.Hosting.EdgeCluster.StartAsync(options);
        var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.KubeconfigPath));
        var result = new GreengrassCluster(cluster, client, options);
        await result.ApplyCrdsAsync();
        return result;
    }

    /// <summary>Starts one operator replica; more than one compete for the lease.</summary>
    public ChildProcess StartOperator(string identity = "operator-1", bool leaderElection = false, params string[] extra) =>
        StartOperator(identity, leaderElection, "Information", extra);

    /// <summary>Starts one operator replica logging at <paramref name="logLevel"/> (Debug shows one line per reconcile).</summary>
    public ChildProcess StartOperator(string identity, bool leaderElection, string logLevel, params string[] extra)
    {
        var process = ChildProcess.StartDotnet(Repository.OperatorDll,
        [
            "operator", "run", "--kubeconfig", Cluster.KubeconfigPath, "--metrics-port", "0", "--health-port", "0",
            "--leader-election", leaderElection ? "true" : "false", "--identity", identity, "--lease-namespace", "default",
            // Replicas in one test would clash on the default discovery port.
            .. extra.Any(a => a.StartsWith("--discovery", StringComparison.Ordinal)) ? Array.Empty<string>() : ["--discovery-port", "0"],
            .. extra,
        ], new Dictionary<string, string> { ["Logging__LogLevel__Default"] = logLevel });
        _operators.Add(process);
        return process;
    }

    /// <summary>
    /// Stops the API server and starts a new one on the same port, state directory and admin token, so
    /// running operators keep a valid kubeconfig (the cluster must use plain HTTP, a fixed port, a
    /// <see cref="EdgeClusterOptions.StateDir"/> and an <see cref="EdgeClusterOptions.AdminToken"/>).
    /// </summary>
    public async Task RestartApiServerAsync()
    {
        if (!_options.Http || _options.Port == 0 || _options.StateDir is null || _options.AdminToken is null)
        {
            throw new InvalidOperationException("a restartable cluster needs Http, a fixed Port, a StateDir and an AdminToken");
        }

        Client.Dispose();
        await Cluster.DisposeAsync();
        Cluster = await EdgeCluster.Hosting.EdgeCluster.StartAsync(_options);
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Cluster.KubeconfigPath));
    }

    public async Task CreateNamespaceAsync(string name) =>
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });

    public Task<T> CreateAsync<T>(T resource, string plural)
        where T : IKubernetesObject<V1ObjectMeta> =>
        SendAsync<T>(HttpMethod.Post, $"apis/{GreengrassApi.Group}/{GreengrassApi.Version}/namespaces/{resource.Metadata.NamespaceProperty}/{plural}",
            KubernetesJson.Serialize(resource), "application/json");

    public async Task<T?> GetAsync<T>(string ns, string plural, string name)
        where T : class
    {
        try
        {
            return await SendAsync<T>(HttpMethod.Get, $"apis/{GreengrassApi.Group}/{GreengrassApi.Version}/namespaces/{ns}/{plural}/{name}", null, null);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task<T> MergePatchAsync<T>(string ns, string plural, string name, object patch, string? subresource = null) =>
        SendAsync<T>(HttpMethod.Patch, $"apis/{GreengrassApi.Group}/{GreengrassApi.Version}/namespaces/{ns}/{plural}/{name}" + (subresource is null ? string.Empty : $"/{subresource}"),
            JsonSerializer.Serialize(patch), "application/merge-patch+json");

    public Task DeleteAsync(string ns, string plural, string name) =>
        SendAsync<object>(HttpMethod.Delete, $"apis/{GreengrassApi.Group}/{GreengrassApi.Version}/namespaces/{ns}/{plural}/{name}", null, null);

    /// <summary>Fails when the operator logged an error it should not have.</summary>
    public void AssertNoOperatorErrors()
    {
        foreach (var process in _operators)
        {
            var errors = process.Errors.ToList();
            Assert.True(errors.Count == 0, "the operator logged errors:\n" + string.Join('\n', errors));
        }
    }

    public string OperatorLogs => string.Join("\n---\n", _operators.Select(o => o.Log));

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _operators)
        {
            await process.DisposeAsync();
        }

        // Keep the operators' logs for a failed run: set GG_E2E_LOG_DIR to a folder.
        if (Environment.GetEnvironmentVariable("GG_E2E_LOG_DIR") is { Length: > 0 } dir)
        {
            Directory.CreateDirectory(dir);
            await File.WriteAllTextAsync(Path.Combine(dir, $"operator-{Guid.NewGuid():N}.log"), OperatorLogs);
        }

        Client.Dispose();
        await Cluster.DisposeAsync();
    }

    private async Task ApplyCrdsAsync()
    {
        foreach (var file in Directory.EnumerateFiles(Repository.Crds, "*.yaml").Order(StringComparer.Ordinal))
        {
            var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(file));
            await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        }
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, string? body, string? contentType)
    {
        using var request = new HttpRequestMessage(method, new Uri(new Uri(Cluster.BaseUrl + "/"), path));
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType!);
        }

        await Client.Credentials.ProcessHttpRequestAsync(request, CancellationToken.None);
        using var response = await Client.HttpClient.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpOperationException($"{method} {path}: {(int)response.StatusCode} {text}")
            {
                Response = new HttpResponseMessageWrapper(response, text),
            };
        }

        return KubernetesJson.Deserialize<T>(text);
    }
}
