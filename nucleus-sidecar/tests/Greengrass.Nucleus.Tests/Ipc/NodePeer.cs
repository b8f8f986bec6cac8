using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace Greengrass.Nucleus.Tests.Ipc;

/// <summary>
/// Runs <c>e2e/peers/ipc-peer.js</c> (the unmodified aws-iot-device-sdk-v2 IPC client) as a real process with
/// a component's environment, and collects the JSON lines it prints.
/// </summary>
internal sealed class NodePeer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<JsonElement> _lines = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private NodePeer(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (!string.IsNullOrWhiteSpace(e.Data))
            {
                _lines.Enqueue(JsonDocument.Parse(e.Data).RootElement.Clone());
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _stderr.Enqueue(e.Data);
            }
        };
    }

    /// <summary>The folder holding node_modules, or null when <c>make test-deps</c> has not been run.</summary>
    public static string? PeersDirectory { get; } = FindPeers();

    public const string SkipReason = "e2e/peers/node_modules is missing: run `make test-deps` to install the aws-iot-device-sdk-v2 peer";

    public IReadOnlyList<JsonElement> Lines => [.. _lines];

    public string Stderr => string.Join('\n', _stderr);

    public static NodePeer Start(string socketPath, string token, params string[] args) =>
        StartIn(PeersDirectory ?? throw new InvalidOperationException(SkipReason), socketPath, token, args);

    /// <summary>Starts the peer in <paramref name="workingDirectory"/>, as a component runs in <c>&lt;root&gt;/work/&lt;name&gt;</c>.</summary>
    public static NodePeer StartIn(string workingDirectory, string socketPath, string token, params string[] args) =>
        StartScript("ipc-peer.js", workingDirectory, socketPath, token, args);

    /// <summary>Starts another script of <c>e2e/peers</c> (e.g. <c>custom-broker.js</c>) with a component's environment.</summary>
    public static NodePeer StartScript(string script, string workingDirectory, string socketPath, string token, params string[] args)
    {
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(PeersDirectory ?? throw new InvalidOperationException(SkipReason), script));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT"] = socketPath;
        info.Environment["SVCUID"] = token;
        var process = new Process { StartInfo = info };
        var peer = new NodePeer(process);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return peer;
    }

    /// <summary>Waits for the first printed line that has <paramref name="property"/>.</summary>
    public async Task<JsonElement> WaitForAsync(string property, int timeoutSeconds = 60)
    {
        JsonElement found = default;
        await Eventually.TrueAsync(
            () =>
            {
                foreach (var line in _lines)
                {
                    if (line.TryGetProperty(property, out var value))
                    {
                        found = value;
                        return true;
                    }
                }

                // HasExited can turn true before the last output lines were delivered: the parameterless WaitForExit
                // returns once they were (the peer has no children holding its pipes).
                return _process.HasExited && WaitForOutput() && _lines.All(l => !l.TryGetProperty(property, out _))
                    ? throw new InvalidOperationException($"peer exited ({_process.ExitCode}) without printing '{property}': {Describe()}")
                    : false;
            },
            $"the peer to print '{property}'",
            timeoutSeconds);
        return found;
    }

    private bool WaitForOutput()
    {
        _process.WaitForExit();
        return true;
    }

    public IEnumerable<JsonElement> All(string property) =>
        _lines.Where(l => l.TryGetProperty(property, out _)).Select(l => l.GetProperty(property));

    /// <summary>Waits for a clean exit; fails with the peer's output otherwise.</summary>
    public async Task ExitedCleanlyAsync(int timeoutSeconds = 60)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        await _process.WaitForExitAsync(timeout.Token);
        Assert.True(_process.ExitCode == 0, $"peer exited with {_process.ExitCode}: {Describe()}");
    }

    private string Describe() => $"stdout: {string.Join(" | ", _lines.Select(l => l.GetRawText()))} stderr: {Stderr}";

    private static string? FindPeers()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Greengrass.Operator.sln")))
            {
                var peers = Path.Combine(dir.FullName, "e2e", "peers");
                return Directory.Exists(Path.Combine(peers, "node_modules", "aws-iot-device-sdk-v2")) ? peers : null;
            }
        }

        return null;
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

/// <summary>A fact that runs only when the npm peers are installed; the skip text says how to install them.</summary>
internal sealed class SdkFactAttribute : FactAttribute
{
    public SdkFactAttribute()
    {
        if (NodePeer.PeersDirectory is null)
        {
            Skip = NodePeer.SkipReason;
        }
    }
}
