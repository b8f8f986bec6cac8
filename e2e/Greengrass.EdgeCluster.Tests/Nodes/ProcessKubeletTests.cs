using System.Net;
using System.Text;
using Greengrass.EdgeCluster.Tests.Support;
using k8s;
using k8s.Autorest;
using k8s.Models;
using static Greengrass.EdgeCluster.Tests.Support.TestObjects;

namespace Greengrass.EdgeCluster.Tests.Nodes;

/// <summary>The process kubelet runs real shell scripts: statuses, restarts, readiness gates, SIGTERM then kill.</summary>
[Collection(NodeClusterCollection.Name)]
public sealed class ProcessKubeletTests(NodeClusterFixture fixture)
{
    private Kubernetes K => fixture.Client;

    private static V1Pod ScriptPod(string name, string script, string restartPolicy = "Always", long grace = 30) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec
        {
            RestartPolicy = restartPolicy,
            TerminationGracePeriodSeconds = grace,
            Containers = [new V1Container { Name = "main", Image = "shell", Args = [script] }],
        },
    };

    [Fact]
    public async Task ScriptPod_Runs_ReportsStatusEnvAndMounts()
    {
        var ns = await NamespaceAsync(K);
        await K.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "conf" }, Data = new Dictionary<string, string> { ["greeting"] = "hello" } }, ns);
        await K.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new() { Name = "creds" }, Data = new Dictionary<string, byte[]> { ["password"] = Encoding.UTF8.GetBytes("s3cret") } }, ns);
        var pod = ScriptPod("env", "echo name=$POD_NAME node=$NODE greeting=$GREETING password=$PASSWORD; cat $EDGECLUSTER_MOUNT_CONF/greeting; echo; cat /etc/conf/greeting; echo; sleep 600");
        pod.Spec.Containers[0].Env =
        [
            new V1EnvVar { Name = "POD_NAME", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } },
            new V1EnvVar { Name = "NODE", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "spec.nodeName" } } },
            new V1EnvVar { Name = "GREETING", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "conf", Key = "greeting" } } },
            new V1EnvVar { Name = "PASSWORD", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "creds", Key = "password" } } },
        ];
        pod.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "conf", MountPath = "/etc/conf" }];
        pod.Spec.Volumes = [new V1Volume { Name = "conf", ConfigMap = new V1ConfigMapVolumeSource { Name = "conf" } }];
        await K.CoreV1.CreateNamespacedPodAsync(pod, ns);

        var running = await Eventually.Value(async () =>
        {
            var p = await K.CoreV1.ReadNamespacedPodAsync("env", ns);
            return p.Status?.Phase == "Running" && p.Status.ContainerStatuses?.Single().Ready == true ? p : null;
        }, "the pod to run");
        var log = await Eventually.Value(async () =>
        {
            using var stream = await K.CoreV1.ReadNamespacedPodLogAsync("env", ns);
            var text = await new StreamReader(stream).ReadToEndAsync();
            return text.Split('\n').Length >= 4 ? text : null;
        }, "the script output");

        Assert.Equal($"name=env node={running.Spec.NodeName} greeting=hello password=s3cret\nhello\nhello\n", log);
        var status = running.Status.ContainerStatuses.Single();
        Assert.NotNull(status.State.Running);
        Assert.Equal(0, status.RestartCount);
        Assert.Contains(running.Status.Conditions, c => c.Type == "Ready" && c.Status == "True");
    }

    [Fact]
    public async Task SecretVolumeMissing_PodWaitsNamingIt_StartsOnceTheSecretExists()
    {
        var ns = await NamespaceAsync(K);
        var pod = ScriptPod("late-secret", "cat /etc/creds/password; echo; sleep 600");
        pod.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "creds", MountPath = "/etc/creds" }];
        pod.Spec.Volumes = [new V1Volume { Name = "creds", Secret = new V1SecretVolumeSource { SecretName = "late" } }];
        await K.CoreV1.CreateNamespacedPodAsync(pod, ns);

        var waiting = await Eventually.Value(async () =>
        {
            var p = await K.CoreV1.ReadNamespacedPodAsync("late-secret", ns);
            return p.Status?.ContainerStatuses?.SingleOrDefault()?.State?.Waiting is { Message: { Length: > 0 } } w ? w : null;
        }, "the container waiting on its volume");
        Assert.Contains("secrets \"late\" not found", waiting.Message, StringComparison.Ordinal);

        await K.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new() { Name = "late" }, Data = new Dictionary<string, byte[]> { ["password"] = Encoding.UTF8.GetBytes("arrived") } }, ns);

        await Eventually.Value(async () =>
        {
            var p = await K.CoreV1.ReadNamespacedPodAsync("late-secret", ns);
            return p.Status?.Phase == "Running" && p.Status.ContainerStatuses?.Single().Ready == true ? p : null;
        }, "the pod to start once the Secret exists");
        var log = await Eventually.Value(async () =>
        {
            using var stream = await K.CoreV1.ReadNamespacedPodLogAsync("late-secret", ns);
            var text = await new StreamReader(stream).ReadToEndAsync();
            return text.Length > 0 ? text : null;
        }, "the script output");
        Assert.Equal("arrived\n", log);
    }

    [Fact]
    public async Task RestartPolicyAlways_CrashingScript_RestartsWithLastState()
    {
        var ns = await NamespaceAsync(K);
        await K.CoreV1.CreateNamespacedPodAsync(ScriptPod("crash", "echo run; exit 3"), ns);

        var pod = await Eventually.Value(async () =>
        {
            var p = await K.CoreV1.ReadNamespacedPodAsync("crash", ns);
            return p.Status?.ContainerStatuses?.Single().RestartCount >= 2 ? p : null;
        }, "two restarts");

        var status = pod.Status.ContainerStatuses.Single();
        Assert.Equal(3, status.LastState.Terminated.ExitCode);
        Assert.Equal("Error", status.LastState.Terminated.Reason);
        Assert.Equal("Running", pod.Status.Phase);
    }

    [Theory]
    [InlineData("OnFailure", "exit 0", "Succeeded", 0)]
    [InlineData("Never", "exit 4", "Failed", 4)]
    public async Task RestartPolicy_TerminalExit_EndsInPhase(string policy, string script, string phase, int exitCode)
    {
        var ns = await NamespaceAsync(K);
        await K.CoreV1.CreateNamespacedPodAsync(ScriptPod("once", script, policy), ns);

        var pod = await Eventually.Value(async () =>
        {
            var p = await K.CoreV1.ReadNamespacedPodAsync("once", ns);
            return p.Status?.Phase == phase ? p : null;
        }, $"phase {phase}");

        var status = pod.Status.ContainerStatuses.Single();
        Assert.Equal(exitCode, status.State.Terminated.ExitCode);
        Assert.Equal(0, status.RestartCount);
    }

    [Fact]
    public async Task OnFailure_FailingScript_Restarts()
    {
        var ns = await NamespaceAsync(K);
        await K.CoreV1.CreateNamespacedPodAsync(ScriptPod("retry", "exit 1", "OnFailure"), ns);

        await Eventually.True(async () => (await K.CoreV1.ReadNamespacedPodAsync("retry", ns)).Status?.ContainerStatuses?.Single().RestartCount >= 1, "a restart");
    }

    [Fact]
    public async Task ReadinessGate_SetThroughPodStatus_MakesPodReady()
    {
        var ns = await NamespaceAsync(K);
        var pod = ScriptPod("gated", "sleep 600");
        pod.Spec.ReadinessGates = [new V1PodReadinessGate { ConditionType = "example.com/components-ready" }];
        await K.CoreV1.CreateNamespacedPodAsync(pod, ns);
        var waiting = await Eventually.Value(async () =>
        {
            var p = await K.CoreV1.ReadNamespacedPodAsync("gated", ns);
            return p.Status?.ContainerStatuses?.Single().Ready == true ? p : null;
        }, "the container to be ready");
        Assert.Contains(waiting.Status.Conditions, c => c.Type == "Ready" && c.Status == "False");

        var patch = new V1Patch("""{"status":{"conditions":[{"type":"example.com/components-ready","status":"True"}]}}""", V1Patch.PatchType.StrategicMergePatch);
        await K.CoreV1.PatchNamespacedPodStatusAsync(patch, "gated", ns);

        var ready = await Eventually.Value(async () =>
        {
            var p = await K.CoreV1.ReadNamespacedPodAsync("gated", ns);
            return p.Status.Conditions.Any(c => c.Type == "Ready" && c.Status == "True") ? p : null;
        }, "the pod to turn Ready");
        Assert.Contains(ready.Status.Conditions, c => c.Type == "example.com/components-ready" && c.Status == "True");
        Assert.Contains(ready.Status.Conditions, c => c.Type == "ContainersReady" && c.Status == "True");
    }

    [Fact]
    public async Task Delete_ScriptTrappingTerm_ExitsGracefully()
    {
        var ns = await NamespaceAsync(K);
        await K.CoreV1.CreateNamespacedPodAsync(ScriptPod("polite", "trap 'echo got TERM; exit 0' TERM; echo up; while true; do sleep 0.1; done", grace: 30), ns);
        await WaitForLogAsync(ns, "polite", "up");

        var final = await DeleteAndWatchFinalStatusAsync(ns, "polite");

        Assert.Equal(0, final.State.Terminated.ExitCode);
        Assert.Contains("got TERM", await ReadLogFileAsync(ns, "polite"));
    }

    [Fact]
    public async Task Delete_ScriptIgnoringTerm_KilledAfterGracePeriod()
    {
        var ns = await NamespaceAsync(K);
        await K.CoreV1.CreateNamespacedPodAsync(ScriptPod("stubborn", "trap 'echo ignoring TERM' TERM; echo up; while true; do sleep 0.1; done", grace: 2), ns);
        await WaitForLogAsync(ns, "stubborn", "up");

        var final = await DeleteAndWatchFinalStatusAsync(ns, "stubborn");

        Assert.Equal(137, final.State.Terminated.ExitCode); // 128 + SIGKILL
        Assert.Contains("ignoring TERM", await ReadLogFileAsync(ns, "stubborn"));
    }

    private async Task<V1ContainerStatus> DeleteAndWatchFinalStatusAsync(string ns, string name)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var current = await K.CoreV1.ReadNamespacedPodAsync(name, ns);
        var watch = K.CoreV1.WatchListNamespacedPodAsync(ns, fieldSelector: $"metadata.name={name}", resourceVersion: current.Metadata.ResourceVersion, cancellationToken: cts.Token);
        await K.CoreV1.DeleteNamespacedPodAsync(name, ns);
        V1ContainerStatus? last = null;
        await foreach (var (type, pod) in watch)
        {
            if (pod.Status?.ContainerStatuses?.SingleOrDefault()?.State?.Terminated is not null)
            {
                last = pod.Status.ContainerStatuses.Single();
            }
            if (type == WatchEventType.Deleted)
            {
                break;
            }
        }
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => K.CoreV1.ReadNamespacedPodAsync(name, ns));
        Assert.Equal(HttpStatusCode.NotFound, e.Response.StatusCode);
        return last ?? throw new InvalidOperationException("no terminated container status was published before deletion");
    }

    private async Task WaitForLogAsync(string ns, string pod, string text) =>
        await Eventually.True(async () => (await ReadLogFileAsync(ns, pod)).Contains(text, StringComparison.Ordinal), $"'{text}' in the log of {pod}");

    private async Task<string> ReadLogFileAsync(string ns, string pod)
    {
        try
        {
            using var stream = await K.CoreV1.ReadNamespacedPodLogAsync(pod, ns);
            return await new StreamReader(stream).ReadToEndAsync();
        }
        catch (HttpOperationException)
        {
            return ""; // pod gone or no output yet
        }
    }
}
