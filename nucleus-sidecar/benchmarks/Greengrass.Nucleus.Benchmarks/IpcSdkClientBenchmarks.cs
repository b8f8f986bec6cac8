using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace Greengrass.Nucleus.Benchmarks;

/// <summary>
/// The same pub/sub round trip driven by the official npm aws-iot-device-sdk-v2 client (e2e/peers/ipc-peer.js
/// bench): one bounded run; the figures measured inside node are printed. The BenchmarkDotNet time of this
/// benchmark includes node's start-up and is not the figure to read.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 1, invocationCount: 1)]
public class IpcSdkClientBenchmarks
{
    private IpcBenchServer _server = null!;

    [GlobalSetup]
    public async Task SetupAsync() => _server = await IpcBenchServer.StartAsync();

    [Benchmark]
    public async Task SdkRoundTripsAndBurst()
    {
        var peers = FindPeers() ?? throw new InvalidOperationException("e2e/peers/node_modules is missing: run `make test-deps`");
        var info = new ProcessStartInfo("node") { WorkingDirectory = peers, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "ipc-peer.js", "bench", "bench/sdk", "5000", "20000" })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT"] = _server.SocketPath;
        info.Environment["SVCUID"] = _server.Token;
        info.Environment["PEER_TIMEOUT_MS"] = "300000";
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Console.WriteLine($"// SDK client (node): {output.Trim()}");
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"node bench exited with {process.ExitCode}");
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await _server.DisposeAsync();

    private static string? FindPeers()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var peers = Path.Combine(dir.FullName, "e2e", "peers");
            if (File.Exists(Path.Combine(dir.FullName, "Greengrass.Operator.sln")) && Directory.Exists(Path.Combine(peers, "node_modules")))
            {
                return peers;
            }
        }

        return null;
    }
}
