using System.Text.Json.Nodes;
using Greengrass.EdgeCluster.Hosting;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Kubernetes;
using Greengrass.Nucleus.Runtime;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Greengrass.Nucleus.Tests.Kubernetes;

/// <summary>
/// The nucleus's Kubernetes mode against the embedded API server with RBAC enforced, using the
/// device's own service-account token: plans flow from the ConfigMap to the runtime, reports flow to
/// CoreDevice status and the pod's readiness gate. The runtime here is a scripted stand-in
/// (<see cref="ScriptedRuntime"/>): what is under test is the cluster side.
/// </summary>
public sealed class KubernetesModeTests : IAsyncLifetime
{
    private const string Ns = "fleet";
    private EdgeClusterHandle _cluster = null!;
    private k8s.Kubernetes _admin = null!;
    private string _saDir = null!;

    public async Task InitializeAsync()
    {
        _cluster = await EdgeCluster.Hosting.EdgeCluster.StartAsync(new EdgeClusterOptions { Rbac = true, Kubelet = KubeletMode.Simulated }.WithNodes(1));
        _admin = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(_cluster.KubeconfigPath));
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "crds"), "*.yaml"))
        {
            await _admin.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(file)));
        }

        await _admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Ns } });
        foreach (var device in new[] { "edge-a", "edge-b" })
        {
            await CreateDeviceAsync(device);
        }

        var token = await _admin.CoreV1.CreateNamespacedServiceAccountTokenAsync(new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec { Audiences = [] } }, "edge-a-nucleus", Ns);
        _saDir = Directory.CreateTempSubdirectory("sa-").FullName;
        await File.WriteAllTextAsync(Path.Combine(_saDir, "token"), token.Status.Token);
        await File.WriteAllTextAsync(Path.Combine(_saDir, "ca.crt"), _cluster.CaCertificatePem!);
        await File.WriteAllTextAsync(Path.Combine(_saDir, "namespace"), Ns);
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _cluster.DisposeAsync();
        Directory.Delete(_saDir, recursive: true);
    }

    [Fact]
    public async Task Plans_ReachTheRuntime_AndReports_ReachStatusAndTheReadinessGate()
    {
        var runtime = new ScriptedRuntime();
        using var connection = ClusterConnection.FromEnvironment(Env)!;
        using var stop = new CancellationTokenSource();
        var watcher = new PlanWatcher(connection, "edge-a-plan", runtime, NullLogger.Instance, TimeProvider.System);
        var reporter = new StatusReporter(connection, new ReportTarget("edge-a", "edge-a-nucleus", "0.1.0"), runtime, NullLogger.Instance, TimeProvider.System);
        var loops = Task.WhenAll(watcher.RunAsync(stop.Token), reporter.RunAsync(stop.Token));

        await Eventually(() => runtime.Applied.Any(p => p.Revision == 1), "revision 1 reached the runtime");
        runtime.Set(Report(1, ComponentState.Starting));
        await Eventually(async () => ((await Device("edge-a"))?["status"]?["components"] as JsonArray)?.FirstOrDefault()?["state"]?.GetValue<string>() == "STARTING", "STARTING in CoreDevice status");
        Assert.Equal("False", (await GateAsync())?.Status);

        runtime.Set(Report(1, ComponentState.Running));
        await Eventually(async () => (await GateAsync())?.Status == "True", "the readiness gate True");
        var status = (await Device("edge-a"))!["status"]!;
        Assert.Equal(1, status["appliedRevision"]!.GetValue<long>());
        Assert.NotNull(status["lastStatusUpdate"]);

        await WritePlanAsync("edge-a", 2);
        await Eventually(() => runtime.Applied.Any(p => p.Revision == 2), "revision 2 reached the runtime");

        await stop.CancelAsync();
        await loops;
        Assert.Null((await Device("edge-b"))?["status"]); // the other device was never touched
    }

    [Fact]
    public async Task Reporter_DeploymentRestartingTheNucleus_FlushWritesTheStageAndGateSaysNucleusRestarting()
    {
        var runtime = new ScriptedRuntime();
        using var connection = ClusterConnection.FromEnvironment(Env)!;
        var reporter = new StatusReporter(connection, new ReportTarget("edge-a", "edge-a-nucleus", "0.1.0"), runtime, NullLogger.Instance, TimeProvider.System);
        runtime.Set(Report(1, ComponentState.Finished) with
        {
            Deployment = new DeploymentReport { DeploymentId = "boot", Revision = 2, Status = DeploymentStatus.InProgress, DetailedStatus = "BOOTSTRAP" },
        });

        // The last write before the nucleus exits with 100: no loop runs, the flush alone must carry it.
        await reporter.FlushAsync(TimeSpan.FromSeconds(30));

        var gate = await GateAsync();
        Assert.Equal(("False", StatusReporter.NucleusRestarting), (gate?.Status, gate?.Reason));
        Assert.Contains("stage BOOTSTRAP", gate!.Message, StringComparison.Ordinal);
        var last = (await Device("edge-a"))!["status"]!["lastDeployment"]!;
        Assert.Equal(("IN_PROGRESS", "BOOTSTRAP"), (last["status"]!.GetValue<string>(), last["detailedStatus"]!.GetValue<string>()));
    }

    [Fact]
    public async Task DeviceToken_CannotReadAnotherDevicesPlan_NorWriteItsStatus()
    {
        using var connection = ClusterConnection.FromEnvironment(Env)!;
        using var read = connection.Request(HttpMethod.Get, $"api/v1/namespaces/{Ns}/configmaps/edge-b-plan");
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await connection.Http.SendAsync(read)).StatusCode);
        using var patch = connection.Request(HttpMethod.Patch, $"apis/greengrass.edge.dev/v1alpha1/namespaces/{Ns}/coredevices/edge-b/status",
            """{"status":{"health":"HEALTHY"}}""", "application/merge-patch+json");
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await connection.Http.SendAsync(patch)).StatusCode);
        using var own = connection.Request(HttpMethod.Get, $"api/v1/namespaces/{Ns}/configmaps/edge-a-plan");
        Assert.True((await connection.Http.SendAsync(own)).IsSuccessStatusCode);
    }

    private string? Env(string name) => name switch
    {
        "EDGECLUSTER_SERVICEACCOUNT_DIR" => _saDir,
        "EDGECLUSTER_API_URL" => _cluster.BaseUrl,
        "GG_NAMESPACE" => Ns,
        _ => null,
    };

    private static DeviceReport Report(long revision, ComponentState state) => new()
    {
        SchemaVersion = DeviceReport.CurrentSchemaVersion,
        ThingName = "EdgeA",
        NucleusVersion = "0.1.0",
        AppliedRevision = revision,
        Components = [new ComponentReport { Name = "com.example.App", Version = "1.0.0", State = state, LastTransitionTime = DateTimeOffset.UtcNow }],
    };

    private async Task CreateDeviceAsync(string device)
    {
        var body = new JsonObject
        {
            ["apiVersion"] = "greengrass.edge.dev/v1alpha1", ["kind"] = "CoreDevice",
            ["metadata"] = new JsonObject { ["name"] = device, ["namespace"] = Ns },
            ["spec"] = new JsonObject { ["thingName"] = device.ToUpperInvariant() },
        };
        await _admin.CustomObjects.CreateNamespacedCustomObjectAsync(body, "greengrass.edge.dev", "v1alpha1", Ns, "coredevices");
        await _admin.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = $"{device}-nucleus" } }, Ns);
        await _admin.RbacAuthorizationV1.CreateNamespacedRoleAsync(new V1Role
        {
            Metadata = new V1ObjectMeta { Name = $"{device}-nucleus" },
            Rules =
            [
                new V1PolicyRule { ApiGroups = [""], Resources = ["configmaps"], ResourceNames = [$"{device}-plan"], Verbs = ["get", "list", "watch"] },
                new V1PolicyRule { ApiGroups = ["greengrass.edge.dev"], Resources = ["coredevices/status"], ResourceNames = [device], Verbs = ["get", "patch"] },
                new V1PolicyRule { ApiGroups = [""], Resources = ["pods/status"], ResourceNames = [$"{device}-nucleus"], Verbs = ["get", "patch"] },
            ],
        }, Ns);
        await _admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = $"{device}-nucleus" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = $"{device}-nucleus" },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = $"{device}-nucleus", NamespaceProperty = Ns }],
        }, Ns);
        await _admin.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = $"{device}-nucleus" },
            Spec = new V1PodSpec
            {
                NodeName = "edge-node-1",
                ReadinessGates = [new V1PodReadinessGate { ConditionType = StatusReporter.ReadinessGate }],
                Containers = [new V1Container { Name = "nucleus", Image = "nucleus" }],
            },
        }, Ns);
        await WritePlanAsync(device, 1);
    }

    private async Task WritePlanAsync(string device, long revision)
    {
        var plan = new DevicePlan
        {
            SchemaVersion = DevicePlan.CurrentSchemaVersion, ThingName = device, DeploymentId = "apps@1", Revision = revision,
            CreationTimestamp = DateTimeOffset.UtcNow, GroupId = $"{Ns}/{device}",
        };
        var map = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"{device}-plan" }, Data = new Dictionary<string, string> { ["plan.json"] = ContractJson.SerializePlan(plan) } };
        if (revision == 1)
        {
            await _admin.CoreV1.CreateNamespacedConfigMapAsync(map, Ns);
        }
        else
        {
            await _admin.CoreV1.ReplaceNamespacedConfigMapAsync(map, $"{device}-plan", Ns);
        }
    }

    private async Task<JsonNode?> Device(string name) =>
        JsonNode.Parse(((System.Text.Json.JsonElement)await _admin.CustomObjects.GetNamespacedCustomObjectAsync("greengrass.edge.dev", "v1alpha1", Ns, "coredevices", name)).GetRawText());

    private async Task<V1PodCondition?> GateAsync() =>
        (await _admin.CoreV1.ReadNamespacedPodAsync("edge-a-nucleus", Ns)).Status?.Conditions?.FirstOrDefault(c => c.Type == StatusReporter.ReadinessGate);

    private static Task Eventually(Func<bool> condition, string what) => Eventually(() => Task.FromResult(condition()), what);

    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(100);
        }
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "Greengrass.Operator.sln")))
        {
            dir = dir.Parent;
        }

        return dir.FullName;
    }

    /// <summary>A stand-in for the nucleus runtime: records the plans it is given and reports what the test sets.</summary>
    private sealed class ScriptedRuntime : IDeviceRuntime
    {
        private DeviceReport _report = new() { SchemaVersion = DeviceReport.CurrentSchemaVersion, ThingName = "EdgeA", NucleusVersion = "0.1.0" };

        public System.Collections.Concurrent.ConcurrentBag<DevicePlan> Applied { get; } = [];

        public DevicePlan? AppliedPlan => Applied.MaxBy(p => p.Revision);

        public event Action? ReportChanged;

        public Task ApplyAsync(DevicePlan plan, CancellationToken cancellationToken)
        {
            Applied.Add(plan);
            return Task.CompletedTask;
        }

        public DeviceReport Report() => Volatile.Read(ref _report);

        public void Set(DeviceReport report)
        {
            Volatile.Write(ref _report, report);
            ReportChanged?.Invoke();
        }
    }
}
