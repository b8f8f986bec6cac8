using System.Net;
using System.Text.Json;
using Greengrass.Api;
using Greengrass.E2E.Tests.Support;
using k8s;
using k8s.Models;

namespace Greengrass.E2E.Tests;

/// <summary>
/// With RBAC enforced, a nucleus acting with its own ServiceAccount token reaches its own plan, its own
/// CoreDevice status and its own pod status, and nothing that belongs to another device.
/// </summary>
public sealed class LeastPrivilegeTests(LeastPrivilegeTests.RbacFleet fleet) : IClassFixture<LeastPrivilegeTests.RbacFleet>
{
    private const string Ns = "least-privilege";
    private readonly GreengrassCluster _gg = fleet.Cluster;
    private readonly RawApi _edgeA = fleet.EdgeA;

    /// <summary>One RBAC-enforcing cluster with two devices and edge-a's nucleus token, shared by the tests.</summary>
    public sealed class RbacFleet : IAsyncLifetime
    {
        internal GreengrassCluster Cluster { get; private set; } = null!;

        internal RawApi EdgeA { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Cluster = await GreengrassCluster.StartAsync(o => o.Rbac = true);
            Cluster.StartOperator();
            await Fleet.ArrangeAsync(Cluster, Ns);
            await Fleet.PlanAsync(Cluster, Ns, "edge-a");
            await Fleet.PlanAsync(Cluster, Ns, "edge-b");
            await Eventually.True(async () => (await Cluster.Client.CoreV1.ListNamespacedPodAsync(Ns)).Items.Count(p => p.Metadata.Name.EndsWith("-nucleus", StringComparison.Ordinal)) == 2,
                "both nucleus pods");
            await Eventually.True(async () => (await Cluster.Client.RbacAuthorizationV1.ListNamespacedRoleBindingAsync(Ns)).Items.Any(b => b.Metadata.Name == "edge-a-nucleus"),
                "edge-a's role binding");
            var request = await Cluster.Client.CoreV1.CreateNamespacedServiceAccountTokenAsync(
                new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec { Audiences = [], ExpirationSeconds = 600 } }, "edge-a-nucleus", Ns);
            EdgeA = new RawApi(Cluster.Cluster.BaseUrl, request.Status.Token, Cluster.Cluster.CaCertificatePem);
        }

        public async Task DisposeAsync()
        {
            EdgeA?.Dispose();
            await Cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task DeviceToken_ReadsOwnPlan_IsForbiddenAnotherDevicesPlan()
    {
        var own = await _edgeA.Client.CoreV1.ReadNamespacedConfigMapAsync("edge-a-plan", Ns);
        Assert.Contains("plan.json", own.Data.Keys);

        var (status, body) = await _edgeA.SendAsync(HttpMethod.Get, $"api/v1/namespaces/{Ns}/configmaps/edge-b-plan");
        Assert.True(status == HttpStatusCode.Forbidden, $"reading edge-b's plan answered {(int)status}: {body}");
        (status, body) = await _edgeA.SendAsync(HttpMethod.Get, $"api/v1/namespaces/{Ns}/secrets");
        Assert.True(status == HttpStatusCode.Forbidden, $"listing secrets answered {(int)status}: {body}");
    }

    [Fact]
    public async Task DeviceToken_PatchesOwnStatus_IsForbiddenAnotherDevicesStatus()
    {
        var patch = JsonSerializer.Serialize(new { status = new { nucleusVersion = "2.14.0", lastStatusUpdate = "2026-01-01T00:00:00Z" } });
        var (status, body) = await _edgeA.SendAsync(HttpMethod.Patch, DeviceStatusPath("edge-a"), patch);
        Assert.True(status == HttpStatusCode.OK, $"patching own status answered {(int)status}: {body}");
        var device = await _gg.GetAsync<CoreDevice>(Ns, GreengrassApi.CoreDevicePlural, "edge-a");
        Assert.Equal("2.14.0", device!.Status!.NucleusVersion);

        (status, body) = await _edgeA.SendAsync(HttpMethod.Patch, DeviceStatusPath("edge-b"), patch);
        Assert.True(status == HttpStatusCode.Forbidden, $"patching edge-b's status answered {(int)status}: {body}");
        (status, body) = await _edgeA.SendAsync(HttpMethod.Patch, $"apis/{GreengrassApi.Group}/{GreengrassApi.Version}/namespaces/{Ns}/{GreengrassApi.CoreDevicePlural}/edge-a",
            JsonSerializer.Serialize(new { spec = new { thingName = "Hijacked" } }));
        Assert.True(status == HttpStatusCode.Forbidden, $"patching own spec answered {(int)status}: {body}");
    }

    [Fact]
    public async Task DeviceToken_PatchesOwnPodStatus_IsForbiddenAnotherDevicesPod()
    {
        var patch = JsonSerializer.Serialize(new
        {
            status = new { conditions = new[] { new { type = ConditionTypes.PodComponentsReady, status = "True", reason = "AllRunning" } } },
        });
        var (status, body) = await _edgeA.SendAsync(HttpMethod.Patch, $"api/v1/namespaces/{Ns}/pods/edge-a-nucleus/status", patch, "application/strategic-merge-patch+json");
        Assert.True(status == HttpStatusCode.OK, $"patching own pod status answered {(int)status}: {body}");
        var pod = await _gg.Client.CoreV1.ReadNamespacedPodAsync("edge-a-nucleus", Ns);
        Assert.Contains(pod.Status.Conditions, c => c.Type == ConditionTypes.PodComponentsReady && c.Status == "True");

        (status, body) = await _edgeA.SendAsync(HttpMethod.Patch, $"api/v1/namespaces/{Ns}/pods/edge-b-nucleus/status", patch, "application/strategic-merge-patch+json");
        Assert.True(status == HttpStatusCode.Forbidden, $"patching edge-b's pod status answered {(int)status}: {body}");
    }

    private static string DeviceStatusPath(string device) =>
        $"apis/{GreengrassApi.Group}/{GreengrassApi.Version}/namespaces/{Ns}/{GreengrassApi.CoreDevicePlural}/{device}/status";
}
