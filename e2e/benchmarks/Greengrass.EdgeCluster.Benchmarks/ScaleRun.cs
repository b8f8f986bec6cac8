using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Greengrass.EdgeCluster.Benchmarks;

/// <summary>
/// Scripted scale run against the edge cluster started as its own process (so RSS is the server's):
/// N simulated nodes, M pods created over HTTP by 8 concurrent writers (each sends its next create when the last one is
/// answered), W watchers on all pods. Progress goes to stderr (a profiler can attach at "warm-up done"), results to
/// stdout: a Markdown table: write latency, list latency, watch delivery delay (create sent → ADDED received), RSS.
/// With <c>--rate R</c> the creates follow a fixed schedule of R per second instead (open loop, as many in flight as
/// the server lets pile up), and each write's latency counts from the time it was due, so a stall is charged to
/// every write it delayed, not only to the one that met it.
/// Before the measured phase, <c>--warm-up N</c> pods (5,000 by default) are created and deleted again (see <see cref="WarmUpAsync"/>).
/// Usage: dotnet run -c Release -- [--nodes 5000] [--pods 20000] [--watchers 10] [--writers 8 | --rate 1000] [--warm-up 5000]
/// </summary>
internal static partial class ScaleRun
{
    private const string ServerEnvPrefix = "EDGECLUSTER_SERVER_";

    public static async Task<int> RunAsync(string[] args)
    {
        int Arg(string name, int fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        var nodes = Arg("--nodes", 5000);
        var pods = Arg("--pods", 20000);
        var watchers = Arg("--watchers", 10);
        var writers = Arg("--writers", 8);
        var rate = Arg("--rate", 0);
        var warmUp = Arg("--warm-up", 5000);
        var dir = Directory.CreateTempSubdirectory("edgecluster-bench-").FullName;
        var kubeconfig = Path.Combine(dir, "kubeconfig");
        using var server = StartServer(kubeconfig, nodes, pods);
        try
        {
            var (baseUrl, token) = await ReadKubeconfigAsync(kubeconfig);
            using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(5) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var registration = Stopwatch.StartNew();
            await WaitForNodesAsync(http, nodes);
            registration.Stop();
            var deliveries = new Deliveries(pods, watchers);
            using var stop = new CancellationTokenSource();
            var watchTasks = Enumerable.Range(0, watchers).Select(_ => WatchAsync(http, deliveries, stop.Token)).ToList();
            await Task.Delay(1000);
            await WarmUpAsync(http, warmUp, writers);
            Console.Error.WriteLine($"warm-up done ({warmUp} pods created and deleted); measuring");
            var before = await ServerMetrics.ScrapeAsync(http);
            var phase = Stopwatch.StartNew();
            var (writes, elapsed) = rate > 0 ? await CreatePodsAtRateAsync(http, pods, rate, deliveries.SentAt) : await CreatePodsAsync(http, pods, writers, deliveries.SentAt);
            await WaitUntilAsync(() => deliveries.Count >= pods * watchers, TimeSpan.FromMinutes(5));
            phase.Stop();
            var after = await ServerMetrics.ScrapeAsync(http);
            var lists = await ListAsync(http, "/api/v1/pods", 5);
            var selected = await ListAsync(http, "/api/v1/pods?labelSelector=shard%3D7", 5);
            var running = await WaitRunningAsync(http, pods);
            var rss = RssMiB(server.Id);
            stop.Cancel();
            await Task.WhenAll(watchTasks.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
            var load = rate > 0 ? $"creates at a fixed rate of {rate}/s (open loop)" : $"{writers} concurrent writers";
            Print(nodes, pods, watchers, load, registration.Elapsed, writes, elapsed, lists, selected, deliveries.Delays(), running, rss);
            PrintWhereTimeWent(ServerMetrics.Describe(before, after, phase.Elapsed), writes);
            return 0;
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static Process StartServer(string kubeconfig, int nodes, int pods)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "greengrass-edgecluster.dll");
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var a in new[] { dll, "up", "--http", "--nodes", nodes.ToString(CultureInfo.InvariantCulture), "--kubelet", "simulated",
                     "--kubeconfig", kubeconfig })
        {
            info.ArgumentList.Add(a);
        }
        // Runtime settings come from the emulator's own runtimeconfig. An experiment sets EDGECLUSTER_SERVER_<NAME>=value
        // (e.g. EDGECLUSTER_SERVER_DOTNET_gcServer=1) to give the server alone <NAME>=value: a plain DOTNET_ variable
        // would change the driver's runtime as well, and the driver's own GC would show up in the measured latencies.
        foreach (System.Collections.DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            if (variable.Key is string key && key.StartsWith(ServerEnvPrefix, StringComparison.Ordinal))
            {
                info.Environment[key[ServerEnvPrefix.Length..]] = variable.Value as string;
            }
        }
        return Process.Start(info)!;
    }

    private static async Task<(string BaseUrl, string Token)> ReadKubeconfigAsync(string path)
    {
        for (var i = 0; i < 600 && !File.Exists(path); i++)
        {
            await Task.Delay(100);
        }
        var lines = await File.ReadAllLinesAsync(path);
        string Value(string key) => lines.First(l => l.Trim().StartsWith(key, StringComparison.Ordinal)).Split(": ", 2)[1].Trim();
        return (Value("server:"), Value("token:"));
    }

    private static async Task WaitForNodesAsync(HttpClient http, int nodes) =>
        await WaitUntilAsync(async () => Count(await http.GetStringAsync(new Uri("/api/v1/nodes", UriKind.Relative))) >= nodes, TimeSpan.FromMinutes(5));

    /// <summary>
    /// Runs the server through what the measured phase does before it is measured: creates <paramref name="pods"/> pods in
    /// their own namespace, waits until they run, and deletes the namespace. The phase then measures a server that has
    /// compiled its hot paths (tiered compilation promotes a method only after it has run a while), as a long-running API
    /// server has, rather than the first seconds of a fresh process; the watchers see these pods too, but only the measured
    /// pods are timed. The measured phase starts with the same 5,000 nodes and no pods.
    /// </summary>
    private static async Task WarmUpAsync(HttpClient http, int pods, int writers)
    {
        if (pods == 0)
        {
            return;
        }
        const string Namespace = "warm-up";
        using (var created = await http.PostAsync(new Uri("/api/v1/namespaces", UriKind.Relative),
                   new StringContent($$$"""{"metadata":{"name":"{{{Namespace}}}"}}""", Encoding.UTF8, "application/json")))
        {
            created.EnsureSuccessStatusCode();
        }
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < pods)
            {
                using var response = await http.PostAsync(new Uri($"/api/v1/namespaces/{Namespace}/pods", UriKind.Relative), PodBody($"warm-up-{i}", i));
                response.EnsureSuccessStatusCode();
            }
        }));
        await WaitUntilAsync(async () => Count(await http.GetStringAsync(new Uri($"/api/v1/namespaces/{Namespace}/pods?fieldSelector=status.phase%3DRunning", UriKind.Relative))) >= pods,
            TimeSpan.FromMinutes(5));
        using (var deleted = await http.DeleteAsync(new Uri($"/api/v1/namespaces/{Namespace}", UriKind.Relative)))
        {
            deleted.EnsureSuccessStatusCode();
        }
        await WaitUntilAsync(async () => (await http.GetAsync(new Uri($"/api/v1/namespaces/{Namespace}", UriKind.Relative))).StatusCode == System.Net.HttpStatusCode.NotFound,
            TimeSpan.FromMinutes(5));
    }

    private static async Task<(List<(double Offset, double Latency)> Latencies, TimeSpan Elapsed)> CreatePodsAsync(HttpClient http, int pods, int writers, long[] sentAt)
    {
        var latencies = new ConcurrentBag<(double Offset, double Latency)>();
        var next = -1;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < pods)
            {
                var name = $"pod-{i}";
                var body = PodBody(name, i);
                var start = Stopwatch.GetTimestamp();
                Volatile.Write(ref sentAt[i], start);
                using var response = await http.PostAsync(new Uri("/api/v1/namespaces/default/pods", UriKind.Relative), body);
                latencies.Add((total.Elapsed.TotalMilliseconds, Stopwatch.GetElapsedTime(start).TotalMilliseconds));
                response.EnsureSuccessStatusCode();
            }
        }));
        return ([.. latencies], total.Elapsed);
    }

    private static async Task<(List<(double Offset, double Latency)> Latencies, TimeSpan Elapsed)> CreatePodsAtRateAsync(HttpClient http, int pods, int rate, long[] sentAt)
    {
        var latencies = new ConcurrentBag<(double Offset, double Latency)>();
        var inFlight = new List<Task>(pods);
        var total = Stopwatch.StartNew();
        var origin = Stopwatch.GetTimestamp();
        for (var i = 0; i < pods; i++)
        {
            var due = origin + (long)(i * (double)Stopwatch.Frequency / rate);
            if (Stopwatch.GetTimestamp() < due)
            {
                // Timers fire at about 1 ms granularity: creates that fell due meanwhile go out together, each timed from its own due time.
                await Task.Delay(TimeSpan.FromTicks(Math.Max(1, (due - Stopwatch.GetTimestamp()) * TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
            }
            inFlight.Add(CreateAsync(i, due));
        }
        await Task.WhenAll(inFlight);
        return ([.. latencies], total.Elapsed);

        async Task CreateAsync(int i, long due)
        {
            var name = $"pod-{i}";
            Volatile.Write(ref sentAt[i], due);
            using var response = await http.PostAsync(new Uri("/api/v1/namespaces/default/pods", UriKind.Relative), PodBody(name, i));
            latencies.Add((total.Elapsed.TotalMilliseconds, Stopwatch.GetElapsedTime(due).TotalMilliseconds));
            response.EnsureSuccessStatusCode();
        }
    }

    private static StringContent PodBody(string name, int i) =>
        new($$$"""{"metadata":{"name":"{{{name}}}","labels":{"shard":"{{{i % 50}}}"}},"spec":{"containers":[{"name":"main","image":"app"}]}}""", Encoding.UTF8, "application/json");

    private static async Task<List<double>> ListAsync(HttpClient http, string path, int times)
    {
        var result = new List<double>();
        for (var i = 0; i < times; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var text = await http.GetStringAsync(new Uri(path, UriKind.Relative));
            result.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            GC.KeepAlive(text);
        }
        return result;
    }

    private static async Task<TimeSpan> WaitRunningAsync(HttpClient http, int pods)
    {
        var start = Stopwatch.StartNew();
        await WaitUntilAsync(async () => Count(await http.GetStringAsync(new Uri("/api/v1/pods?fieldSelector=status.phase%3DRunning", UriKind.Relative))) >= pods, TimeSpan.FromMinutes(10));
        return start.Elapsed;
    }

    private static int Count(string list) => JsonNode.Parse(list)!["items"]!.AsArray().Count;

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout) =>
        await WaitUntilAsync(() => Task.FromResult(condition()), timeout);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException("the scale run did not converge");
            }
            await Task.Delay(250);
        }
    }

    private static double RssMiB(int pid) =>
        File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1] is var kb ? double.Parse(kb, CultureInfo.InvariantCulture) / 1024 : 0;

    private static double P(List<double> values, double q)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
    }

    /// <summary>
    /// Where the phase's time went, from the server's /metrics and the driver's own counters; and whether the
    /// slow writes cluster in time (a pause stalls every writer at once) or are spread out (queueing, CPU).
    /// </summary>
    private static void PrintWhereTimeWent(IEnumerable<(string Metric, string Value)> rows, List<(double Offset, double Latency)> writes)
    {
        Console.WriteLine();
        Console.WriteLine("| where the time went (create phase) | value |");
        Console.WriteLine("|---|---|");
        foreach (var (metric, value) in rows)
        {
            Console.WriteLine($"| {metric} | {value} |");
        }
        var slow = writes.Where(w => w.Latency > 10).ToList();
        var windows = slow.Select(w => (long)((w.Offset - w.Latency) / 100)).Distinct().Count();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| writes over 10 ms / distinct 100 ms windows they started in | {slow.Count} / {windows} |"));
    }

    private static void Print(int nodes, int pods, int watchers, string load, TimeSpan registration, List<(double Offset, double Latency)> timedWrites, TimeSpan elapsed,
        List<double> lists, List<double> selected, List<double> delays, TimeSpan running, double rss)
    {
        var c = CultureInfo.InvariantCulture;
        var writes = timedWrites.Select(w => w.Latency).ToList();
        Console.WriteLine($"Scale run: {nodes} simulated nodes, {pods} pods, {watchers} watchers on all pods, {load} over HTTP");
        Console.WriteLine();
        Console.WriteLine("| metric | value |");
        Console.WriteLine("|---|---|");
        Console.WriteLine(string.Create(c, $"| node registration ({nodes} nodes) | {registration.TotalSeconds:0.0} s |"));
        Console.WriteLine(string.Create(c, $"| pod create throughput | {pods / elapsed.TotalSeconds:0} /s |"));
        Console.WriteLine(string.Create(c, $"| write (pod create) p50 / p99 | {P(writes, 0.5):0.00} ms / {P(writes, 0.99):0.00} ms |"));
        Console.WriteLine(string.Create(c, $"| watch delivery (create sent → ADDED read) p50 / p99 | {P(delays, 0.5):0.00} ms / {P(delays, 0.99):0.00} ms |"));
        Console.WriteLine(string.Create(c, $"| list all {pods} pods (median of 5) | {P(lists, 0.5):0} ms |"));
        Console.WriteLine(string.Create(c, $"| list with labelSelector, {pods / 50} matches (median of 5) | {P(selected, 0.5):0} ms |"));
        Console.WriteLine(string.Create(c, $"| all pods Running after the last create | {running.TotalSeconds:0.0} s |"));
        Console.WriteLine(string.Create(c, $"| server RSS at the end | {rss:0} MiB |"));
    }
}
