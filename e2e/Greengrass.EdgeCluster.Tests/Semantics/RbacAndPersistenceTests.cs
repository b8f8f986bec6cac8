using System.Net;
using Greengrass.EdgeCluster.Hosting;
using Greengrass.EdgeCluster.Tests.Support;
using k8s;
using k8s.Models;
using static Greengrass.EdgeCluster.Tests.Support.TestObjects;

namespace Greengrass.EdgeCluster.Tests.Semantics;

/// <summary>Service-account tokens with RBAC enforcement, and state that survives a restart with --state-dir.</summary>
public sealed class RbacAndPersistenceTests
{
    [Fact]
    public async Task Rbac_ServiceAccountToken_LimitedToRoleWithResourceNames()
    {
        await using var cluster = await global::Greengrass.EdgeCluster.Hosting.EdgeCluster.StartAsync(new EdgeClusterOptions { Http = true, Rbac = true, Kubelet = KubeletMode.None });
        using var admin = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.KubeconfigPath));
        await admin.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new() { Name = "device" } }, "default");
        await admin.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("mine"), "default");
        await admin.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("theirs"), "default");
        await admin.RbacAuthorizationV1.CreateNamespacedRoleAsync(new V1Role
        {
            Metadata = new() { Name = "device" },
            Rules =
            [
                new V1PolicyRule { ApiGroups = [""], Resources = ["configmaps"], Verbs = ["get", "update", "patch"], ResourceNames = ["mine"] },
                new V1PolicyRule { ApiGroups = [""], Resources = ["pods/status"], Verbs = ["patch"] },
            ],
        }, "default");
        await admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new() { Name = "device" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "device" },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "device", NamespaceProperty = "default" }],
        }, "default");
        var token = await admin.CoreV1.CreateNamespacedServiceAccountTokenAsync(new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec { ExpirationSeconds = 3600 } }, "device", "default");

        using var device = new Kubernetes(new KubernetesClientConfiguration { Host = cluster.BaseUrl, AccessToken = token.Status.Token });

        Assert.Equal("v", (await device.CoreV1.ReadNamespacedConfigMapAsync("mine", "default")).Data["k"]);
        var other = await FailsAsync(() => device.CoreV1.ReadNamespacedConfigMapAsync("theirs", "default"));
        Assert.Equal(HttpStatusCode.Forbidden, other.Response.StatusCode);
        Assert.Contains("system:serviceaccount:default:device", (string?)StatusOf(other)["message"]);
        var list = await FailsAsync(() => device.CoreV1.ListNamespacedConfigMapAsync("default"));
        Assert.Equal(HttpStatusCode.Forbidden, list.Response.StatusCode);
        var pods = await FailsAsync(() => device.CoreV1.ListNamespacedPodAsync("default"));
        Assert.Equal(HttpStatusCode.Forbidden, pods.Response.StatusCode);
        var forged = new Kubernetes(new KubernetesClientConfiguration { Host = cluster.BaseUrl, AccessToken = "forged" });
        var unauthorized = await FailsAsync(() => forged.CoreV1.ListNamespaceAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.Response.StatusCode);
    }

    [Fact]
    public async Task StateDir_RestartKeepsObjectsAndResourceVersions()
    {
        var dir = Directory.CreateTempSubdirectory("edgecluster-state-").FullName;
        try
        {
            string rv;
            await using (var first = await global::Greengrass.EdgeCluster.Hosting.EdgeCluster.StartAsync(new EdgeClusterOptions { Http = true, StateDir = dir, Kubelet = KubeletMode.None }))
            {
                using var k = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(first.KubeconfigPath));
                await CreateWidgetCrdAsync(k, "persist.example.com");
                await k.CustomObjects.CreateNamespacedCustomObjectAsync(Widget("persist.example.com", "w1", 3), "persist.example.com", "v1", "default", "widgets");
                var cm = await k.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("kept"), "default");
                await k.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("dropped"), "default");
                await k.CoreV1.DeleteNamespacedConfigMapAsync("dropped", "default");
                rv = cm.Metadata.ResourceVersion;
            }

            await using var second = await global::Greengrass.EdgeCluster.Hosting.EdgeCluster.StartAsync(new EdgeClusterOptions { Http = true, StateDir = dir, Kubelet = KubeletMode.None });
            using var k2 = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(second.KubeconfigPath));
            var kept = await k2.CoreV1.ReadNamespacedConfigMapAsync("kept", "default");
            Assert.Equal(rv, kept.Metadata.ResourceVersion);
            await FailsAsync(() => k2.CoreV1.ReadNamespacedConfigMapAsync("dropped", "default"));
            var widget = ToNode(await k2.CustomObjects.GetNamespacedCustomObjectAsync("persist.example.com", "v1", "default", "widgets", "w1"));
            Assert.Equal(3, (int)widget["spec"]!["size"]!);
            var next = await k2.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("after"), "default");
            Assert.True(long.Parse(next.Metadata.ResourceVersion) > long.Parse(rv), "resourceVersions keep growing across restarts");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
