using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Greengrass.Operator.ScaleBenchmark;

/// <summary>The operator binary as a child process: its start time, its /metrics URL, its memory from /proc.</summary>
internal sealed class OperatorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private readonly int _metricsPort;

    private OperatorProcess(Process process, long started, int metricsPort)
    {
        _process = process;
        Started = started;
        _metricsPort = metricsPort;
    }

    /// <summary><see cref="Stopwatch"/> timestamp taken just before the process started.</summary>
    public long Started { get; }

    public static OperatorProcess Start(string dll, string kubeconfig)
    {
        var metricsPort = FreePort();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { dll, "operator", "run", "--kubeconfig", kubeconfig, "--leader-election", "false", "--metrics-port", metricsPort.ToString(CultureInfo.InvariantCulture), "--health-port", "0", "--discovery-port", "0" })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = new Process { StartInfo = info };
        var started = Stopwatch.GetTimestamp();
        var result = new OperatorProcess(process, started, metricsPort);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { result._output.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { result._output.Enqueue(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return result;
    }

    /// <summary>VmRSS and VmHWM (peak) of the operator, in MB.</summary>
    public (double Current, double Peak) ResidentMegabytes()
    {
        var status = File.ReadAllLines($"/proc/{_process.Id}/status");
        double Field(string name) => double.Parse(status.Single(l => l.StartsWith(name + ":", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        return (Field("VmRSS"), Field("VmHWM"));
    }

    public async Task<string> ScrapeAsync()
    {
        using var http = new HttpClient();
        return await http.GetStringAsync(new Uri($"http://127.0.0.1:{_metricsPort}/metrics"));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        if (_output.Any(l => l.Contains("fail:", StringComparison.Ordinal) || l.Contains("crit:", StringComparison.Ordinal)))
        {
            Console.WriteLine("operator errors:\n" + string.Join('\n', _output.Where(l => l.Contains("fail:", StringComparison.Ordinal)).Take(20)));
        }

        _process.Dispose();
    }

}
