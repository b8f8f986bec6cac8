using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace Greengrass.E2E.Tests.Support;

/// <summary>
/// <c>e2e/peers/s3-server.js</c> as a process: s3rver (a third-party S3-compatible server for Node) with a SigV4 check in
/// front that signs every request again with the official AWS SDK signer and refuses a difference with
/// <c>403 SignatureDoesNotMatch</c>. The objects are uploaded with <c>@aws-sdk/client-s3</c> before it reports ready.
/// </summary>
internal sealed class S3Peer : IAsyncDisposable
{
    public const string AccessKeyId = "AKIDEDGECLUSTER";
    public const string SecretAccessKey = "edge-cluster-secret/Q2xpZW50+S3";

    private readonly Process _process;
    private readonly string _directory;
    private readonly ConcurrentQueue<JsonElement> _lines = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private S3Peer(Process process, string directory)
    {
        _process = process;
        _directory = directory;
    }

    public static string PeersDirectory { get; } = Path.Combine(Repository.Root, "e2e", "peers");

    /// <summary>The server's base URL, <c>http://127.0.0.1:PORT</c> (path-style requests).</summary>
    public string Endpoint { get; private set; } = "";

    /// <summary>The signature verdict of every request the server checked ("match", "mismatch", …), keyed "METHOD /path".</summary>
    public IReadOnlyList<(string Request, string Verdict)> Checked =>
        [.. _lines.Where(l => l.TryGetProperty("checked", out _)).Select(l => (l.GetProperty("checked").GetString()!, l.GetProperty("signature").GetString()!))];

    /// <summary>Starts the server with <paramref name="bucket"/> holding <paramref name="objects"/> (key → content).</summary>
    public static async Task<S3Peer> StartAsync(string bucket, IReadOnlyDictionary<string, byte[]> objects)
    {
        var directory = Path.Combine("/tmp", "ggs3-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(directory, "store"));
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = PeersDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "s3-server.js", "--dir", Path.Combine(directory, "store"), "--access-key", AccessKeyId, "--secret-key", SecretAccessKey, "--bucket", bucket })
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

        var peer = new S3Peer(new Process { StartInfo = info }, directory);
        peer.Start();
        await Eventually.True(
            () => Task.FromResult(peer._lines.Any(l => l.TryGetProperty("endpoint", out _))
                || (peer._process.HasExited ? throw new InvalidOperationException($"s3-server.js exited with {peer._process.ExitCode}: {string.Join('\n', peer._stderr)}") : false)),
            "s3-server.js to listen", TimeSpan.FromSeconds(90));
        peer.Endpoint = peer._lines.First(l => l.TryGetProperty("endpoint", out _)).GetProperty("endpoint").GetString()!;
        return peer;
    }

    private void Start()
    {
        _process.OutputDataReceived += (_, e) =>
        {
            if (!string.IsNullOrWhiteSpace(e.Data) && e.Data.StartsWith('{'))
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
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
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
            // the temp folder is cleaned by the OS
        }
    }
}
