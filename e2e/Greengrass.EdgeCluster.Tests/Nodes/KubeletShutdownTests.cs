using System.Globalization;
using Greengrass.EdgeCluster.Hosting;
using Greengrass.EdgeCluster.Tests.Support;
using k8s;
using k8s.Autorest;
using k8s.Models;
using static Greengrass.EdgeCluster.Tests.Support.TestObjects;

namespace Greengrass.EdgeCluster.Tests.Nodes;

/// <summary>Stopping the cluster ends the processes of every pod, also of one still in its grace period, and the watches
/// clients hold open. ($$ in args is the API's escape for a literal $, so the script's own pid is written $$$$.)</summary>
public sealed class KubeletShutdownTests
{
    [Fact]
    public async Task Dispose_PodInLongGracePeriod_ProcessEnds()
    {
        var cluster = await StartAsync();
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

    [Fact]
    public async Task Dispose_WatchHeldOpen_WatchClosesCleanlyAndPodProcessEnds()
    {
        var cluster = await StartAsync();
        int pid;
        Task<int> watchEnded;
        await using (cluster)
        {
            using var k = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.KubeconfigPath));
            var ns = await NamespaceAsync(k);
            await k.CoreV1.CreateNamespacedPodAsync(new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = "server" },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "shell", Args = ["echo pid=$$$$; while true; do sleep 0.1; done"] }] },
            }, ns);
            var log = await Eventually.Value(async () => (await LogAsync(k, ns, "server")) is var l && l.Contains("pid=", StringComparison.Ordinal) ? l : null, "the pod's pid in its log");
            pid = int.Parse(log.Split("pid=")[1].Split('\n')[0].Trim(), CultureInfo.InvariantCulture);
            // A client holding a watch open, as a nucleus watches its plan: its stream must end with the server, not hold it up.
            var delivering = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            watchEnded = ReadWatchToEndAsync(cluster.BaseUrl, cluster.Token, ns, delivering);
            await delivering.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }

        Assert.True(await watchEnded > 0, "the watch read the pod, then ended without an error");
        await Eventually.True(() => Task.FromResult(!IsAlive(pid)), $"process {pid} ended with the cluster", TimeSpan.FromSeconds(20));
    }

    /// <summary>Reads a pod watch until the server ends the response; the number of events read. A connection the server
    /// aborts instead of ending throws. <paramref name="delivering"/> completes with the first event.</summary>
    private static async Task<int> ReadWatchToEndAsync(string baseUrl, string token, string ns, TaskCompletionSource delivering)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await http.GetAsync(new Uri($"/api/v1/namespaces/{ns}/pods?watch=true", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var events = 0;
        while (await reader.ReadLineAsync() is not null)
        {
            events++;
            delivering.TrySetResult();
        }
        return events;
    }

    /// <summary>A one-node cluster whose kubelet runs pods as processes, with the image <c>shell</c> as <c>sh -c</c>.</summary>
    private static Task<EdgeClusterHandle> StartAsync() =>
        global::Greengrass.EdgeCluster.Hosting.EdgeCluster.StartAsync(new EdgeClusterOptions
        {
            Http = true,
            Kubelet = KubeletMode.Process,
            ImageMap = { ["shell"] = ["/bin/sh", "-c"] },
        }.WithNodes(1));

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
