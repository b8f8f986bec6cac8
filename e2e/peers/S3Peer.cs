using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace Greengrass.Peers;

/// <summary>
/// <c>e2e/peers/s3-server.js</c> as a real process: s3rver (a third-party S3-compatible server for Node) with the SigV4
/// check s3rver lacks in front: every signed request is signed again with the official AWS SDK signer
/// (@smithy/signature-v4) and refused with <c>403 SignatureDoesNotMatch</c> on a difference. The objects are uploaded
/// with <c>@aws-sdk/client-s3</c> before the server reports ready.
/// </summary>
/// <remarks>
/// The nucleus tests and the e2e scenarios both start this peer. Test projects share no assembly, so this one file is
/// compiled into each of them (a linked <c>Compile</c> item beside the script it drives) and uses nothing but the BCL.
/// </remarks>
internal sealed class S3Peer : IAsyncDisposable
{
    public const string AccessKeyId = "AKIDEDGETEST";
    public const string SecretAccessKey = "edge-test-secret/K7MDENG+bPxRfi";

    // Generous: npm start-up and the uploads are slow on a loaded shared machine.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly string _directory;
    private readonly TaskCompletionSource<string> _endpoint = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<JsonElement> _checked = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private bool _started;

    private S3Peer(ProcessStartInfo info, string directory)
    {
        _process = new Process { StartInfo = info };
        _directory = directory;
    }

    /// <summary>The <c>e2e/peers</c> folder of the checkout this test assembly was built in.</summary>
    public static string PeersDirectory { get; } = Path.Combine(FindRepositoryRoot(), "e2e", "peers");

    /// <summary>Why the peer cannot start on this machine (its npm packages are not installed), or null when it can.</summary>
    public static string? MissingReason { get; } =
        Directory.Exists(Path.Combine(PeersDirectory, "node_modules", "s3rver")) &&
        Directory.Exists(Path.Combine(PeersDirectory, "node_modules", "@aws-sdk", "client-s3"))
            ? null
            : "e2e/peers/node_modules has no s3rver or @aws-sdk/client-s3: run `make test-deps` to install the npm peers";

    /// <summary>The server's base URL as it printed it, <c>http://127.0.0.1:PORT</c> (path-style requests).</summary>
    public string Endpoint { get; private set; } = "";

    /// <summary>The signature verdict of every request the server checked ("match", "mismatch", …), keyed "METHOD /path".</summary>
    public IReadOnlyList<(string Request, string Verdict)> Checked =>
        [.. _checked.Select(l => (l.GetProperty("checked").GetString()!, l.GetProperty("signature").GetString()!))];

    /// <summary>Starts the server with <paramref name="bucket"/> holding <paramref name="objects"/> (key → content).</summary>
    public static async Task<S3Peer> StartAsync(string bucket, IReadOnlyDictionary<string, byte[]> objects)
    {
        if (MissingReason is not null)
        {
            throw new InvalidOperationException(MissingReason);
        }

        var directory = Path.Combine(Path.GetTempPath(), "ggs3-" + Guid.NewGuid().ToString("N")[..12]);
        var store = Path.Combine(directory, "store");
        Directory.CreateDirectory(store);
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = PeersDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "s3-server.js", "--dir", store, "--access-key", AccessKeyId, "--secret-key", SecretAccessKey, "--bucket", bucket })
        {
            info.ArgumentList.Add(arg);
        }

        var index = 0;
        foreach (var (key, content) in objects)
        {
            var file = Path.Combine(directory, $"object-{index++}");
            await File.WriteAllBytesAsync(file, content);
            info.ArgumentList.Add("--put");
            info.ArgumentList.Add($"{key}={file}");
        }

        var peer = new S3Peer(info, directory);
        try
        {
            await peer.StartAndWaitForEndpointAsync();
            return peer;
        }
        catch
        {
            await peer.DisposeAsync();
            throw;
        }
    }

    private async Task StartAndWaitForEndpointAsync()
    {
        _process.OutputDataReceived += (_, e) => OnOutputLine(e.Data);
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _stderr.Enqueue(e.Data);
            }
        };
        _process.Start();
        _started = true;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var stop = new CancellationTokenSource(StartTimeout);
        var exited = _process.WaitForExitAsync(stop.Token);
        await Task.WhenAny(_endpoint.Task, exited);
        if (_endpoint.Task.IsCompletedSuccessfully)
        {
            await stop.CancelAsync(); // ends the exit wait: the server is up
            Endpoint = await _endpoint.Task;
            return;
        }

        throw new InvalidOperationException(_process.HasExited
            ? $"s3-server.js exited with {_process.ExitCode}: {string.Join('\n', _stderr)}"
            : $"s3-server.js printed no endpoint within {StartTimeout.TotalSeconds} s: {string.Join('\n', _stderr)}");
    }

    private void OnOutputLine(string? line)
    {
        if (string.IsNullOrWhiteSpace(line) || !line.StartsWith('{'))
        {
            return;
        }

        using var document = JsonDocument.Parse(line);
        var json = document.RootElement.Clone();
        if (json.TryGetProperty("endpoint", out var endpoint))
        {
            _endpoint.TrySetResult(endpoint.GetString()!);
        }
        else if (json.TryGetProperty("checked", out _))
        {
            _checked.Enqueue(json);
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Greengrass.Operator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root (Greengrass.Operator.sln) not found above " + AppContext.BaseDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        if (_started && !_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail a test.
        }
    }
}
