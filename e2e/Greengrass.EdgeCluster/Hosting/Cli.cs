using System.Runtime.InteropServices;
using System.Text.Json;

namespace Greengrass.EdgeCluster.Hosting;

/// <summary><c>greengrass-edgecluster up --nodes 2 --kubeconfig PATH [...]</c>: runs until SIGINT/SIGTERM.</summary>
internal static class Cli
{
    private const string Usage = """
        usage: greengrass-edgecluster up --kubeconfig PATH [--nodes N] [--port N] [--http] [--state-dir DIR]
                                     [--watch-window N] [--rbac] [--kubelet process|simulated|none]
                                     [--image-map FILE] [--node-config FILE] [--work-dir DIR] [--token TOKEN]
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] != "up")
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }
        EdgeClusterOptions options;
        try
        {
            options = Parse(args[1..]);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or JsonException or IOException)
        {
            await Console.Error.WriteLineAsync($"greengrass-edgecluster: {e.Message}\n{Usage}");
            return 2;
        }
        using var stop = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        await using var cluster = await EdgeCluster.StartAsync(options, stop.Token);
        Console.WriteLine($"edge cluster serving at {cluster.BaseUrl}; kubeconfig {cluster.KubeconfigPath}; {options.Nodes.Count} node(s)");
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine("shutting down");
        }
        return 0;
    }

    internal static EdgeClusterOptions Parse(string[] args)
    {
        var options = new EdgeClusterOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Number(string flag) => int.TryParse(Value(), out var n) && n >= 0 ? n : throw new ArgumentException($"{flag} needs a non-negative integer");
            switch (args[i])
            {
                case "--nodes": options.WithNodes(Number("--nodes")); break;
                case "--kubeconfig": options.KubeconfigPath = Value(); break;
                case "--port": options.Port = Number("--port"); break;
                case "--http": options.Http = true; break;
                case "--state-dir": options.StateDir = Value(); break;
                case "--watch-window": options.WatchWindow = Math.Max(1, Number("--watch-window")); break;
                case "--rbac": options.Rbac = true; break;
                case "--token": options.AdminToken = Value(); break;
                case "--work-dir": options.WorkDir = Value(); break;
                case "--kubelet":
                    options.Kubelet = Value() switch
                    {
                        "process" => KubeletMode.Process,
                        "simulated" => KubeletMode.Simulated,
                        "none" => KubeletMode.None,
                        var other => throw new ArgumentException($"--kubelet: unknown mode '{other}' (process, simulated, none)"),
                    };
                    break;
                case "--image-map":
                    options.ImageMap = JsonSerializer.Deserialize<Dictionary<string, string[]>>(File.ReadAllText(Value()))
                        ?? throw new ArgumentException("--image-map: the file is empty");
                    break;
                case "--node-config":
                    options.Nodes = JsonSerializer.Deserialize<List<NodeSpec>>(File.ReadAllText(Value()), new JsonSerializerOptions(JsonSerializerDefaults.Web))
                        ?? throw new ArgumentException("--node-config: the file is empty");
                    break;
                default: throw new ArgumentException($"unknown flag {args[i]}");
            }
        }
        if (options.KubeconfigPath is null)
        {
            throw new ArgumentException("--kubeconfig is required");
        }
        return options;
    }
}
