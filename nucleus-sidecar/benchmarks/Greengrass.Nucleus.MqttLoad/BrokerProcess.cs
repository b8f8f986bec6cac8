using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Greengrass.Nucleus.MqttLoad;

/// <summary>
/// A broker under test as a child process: Mosquitto and the nucleus are started the same way (own process, port
/// chosen up front, ready once the port accepts), and both report the CPU time they used, which a shared machine
/// distorts less than wall-clock figures.
/// </summary>
internal sealed class BrokerProcess : IAsyncDisposable
{
    private const int KeptOutputChars = 8192;
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private BrokerProcess(string name, int port, Process process)
    {
        Name = name;
        Port = port;
        _process = process;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int Port { get; }

    /// <summary>User plus system CPU time of the broker process so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Resident set size of the broker process now, in MiB.</summary>
    public double RssMiB
    {
        get
        {
            _process.Refresh();
            return _process.WorkingSet64 / (1024.0 * 1024.0);
        }
    }

    public static async Task<BrokerProcess> StartAsync(string name, int port, string fileName, IEnumerable<string> arguments, IEnumerable<string> environment)
    {
        // Output is drained continuously: a broker blocked on a full stderr pipe would be measured as slow.
        var info = new ProcessStartInfo(fileName, arguments) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var variable in environment)
        {
            var split = variable.IndexOf('=', StringComparison.Ordinal);
            if (split <= 0)
            {
                throw new ArgumentException($"--nucleus-env: '{variable}' is not NAME=VALUE");
            }

            info.Environment[variable[..split]] = variable[(split + 1)..];
        }

        var broker = new BrokerProcess(name, port, Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}"));
        try
        {
            await broker.WaitForPortAsync(TimeSpan.FromSeconds(90));
            return broker;
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitForPortAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}: {RecentOutput}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"{Name} did not listen on port {Port} within {timeout}: {RecentOutput}");
    }

    public string RecentOutput
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            if (_output.Length > KeptOutputChars)
            {
                _output.Remove(0, _output.Length - KeptOutputChars);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
