using System.Globalization;
using Greengrass.EdgeCluster.Hosting;
using Greengrass.EdgeCluster.Tests.Support;
using k8s;
using k8s.Autorest;
using k8s.Models;
using static Greengrass.EdgeCluster.Tests.Support.TestObjects;

namespace Greengrass.EdgeCluster.Tests.Nodes;

/// <summary>Stopping the cluster ends the processes of every pod, also of one still in its grace period. ($$ in args is the
/// API's escape for a literal $, so the script's own pid is written $$$$.)</summary>
public sealed class KubeletShutdownTests
{
    [Fact]
    public async Task Dispose_PodInLongGracePeriod_ProcessEnds()
    {
        var cluster = await global::Greengrass.EdgeCluster.Hosting.EdgeCluster.StartAsync(new EdgeClusterOptions
        {
            Http = true,
            Kubelet = KubeletMode.Process,
            ImageMap = { ["shell"] = ["/bin/sh", "-c"] },
        }.WithNodes(1));
        int pid;
        await using (cluster)
        {
            using var k = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.KubeconfigPath));
            var ns = await NamespaceAsync(k);
            await k.CoreV1.CreateNamespacedPodAsync(new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = "stubborn" },
                Spec = new V1PodSpec
                {
                    RestartPolicy = "Never",
                    Containers = [new V1Container { Name = "main", Image = "shell", Args = ["trap 'echo ignoring TERM' TERM; echo pid=$$$$; while true; do sleep 0.1; done"] }],
                },
            }, ns);
            var log = await Eventually.Value(async () => (await LogAsync(k, ns, "stubborn")) is var l && l.Contains("pid=", StringComparison.Ordinal) ? l : null, "the pod's pid in its log");
            pid = int.Parse(log.Split("pid=")[1].Split('\n')[0].Trim(), CultureInfo.InvariantCulture);

            await k.CoreV1.DeleteNamespacedPodAsync("stubborn", ns, gracePeriodSeconds: 600);
            await Eventually.True(async () => (await LogAsync(k, ns, "stubborn")).Contains("ignoring TERM", StringComparison.Ordinal), "SIGTERM reached the pod");
        }

        await Eventually.True(() => Task.FromResult(!IsAlive(pid)), $"process {pid} ended with the cluster", TimeSpan.FromSeconds(20));
    }

    /// <summary>Alive = /proc has it and it is not a zombie.</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task<string> LogAsync(Kubernetes k, string ns, string pod)
    {
        try
        {
            using var stream = await k.CoreV1.ReadNamespacedPodLogAsync(pod, ns);
            return await new StreamReader(stream).ReadToEndAsync();
        }
        catch (HttpOperationException)
        {
            return "";
        }
    }
}
