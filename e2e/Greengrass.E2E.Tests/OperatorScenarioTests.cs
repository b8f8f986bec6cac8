using Greengrass.Api;
using Greengrass.E2E.Tests.Support;
using Greengrass.Nucleus.Contracts;
using k8s;
using k8s.Models;
using ApiDeployment = Greengrass.Api.Deployment;
using DeviceHealth = Greengrass.Api.DeviceHealth;

namespace Greengrass.E2E.Tests;

/// <summary>
/// The operator against the embedded edge cluster with simulated kubelets (pods run no process): what
/// the operator itself must do — plans, pods, identities, status, conflicts, clean-up. The nucleus's
/// own reports are written here through the API, as the nucleus would write them.
/// </summary>
public sealed class OperatorScenarioTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Fleet = new() { ["fleet"] = "demo" };
    private GreengrassCluster _gg = null!;

    public async Task InitializeAsync()
    {
        _gg = await GreengrassCluster.StartAsync();
        _gg.StartOperator();
    }

    public async Task DisposeAsync() => await _gg.DisposeAsync();

    private async Task<string> ArrangeFleetAsync(string ns)
    {
        await _gg.CreateNamespaceAsync(ns);
        await _gg.CreateAsync(Resources.Component(ns, "com.example.Base", "1.0.0", "sleep 1000"), GreengrassApi.ComponentPlural);
        await _gg.CreateAsync(Resources.Component(ns, "com.example.Cache", "1.0.0", "sleep 1000", ("com.example.Base", "^1.0.0")), GreengrassApi.ComponentPlural);
        await _gg.CreateAsync(Resources.Component(ns, "com.example.App", "1.0.0", "sleep 1000", ("com.example.Cache", ">=1.0.0")), GreengrassApi.ComponentPlural);
        await _gg.CreateAsync(Resources.DeploymentToSelector(ns, "apps", Fleet, ("com.example.App", "1.0.0")), GreengrassApi.DeploymentPlural);
        await _gg.CreateAsync(Resources.CoreDevice(ns, "edge-a", "EdgeA", "edge-node-1", Fleet), GreengrassApi.CoreDevicePlural);
        await _gg.CreateAsync(Resources.CoreDevice(ns, "edge-b", "EdgeB", "edge-node-2", Fleet), GreengrassApi.CoreDevicePlural);
        return ns;
    }

    private async Task<DevicePlan> PlanAsync(string ns, string device, long minRevision = 1) =>
        await Eventually.Value(async () =>
        {
            var cm = await _gg.Client.CoreV1.ReadNamespacedConfigMapAsync($"{device}-plan", ns);
            var plan = ContractJson.DeserializePlan(cm.Data["plan.json"]);
            return plan.Revision >= minRevision ? plan : null;
        }, $"the plan of {device} at revision {minRevision}");

    [Fact]
    public async Task Apply_WritesPlansPodsAndIdentities_PerDevice()
    {
        var ns = await ArrangeFleetAsync("fleet-apply");

        var plan = await PlanAsync(ns, "edge-a");
        Assert.Equal(["com.example.Base", "com.example.Cache", "com.example.App"], plan.Components.Select(c => c.Name));
        Assert.Equal("EdgeA", plan.ThingName);

        var pod = await Eventually.Value(async () => (await _gg.Client.CoreV1.ListNamespacedPodAsync(ns)).Items.FirstOrDefault(p => p.Metadata.Name == "edge-b-nucleus"), "the nucleus pod of edge-b");
        Assert.Equal("edge-node-2", pod.Spec.NodeName);
        Assert.Contains(pod.Spec.ReadinessGates, g => g.ConditionType == ConditionTypes.PodComponentsReady);
        var role = await _gg.Client.RbacAuthorizationV1.ReadNamespacedRoleAsync("edge-a-nucleus", ns);
        Assert.All(role.Rules, r => Assert.NotEmpty(r.ResourceNames));
        await _gg.Client.CoreV1.ReadNamespacedServiceAccountAsync("edge-a-nucleus", ns);
        await _gg.Client.RbacAuthorizationV1.ReadNamespacedRoleBindingAsync("edge-a-nucleus", ns);

        var component = await Eventually.Value(async () =>
        {
            var c = await _gg.GetAsync<Component>(ns, GreengrassApi.ComponentPlural, "com.example.app-1.0.0");
            return Conditions.IsTrue(c?.Status?.Conditions, ConditionTypes.Ready) ? c : null;
        }, "the App component Ready");
        Assert.Equal(["apps"], component.Status!.UsedBy);
        _gg.AssertNoOperatorErrors();
    }

    [Fact]
    public async Task NucleusReport_MakesTheDeviceHealthyAndTheDeploymentSucceed_BrokenMakesItUnhealthy()
    {
        var ns = await ArrangeFleetAsync("fleet-report");
        foreach (var device in new[] { "edge-a", "edge-b" })
        {
            var plan = await PlanAsync(ns, device);
            await ReportAsync(ns, device, plan.Revision, plan.Components.Select(c => (c.Name, c.Version, ComponentStates.Running)).ToArray());
        }

        var healthy = await Eventually.Value(async () =>
        {
            var d = await _gg.GetAsync<CoreDevice>(ns, GreengrassApi.CoreDevicePlural, "edge-a");
            return d?.Status?.Health == DeviceHealth.Healthy && Conditions.IsTrue(d.Status.Conditions, ConditionTypes.Ready) ? d : null;
        }, "edge-a HEALTHY and Ready");
        Assert.Equal("3/3", healthy.Status!.ComponentsSummary);
        await Eventually.True(async () =>
        {
            var d = await _gg.GetAsync<ApiDeployment>(ns, GreengrassApi.DeploymentPlural, "apps");
            return d?.Status?.Devices?.Succeeded == 2 && Conditions.IsTrue(d.Status.Conditions, ConditionTypes.Ready);
        }, "the deployment succeeded on both devices");

        var planA = await PlanAsync(ns, "edge-a");
        await ReportAsync(ns, "edge-a", planA.Revision,
            ("com.example.Base", "1.0.0", ComponentStates.Running), ("com.example.Cache", "1.0.0", ComponentStates.Running), ("com.example.App", "1.0.0", ComponentStates.Broken));
        var unhealthy = await Eventually.Value(async () =>
        {
            var d = await _gg.GetAsync<CoreDevice>(ns, GreengrassApi.CoreDevicePlural, "edge-a");
            return d?.Status?.Health == DeviceHealth.Unhealthy ? d : null;
        }, "edge-a UNHEALTHY");
        var ready = Conditions.Find(unhealthy.Status!.Conditions, ConditionTypes.Ready)!;
        Assert.Equal("False", ready.Status);
        Assert.Contains("com.example.App is BROKEN", ready.Message);
        _gg.AssertNoOperatorErrors();
    }

    [Fact]
    public async Task ConflictingPins_AreReportedOnBothDeployments()
    {
        var ns = await ArrangeFleetAsync("fleet-conflict");
        await _gg.CreateAsync(Resources.Component(ns, "com.example.Base", "2.0.0", "sleep 1000"), GreengrassApi.ComponentPlural);
        await _gg.CreateAsync(Resources.DeploymentToSelector(ns, "pin-old", Fleet, ("com.example.Base", "1.0.0")), GreengrassApi.DeploymentPlural);
        await _gg.CreateAsync(Resources.DeploymentToSelector(ns, "pin-new", Fleet, ("com.example.Base", "2.0.0")), GreengrassApi.DeploymentPlural);

        foreach (var name in new[] { "pin-old", "pin-new" })
        {
            var stalled = await Eventually.Value(async () =>
            {
                var d = await _gg.GetAsync<ApiDeployment>(ns, GreengrassApi.DeploymentPlural, name);
                return Conditions.Find(d?.Status?.Conditions, ConditionTypes.Stalled) is { Status: "True" } c ? c : null;
            }, $"{name} stalled");
            Assert.Equal(ConditionReasons.VersionConflict, stalled.Reason);
            Assert.Contains("pin-old", stalled.Message);
            Assert.Contains("pin-new", stalled.Message);
        }

        // The Deployments may have learnt the conflict from edge-b's status before edge-a's was written.
        var deviceStalled = await Eventually.Value(async () =>
        {
            var device = await _gg.GetAsync<CoreDevice>(ns, GreengrassApi.CoreDevicePlural, "edge-a");
            return Conditions.Find(device?.Status?.Conditions, ConditionTypes.Stalled) is { Status: "True" } c ? c : null;
        }, "edge-a stalled");
        Assert.Equal(ConditionReasons.VersionConflict, deviceStalled.Reason);
    }

    [Fact]
    public async Task ConfigurationChange_AdvancesTheRevision_RemovingAComponentDropsIt()
    {
        var ns = await ArrangeFleetAsync("fleet-change");
        var first = await PlanAsync(ns, "edge-a");

        await _gg.MergePatchAsync<ApiDeployment>(ns, GreengrassApi.DeploymentPlural, "apps", new
        {
            spec = new { components = new Dictionary<string, object> { ["com.example.App"] = new { version = "1.0.0", configurationUpdate = new { merge = new { message = "changed" } } } } },
        });
        var second = await PlanAsync(ns, "edge-a", first.Revision + 1);
        Assert.Equal("changed", second.Components.Single(c => c.Name == "com.example.App").Configuration["message"]!.GetValue<string>());

        await _gg.CreateAsync(Resources.Component(ns, "com.example.Other", "1.0.0", "sleep 1000"), GreengrassApi.ComponentPlural);
        await _gg.MergePatchAsync<ApiDeployment>(ns, GreengrassApi.DeploymentPlural, "apps", new
        {
            spec = new { components = new Dictionary<string, object?> { ["com.example.App"] = null, ["com.example.Other"] = new { version = "1.0.0" } } },
        });
        var third = await PlanAsync(ns, "edge-a", second.Revision + 1);
        Assert.Equal(["com.example.Other"], third.Components.Select(c => c.Name));
    }

    [Fact]
    public async Task DeletedPod_IsRecreated_DeletedDevice_RemovesPodPlanAndIdentity()
    {
        var ns = await ArrangeFleetAsync("fleet-delete");
        var pod = await Eventually.Value(async () => (await _gg.Client.CoreV1.ListNamespacedPodAsync(ns)).Items.FirstOrDefault(p => p.Metadata.Name == "edge-a-nucleus"), "the pod");
        var otherPod = await Eventually.Value(async () => (await _gg.Client.CoreV1.ListNamespacedPodAsync(ns)).Items.FirstOrDefault(p => p.Metadata.Name == "edge-b-nucleus"), "edge-b's pod");
        await _gg.Client.CoreV1.DeleteNamespacedPodAsync("edge-a-nucleus", ns, new V1DeleteOptions { GracePeriodSeconds = 0 });
        await Eventually.True(async () => (await _gg.Client.CoreV1.ListNamespacedPodAsync(ns)).Items
            .Any(p => p.Metadata.Name == "edge-a-nucleus" && p.Metadata.Uid != pod.Metadata.Uid), "a new nucleus pod for edge-a");

        await PlanAsync(ns, "edge-a");
        await _gg.DeleteAsync(ns, GreengrassApi.CoreDevicePlural, "edge-a");
        await Eventually.True(async () => await _gg.GetAsync<CoreDevice>(ns, GreengrassApi.CoreDevicePlural, "edge-a") is null, "edge-a gone");
        await Eventually.True(async () =>
        {
            var pods = (await _gg.Client.CoreV1.ListNamespacedPodAsync(ns)).Items.Select(p => p.Metadata.Name);
            var maps = (await _gg.Client.CoreV1.ListNamespacedConfigMapAsync(ns)).Items.Select(c => c.Metadata.Name);
            var roles = (await _gg.Client.RbacAuthorizationV1.ListNamespacedRoleAsync(ns)).Items.Select(r => r.Metadata.Name);
            return !pods.Contains("edge-a-nucleus") && !maps.Contains("edge-a-plan") && !roles.Contains("edge-a-nucleus");
        }, "edge-a's pod, plan and role removed");
        Assert.Contains((await _gg.Client.CoreV1.ListNamespacedPodAsync(ns)).Items, p => p.Metadata.Name == "edge-b-nucleus" && p.Metadata.Uid == otherPod.Metadata.Uid);
    }

    private Task ReportAsync(string ns, string device, long revision, params (string Name, string Version, string State)[] components) =>
        _gg.MergePatchAsync<CoreDevice>(ns, GreengrassApi.CoreDevicePlural, device, new
        {
            status = new
            {
                appliedRevision = revision,
                lastStatusUpdate = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
                components = components.Select(c => new { name = c.Name, version = c.Version, state = c.State }).ToArray(),
            },
        }, "status");
}
