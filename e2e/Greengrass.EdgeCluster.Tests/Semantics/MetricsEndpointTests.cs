using System.Net;
using System.Net.Http.Headers;
using Greengrass.EdgeCluster.Tests.Support;
using k8s;
using k8s.Models;
using static Greengrass.EdgeCluster.Tests.Support.TestObjects;

namespace Greengrass.EdgeCluster.Tests.Semantics;

/// <summary>The emulator's /metrics: what a scale run reads to see where write latency goes.</summary>
[Collection(ClusterCollection.Name)]
public sealed class MetricsEndpointTests(ClusterTargets targets)
{
    [Fact]
    public async Task Metrics_Admin_ReportsLockHistogramsAndGcPauses()
    {
        using var k = targets.ClientFor(ClusterTargets.Emulator);
        var ns = await NamespaceAsync(k);
        await k.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("m1"), ns);

        var (status, text) = await GetMetricsAsync(k, targets.Cluster.Token);

        Assert.Equal(HttpStatusCode.OK, status);
        var creates = text.Split('\n').Single(l => l.StartsWith("edgecluster_store_lock_hold_seconds_count{op=\"create\"} ", StringComparison.Ordinal));
        Assert.True(double.Parse(creates.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) >= 2); // the namespace and the ConfigMap
        Assert.Contains("dotnet_gc_pause_seconds_bucket{le=\"+Inf\"}", text, StringComparison.Ordinal);
        Assert.Contains("process_resident_memory_bytes ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_ServiceAccount_Forbidden403()
    {
        using var k = targets.ClientFor(ClusterTargets.Emulator);
        var ns = await NamespaceAsync(k);
        await k.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new() { Name = "reader" } }, ns);
        var token = await k.CoreV1.CreateNamespacedServiceAccountTokenAsync(
            new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec { ExpirationSeconds = 3600 } }, "reader", ns);

        var (status, _) = await GetMetricsAsync(k, token.Status.Token);

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    private static async Task<(HttpStatusCode Status, string Text)> GetMetricsAsync(Kubernetes k, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(k.BaseUri, "/metrics"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await k.HttpClient.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
