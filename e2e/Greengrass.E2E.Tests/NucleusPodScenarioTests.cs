using System.Text.Json.Nodes;
using Greengrass.Api;
using Greengrass.E2E.Tests.Support;
using k8s;
using k8s.Models;
using ApiDeployment = Greengrass.Api.Deployment;
using DeviceHealth = Greengrass.Api.DeviceHealth;

namespace Greengrass.E2E.Tests;

/// <summary>
/// The operator and real nucleus processes: the process kubelet runs the built nucleus for every nucleus pod,
/// the nucleus runs the components' shell lifecycles. Everything is observed through the Kubernetes API and
/// the files the components write in their work directories on the node.
/// </summary>
public sealed class NucleusPodScenarioTests(NucleusCluster cluster) : IClassFixture<NucleusCluster>
{
    private const string Node1 = "edge-node-1";
    private const string Node2 = "edge-node-2";
    private static readonly Dictionary<string, string> Labels = new() { ["fleet"] = "nucleus" };

    private GreengrassCluster Gg => cluster.Gg;

    /// <summary>Base (installs once, runs), App (writes its configured message, runs) depending on Base.</summary>
    private async Task ArrangeAsync(string ns, params (string Device, string Node)[] devices)
    {
        await Gg.CreateNamespaceAsync(ns);
        await Gg.CreateAsync(NucleusCluster.Component(ns, "com.example.Base", "1.0.0", null,
            ("Install", "echo installed >> {work:path}/installs"),
            ("Run", "echo $$ > {work:path}/pid; exec sleep 600")), GreengrassApi.ComponentPlural);
        var app = NucleusCluster.Component(ns, "com.example.App", "1.0.0", new JsonObject { ["message"] = "hello" },
            ("Run", "echo '{configuration:/message}' > {work:path}/message; echo $$ > {work:path}/pid; exec sleep 600"));
        app.Spec.Dependencies = new Dictionary<string, ComponentDependency> { ["com.example.Base"] = new() { VersionRequirement = "^1.0.0" } };
        await Gg.CreateAsync(app, GreengrassApi.ComponentPlural);
        await Gg.CreateAsync(Resources.DeploymentToSelector(ns, "apps", Labels, ("com.example.App", "1.0.0")), GreengrassApi.DeploymentPlural);
        foreach (var (device, node) in devices)
        {
            await Gg.CreateAsync(Resources.CoreDevice(ns, device, device.Replace("-", "", StringComparison.Ordinal), node, Labels), GreengrassApi.CoreDevicePlural);
        }
    }

    private Task<CoreDevice> RunningAsync(string ns, string device, params string[] components) =>
        cluster.DeviceAsync(ns, device, d => NucleusCluster.AllRunning(d, components), $"{string.Join(", ", components)} RUNNING");

    [Fact]
    public async Task Apply_RunsEveryComponentOnItsNode_PodsReady_DeploymentSucceeds()
    {
        const string ns = "nucleus-apply";
        await ArrangeAsync(ns, ("edge-a", Node1), ("edge-b", Node2));

        foreach (var (device, node) in new[] { ("edge-a", Node1), ("edge-b", Node2) })
        {
            var pod = await cluster.PodAsync(ns, $"{device}-nucleus", _ => true, "created");
            Assert.Equal(node, pod.Spec.NodeName);
            var running = await RunningAsync(ns, device, "com.example.Base", "com.example.App");
            Assert.Equal(2, running.Status!.Components!.Count);
            var ready = await cluster.PodAsync(ns, $"{device}-nucleus",
                p => NucleusCluster.PodCondition(p, ConditionTypes.PodComponentsReady)?.Status == "True"
                    && NucleusCluster.PodCondition(p, "Ready")?.Status == "True", "Ready with the components-ready gate True");
            Assert.Equal("ComponentsReady", NucleusCluster.PodCondition(ready, ConditionTypes.PodComponentsReady)!.Reason);
            Assert.Equal("hello\n", await File.ReadAllTextAsync(Path.Combine(cluster.WorkPath(node, ns, device, "com.example.App"), "message")));
        }

        var deployment = await Eventually.Value(async () =>
        {
            var d = await Gg.GetAsync<ApiDeployment>(ns, GreengrassApi.DeploymentPlural, "apps");
            return d?.Status?.Devices?.Succeeded == 2 && Conditions.IsTrue(d.Status.Conditions, ConditionTypes.Ready) ? d : null;
        }, "the deployment Ready and succeeded on both devices", TimeSpan.FromSeconds(120));
        Assert.Equal(2, deployment.Status!.Devices!.Succeeded);
        Gg.AssertNoOperatorErrors();
    }

    [Fact]
    public async Task ConfigurationChange_ReachesTheRunningComponent_AndAdvancesTheAppliedRevision()
    {
        const string ns = "nucleus-config";
        await ArrangeAsync(ns, ("edge-c", Node1));
        // The components report RUNNING before the deployment that started them is reported applied: wait for both, so
        // "a newer applied revision" below compares with a revision.
        var before = await cluster.DeviceAsync(ns, "edge-c",
            d => d.Status?.AppliedRevision is not null && NucleusCluster.AllRunning(d, "com.example.Base", "com.example.App"),
            "com.example.Base, com.example.App RUNNING and an applied revision");
        var message = Path.Combine(cluster.WorkPath(Node1, ns, "edge-c", "com.example.App"), "message");
        Assert.Equal("hello\n", await File.ReadAllTextAsync(message));

        await Gg.MergePatchAsync<ApiDeployment>(ns, GreengrassApi.DeploymentPlural, "apps", new
        {
            spec = new { components = new Dictionary<string, object> { ["com.example.App"] = new { version = "1.0.0", configurationUpdate = new { merge = new { message = "changed" } } } } },
        });

        await Eventually.True(async () => File.Exists(message) && await File.ReadAllTextAsync(message) == "changed\n",
            "the App component to write the changed message", TimeSpan.FromSeconds(120));
        var after = await cluster.DeviceAsync(ns, "edge-c",
            d => d.Status?.AppliedRevision > before.Status!.AppliedRevision && NucleusCluster.AllRunning(d, "com.example.Base", "com.example.App"),
            "a newer applied revision with every component RUNNING");
        Assert.True(after.Status!.AppliedRevision > before.Status!.AppliedRevision);
        Gg.AssertNoOperatorErrors();
    }

    [Fact]
    public async Task RemovedComponent_IsStopped_AndLeavesTheStatus()
    {
        const string ns = "nucleus-remove";
        await ArrangeAsync(ns, ("edge-d", Node2));
        await Gg.CreateAsync(NucleusCluster.Component(ns, "com.example.Extra", "1.0.0", null,
            ("Run", "echo $$ > {work:path}/pid; exec sleep 600")), GreengrassApi.ComponentPlural);
        await Gg.MergePatchAsync<ApiDeployment>(ns, GreengrassApi.DeploymentPlural, "apps", new
        {
            spec = new { components = new Dictionary<string, object> { ["com.example.Extra"] = new { version = "1.0.0" } } },
        });
        await RunningAsync(ns, "edge-d", "com.example.Base", "com.example.App", "com.example.Extra");
        var pid = int.Parse((await File.ReadAllTextAsync(Path.Combine(cluster.WorkPath(Node2, ns, "edge-d", "com.example.Extra"), "pid"))).Trim(),
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(IsAlive(pid), $"the Extra component's process {pid} runs");

        await Gg.MergePatchAsync<ApiDeployment>(ns, GreengrassApi.DeploymentPlural, "apps", new
        {
            spec = new { components = new Dictionary<string, object?> { ["com.example.Extra"] = null } },
        });

        var device = await cluster.DeviceAsync(ns, "edge-d",
            d => NucleusCluster.State(d, "com.example.Extra") is null && NucleusCluster.AllRunning(d, "com.example.Base", "com.example.App"),
            "Extra gone from the status, the others RUNNING");
        Assert.Equal(2, device.Status!.Components!.Count);
        await Eventually.True(() => Task.FromResult(!IsAlive(pid)), $"the Extra component's process {pid} to end");
        Gg.AssertNoOperatorErrors();
    }

    [Fact]
    public async Task FailingComponent_IsBroken_DeviceUnhealthy_PodNotReadyNamingIt()
    {
        const string ns = "nucleus-broken";
        await ArrangeAsync(ns, ("edge-e", Node1));
        await Gg.CreateAsync(NucleusCluster.Component(ns, "com.example.Crash", "1.0.0", null,
            ("Run", "echo crashing >> {work:path}/attempts; exit 1")), GreengrassApi.ComponentPlural);
        await RunningAsync(ns, "edge-e", "com.example.Base", "com.example.App");
        await Gg.MergePatchAsync<ApiDeployment>(ns, GreengrassApi.DeploymentPlural, "apps", new
        {
            // Leave the failed set in place: ROLLBACK would take the broken component away again.
            spec = new
            {
                components = new Dictionary<string, object> { ["com.example.Crash"] = new { version = "1.0.0" } },
                policies = new { failureHandling = FailureHandlingPolicies.DoNothing },
            },
        });

        var device = await cluster.DeviceAsync(ns, "edge-e",
            d => NucleusCluster.State(d, "com.example.Crash") == ComponentStates.Broken && d.Status?.Health == DeviceHealth.Unhealthy,
            "Crash BROKEN and the device UNHEALTHY");
        Assert.Equal("False", Conditions.Find(device.Status!.Conditions, ConditionTypes.Ready)!.Status);
        var attempts = await File.ReadAllLinesAsync(Path.Combine(cluster.WorkPath(Node1, ns, "edge-e", "com.example.Crash"), "attempts"));
        Assert.Equal(3, attempts.Length);

        var pod = await cluster.PodAsync(ns, "edge-e-nucleus",
            p => NucleusCluster.PodCondition(p, ConditionTypes.PodComponentsReady)?.Status == "False"
                && NucleusCluster.PodCondition(p, "Ready")?.Status == "False", "not Ready");
        Assert.Contains("com.example.Crash is BROKEN", NucleusCluster.PodCondition(pod, ConditionTypes.PodComponentsReady)!.Message);
        Gg.AssertNoOperatorErrors();
    }

    [Fact]
    public async Task DeletedNucleusPod_IsRecreated_ComponentsRunAgainWithoutReinstalling()
    {
        const string ns = "nucleus-recreate";
        await ArrangeAsync(ns, ("edge-f", Node2));
        await RunningAsync(ns, "edge-f", "com.example.Base", "com.example.App");
        var basePath = cluster.WorkPath(Node2, ns, "edge-f", "com.example.Base");
        var oldPid = int.Parse((await File.ReadAllTextAsync(Path.Combine(basePath, "pid"))).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Single(await File.ReadAllLinesAsync(Path.Combine(basePath, "installs")));
        var old = await cluster.PodAsync(ns, "edge-f-nucleus", _ => true, "exists");

        await Gg.Client.CoreV1.DeleteNamespacedPodAsync("edge-f-nucleus", ns, new V1DeleteOptions { GracePeriodSeconds = 0 });

        await cluster.PodAsync(ns, "edge-f-nucleus",
            p => p.Metadata.Uid != old.Metadata.Uid && NucleusCluster.PodCondition(p, ConditionTypes.PodComponentsReady)?.Status == "True",
            "recreated with its components ready");
        await RunningAsync(ns, "edge-f", "com.example.Base", "com.example.App");
        await Eventually.True(async () => int.Parse((await File.ReadAllTextAsync(Path.Combine(basePath, "pid"))).Trim(),
            System.Globalization.CultureInfo.InvariantCulture) != oldPid, "Base started again by the new nucleus");
        await Eventually.True(() => Task.FromResult(!IsAlive(oldPid)), $"the old nucleus's Base process {oldPid} to end with its pod");
        Assert.Single(await File.ReadAllLinesAsync(Path.Combine(basePath, "installs")));
        Gg.AssertNoOperatorErrors();
    }

    [Fact]
    public async Task DeletedCoreDevice_RemovesItsPodRbacAndConfigMap()
    {
        const string ns = "nucleus-delete";
        await ArrangeAsync(ns, ("edge-g", Node1), ("edge-h", Node2));
        await RunningAsync(ns, "edge-g", "com.example.Base", "com.example.App");

        await Gg.DeleteAsync(ns, GreengrassApi.CoreDevicePlural, "edge-g");

        await Eventually.True(async () =>
        {
            var pods = (await Gg.Client.CoreV1.ListNamespacedPodAsync(ns)).Items.Select(p => p.Metadata.Name);
            var maps = (await Gg.Client.CoreV1.ListNamespacedConfigMapAsync(ns)).Items.Select(c => c.Metadata.Name);
            var roles = (await Gg.Client.RbacAuthorizationV1.ListNamespacedRoleAsync(ns)).Items.Select(r => r.Metadata.Name);
            var bindings = (await Gg.Client.RbacAuthorizationV1.ListNamespacedRoleBindingAsync(ns)).Items.Select(r => r.Metadata.Name);
            var accounts = (await Gg.Client.CoreV1.ListNamespacedServiceAccountAsync(ns)).Items.Select(r => r.Metadata.Name);
            return !pods.Contains("edge-g-nucleus") && !maps.Contains("edge-g-plan") && !roles.Contains("edge-g-nucleus")
                && !bindings.Contains("edge-g-nucleus") && !accounts.Contains("edge-g-nucleus");
        }, "edge-g's pod, plan, role, binding and service account removed", TimeSpan.FromSeconds(120));
        Assert.Null(await Gg.GetAsync<CoreDevice>(ns, GreengrassApi.CoreDevicePlural, "edge-g"));
        await RunningAsync(ns, "edge-h", "com.example.Base", "com.example.App");
        Assert.Contains((await Gg.Client.CoreV1.ListNamespacedPodAsync(ns)).Items, p => p.Metadata.Name == "edge-h-nucleus");
        Gg.AssertNoOperatorErrors();
    }

    [Fact]
    public async Task ComponentWithBootstrap_RestartsTheNucleusInItsPod_DeploymentSucceedsDeviceReady()
    {
        const string ns = "nucleus-bootstrap";
        await ArrangeAsync(ns, ("edge-i", Node1));
        // Components report RUNNING before the deployment that started them is recorded as applied: wait for both.
        var before = await cluster.DeviceAsync(ns, "edge-i",
            d => d.Status?.AppliedRevision is not null && NucleusCluster.AllRunning(d, "com.example.Base", "com.example.App"),
            "the first deployment applied, Base and App RUNNING");
        var restartsBefore = NucleusRestarts(await cluster.PodAsync(ns, "edge-i-nucleus", _ => true, "exists"));
        await Gg.CreateAsync(NucleusCluster.Component(ns, "com.example.Boot", "1.0.0", null,
            ("Bootstrap", "echo ran >> {work:path}/bootstraps"),
            ("Run", "exec sleep 600")), GreengrassApi.ComponentPlural);

        await Gg.MergePatchAsync<ApiDeployment>(ns, GreengrassApi.DeploymentPlural, "apps", new
        {
            spec = new { components = new Dictionary<string, object> { ["com.example.Boot"] = new { version = "1.0.0" } } },
        });

        var device = await cluster.DeviceAsync(ns, "edge-i",
            d => d.Status?.AppliedRevision > before.Status!.AppliedRevision && d.Status.LastDeployment?.Status == "SUCCEEDED"
                && NucleusCluster.AllRunning(d, "com.example.Base", "com.example.App", "com.example.Boot")
                && Conditions.IsTrue(d.Status.Conditions, ConditionTypes.Ready),
            "the Boot deployment SUCCEEDED with every component RUNNING and the device Ready", TimeSpan.FromSeconds(180));
        Assert.Equal(3, device.Status!.Components!.Count);
        var pod = await cluster.PodAsync(ns, "edge-i-nucleus",
            p => NucleusRestarts(p) > restartsBefore && NucleusCluster.PodCondition(p, ConditionTypes.PodComponentsReady)?.Status == "True",
            "the nucleus container restarted once more and the components ready again");
        Assert.Equal(restartsBefore + 1, NucleusRestarts(pod));
        // The Bootstrap step ran once, in the nucleus process that then exited; Base was not installed again.
        var bootstraps = await File.ReadAllLinesAsync(Path.Combine(cluster.WorkPath(Node1, ns, "edge-i", "com.example.Boot"), "bootstraps"));
        Assert.Single(bootstraps);
        Assert.Single(await File.ReadAllLinesAsync(Path.Combine(cluster.WorkPath(Node1, ns, "edge-i", "com.example.Base"), "installs")));
        Gg.AssertNoOperatorErrors();
    }

    private static int NucleusRestarts(V1Pod pod) => pod.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == "nucleus")?.RestartCount ?? 0;

    /// <summary>Alive and not a zombie waiting to be reaped.</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return !stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return false;
        }
    }
}
