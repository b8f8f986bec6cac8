using System.Text.Json.Nodes;
using Greengrass.Api;
using Greengrass.EdgeCluster.Hosting;
using k8s;
using k8s.Models;

namespace Greengrass.E2E.Tests.Support;

/// <summary>
/// One embedded edge cluster whose process kubelet runs the built nucleus for the nucleus image, and one
/// operator, shared by the scenarios of a test class (each scenario works in its own namespace).
/// </summary>
public sealed class NucleusCluster : IAsyncLifetime
{
    public const string NucleusImage = "greengrass-nucleus:dev";

    private GreengrassCluster? _gg;

    /// <summary>The node directories; each node's host paths are under <c>&lt;WorkDir&gt;/&lt;node&gt;/host</c>.</summary>
    /// <remarks>Kept short: the nucleus's Unix sockets live in its root, and a socket path has at most 108 bytes.</remarks>
    public string WorkDir { get; } = Path.Combine("/tmp", $"ggn-{Guid.NewGuid().ToString("N")[..8]}");

    /// <summary>The port of the operator's discovery API (its serving certificate's CA is in the Secret <c>default/greengrass-discovery-tls</c>).</summary>
    public int DiscoveryPort { get; } = FreePort.Next();

    internal GreengrassCluster Gg => _gg ?? throw new InvalidOperationException("the cluster is not started");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(WorkDir);
        _gg = await GreengrassCluster.StartAsync(options =>
        {
            options.Kubelet = KubeletMode.Process;
            options.WorkDir = WorkDir;
            options.ImageMap = new() { [NucleusImage] = ["dotnet", Repository.NucleusDll] };
            // A deleted nucleus pod comes back quickly; the default back-off is for crash loops.
            options.RestartBackoff = TimeSpan.FromSeconds(1);
        });
        _gg.StartOperator("operator-1", false, "Information", "--nucleus-image", NucleusImage, "--heartbeat", "60",
            "--discovery-port", DiscoveryPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public async Task DisposeAsync()
    {
        if (_gg is not null)
        {
            await _gg.DisposeAsync();
        }

        KillLeftovers();

        try
        {
            Directory.Delete(WorkDir, recursive: true);
        }
        catch (IOException)
        {
            // a component process may still be closing a file; the temp folder is cleaned by the OS
        }
    }

    /// <summary>
    /// Nucleus and component processes that outlived the cluster's shutdown (the process kubelet does not always
    /// stop them): only those of this fixture, recognised by its unique node directory in their command line or
    /// working directory.
    /// </summary>
    private void KillLeftovers()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), System.Globalization.CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var cwd = new DirectoryInfo(Path.Combine(dir, "cwd")).LinkTarget ?? "";
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                if (cwd.StartsWith(WorkDir, StringComparison.Ordinal) || cmdline.Contains(WorkDir, StringComparison.Ordinal))
                {
                    using var process = System.Diagnostics.Process.GetProcessById(pid);
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException
                or System.ComponentModel.Win32Exception)
            {
                // gone meanwhile, or not ours to read
            }
        }
    }

    /// <summary>The component's work directory on the device's node (the nucleus root is a host path).</summary>
    public string WorkPath(string node, string ns, string device, string component) =>
        Path.Combine(WorkDir, node, "host", "var", "lib", "greengrass", ns, device, "work", component);

    /// <summary>The component's log file on the device's node (<c>logs/&lt;component&gt;.log</c> under the nucleus root).</summary>
    public string LogPath(string node, string ns, string device, string component) =>
        Path.Combine(WorkDir, node, "host", "var", "lib", "greengrass", ns, device, "logs", component + ".log");

    /// <summary>A component whose lifecycle is <paramref name="lifecycle"/> (step name → shell script).</summary>
    internal static Component Component(string ns, string name, string version, JsonObject? configuration,
        params (string Step, string Script)[] lifecycle) => new()
        {
            Metadata = new V1ObjectMeta { Name = $"{name.ToLowerInvariant()}-{version}", NamespaceProperty = ns },
            Spec = new ComponentSpec
            {
                RecipeFormatVersion = "2020-01-25",
                ComponentName = name,
                ComponentVersion = version,
                Configuration = configuration is null ? null : new ComponentConfiguration { DefaultConfiguration = configuration },
                Manifests =
                [
                    new ComponentManifest
                    {
                        Platform = new Dictionary<string, string> { ["os"] = "linux" },
                        Lifecycle = new JsonObject(lifecycle.Select(s => KeyValuePair.Create(s.Step, (JsonNode?)s.Script))),
                    },
                ],
            },
        };

    internal Task<CoreDevice> DeviceAsync(string ns, string name, Func<CoreDevice, bool> accept, string what, TimeSpan? timeout = null)
    {
        CoreDevice? last = null;
        return Explained(() => Eventually.Value(async () =>
        {
            last = await Gg.GetAsync<CoreDevice>(ns, GreengrassApi.CoreDevicePlural, name);
            return last is not null && accept(last) ? last : null;
        }, $"{name}: {what}", timeout ?? TimeSpan.FromSeconds(120)), () => KubernetesJson.Serialize(last?.Status));
    }

    /// <summary>Waits until the CoreDevice is Stalled for <paramref name="reason"/>; the message of its Ready condition, which says why.</summary>
    internal async Task<string> StalledAsync(string ns, string name, string reason)
    {
        var stalled = await DeviceAsync(ns, name,
            d => Conditions.Find(d.Status?.Conditions, ConditionTypes.Stalled) is { Status: ConditionStatuses.True } c && c.Reason == reason,
            $"Stalled with {reason}");
        return Conditions.Find(stalled.Status!.Conditions, ConditionTypes.Ready)!.Message ?? "";
    }

    internal Task<V1Pod> PodAsync(string ns, string name, Func<V1Pod, bool> accept, string what)
    {
        V1Pod? last = null;
        return Explained(() => Eventually.Value(async () =>
        {
            last = (await Gg.Client.CoreV1.ListNamespacedPodAsync(ns)).Items.FirstOrDefault(p => p.Metadata.Name == name);
            return last is not null && accept(last) ? last : null;
        }, $"pod {name}: {what}", TimeSpan.FromSeconds(120)), () => KubernetesJson.Serialize(last?.Status));
    }

    /// <summary>A timeout says what was last seen and how the operator's log ends, so a failed run can be diagnosed.</summary>
    private async Task<T> Explained<T>(Func<Task<T>> wait, Func<string> lastSeen)
    {
        try
        {
            return await wait();
        }
        catch (TimeoutException e)
        {
            var log = Gg.Operators.SelectMany(o => o.Output).TakeLast(30);
            throw new TimeoutException($"{e.Message}\nlast seen: {lastSeen()}\noperator log:\n{string.Join('\n', log)}", e);
        }
    }

    internal static string? State(CoreDevice device, string component) =>
        device.Status?.Components?.FirstOrDefault(c => c.Name == component)?.State;

    internal static bool AllRunning(CoreDevice device, params string[] components) =>
        components.All(c => State(device, c) == ComponentStates.Running);

    internal static bool AllReady(CoreDevice device, params string[] components) =>
        components.All(c => State(device, c) is ComponentStates.Running or ComponentStates.Finished);

    internal static V1PodCondition? PodCondition(V1Pod pod, string type) =>
        pod.Status?.Conditions?.FirstOrDefault(c => c.Type == type);
}
