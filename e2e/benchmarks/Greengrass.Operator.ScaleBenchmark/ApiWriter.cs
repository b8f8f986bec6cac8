using System.Text;
using k8s;
using k8s.Models;

namespace Greengrass.Operator.ScaleBenchmark;

/// <summary>The admin client of the cluster: raw JSON writes of custom resources and typed reads.</summary>
internal sealed class ApiWriter(string kubeconfig) : IDisposable
{
    public Kubernetes Client { get; } = new(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));

    public async Task ApplyCrdsAsync(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory, "*.yaml").Order(StringComparer.Ordinal))
        {
            var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(file));
            await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        }
    }

    public async Task PostAsync(string path, object resource)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Client.BaseUri, path))
        {
            Content = new StringContent(KubernetesJson.Serialize(resource), Encoding.UTF8, "application/json"),
        };
        await Client.Credentials.ProcessHttpRequestAsync(request, CancellationToken.None);
        using var response = await Client.HttpClient.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    public void Dispose() => Client.Dispose();
}
