using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Greengrass.Nucleus.Tests.TestSupport;

namespace Greengrass.Nucleus.Tests.Aws;

/// <summary>
/// <c>e2e/peers/s3-server.js</c> as a real process: s3rver, a third-party fake S3 server for Node, plus the SigV4
/// check s3rver lacks (every signed request signed again with the official AWS SDK signer, @smithy/signature-v4, and
/// refused with 403 SignatureDoesNotMatch on a difference). Objects are uploaded by @aws-sdk/client-s3 at start.
/// </summary>
internal sealed class S3Server : IAsyncDisposable
{
    public const string AccessKeyId = "AKIDEDGETEST";
    public const string SecretAccessKey = "edge-test-secret/K7MDENG+bPxRfi";
    public const string SkipReason = "e2e/peers/node_modules has no s3rver or @aws-sdk/client-s3: run `make test-deps` to install the npm peers";

    private readonly Process _process;
    private readonly TempDirectory _directory;
    private readonly ConcurrentQueue<JsonElement> _lines = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private S3Server(Process process, TempDirectory directory)
    {
        _process = process;
        _directory = directory;
    }

    /// <summary>The peers folder when s3rver and the SDK are installed, else null.</summary>
    public static string? PeersDirectory { get; } = FindPeers();

    public Uri Endpoint { get; private set; } = null!;

    /// <summary>The signature verdict of every request the server checked ("match", "mismatch", …), keyed "METHOD /path".</summary>
    public IReadOnlyList<(string Request, string Verdict)> Checked =>
        [.. _lines.Where(l => l.TryGetProperty("checked", out _)).Select(l => (l.GetProperty("checked").GetString()!, l.GetProperty("signature").GetString()!))];

    /// <summary>Starts the server with <paramref name="bucket"/> holding <paramref name="objects"/> (key → content).</summary>
    public static async Task<S3Server> StartAsync(string bucket, IReadOnlyDictionary<string, byte[]> objects)
    {
        var directory = new TempDirectory();
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = PeersDirectory ?? throw new InvalidOperationException(SkipReason),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "s3-server.js", "--dir", directory.Combine("store"), "--access-key", AccessKeyId, "--secret-key", SecretAccessKey, "--bucket", bucket })
        {
            info.ArgumentList.Add(arg);
        }

        var index = 0;
        foreach (var (key, content) in objects)
        {
            var file = directory.Combine($"object-{index++}");
            await File.WriteAllBytesAsync(file, content);
            info.ArgumentList.Add("--put");
            info.ArgumentList.Add($"{key}={file}");
        }

        Directory.CreateDirectory(directory.Combine("store"));
        var server = new S3Server(new Process { StartInfo = info }, directory);
        server.Start();
        await server.WaitForEndpointAsync();
        return server;
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

    private async Task WaitForEndpointAsync()
    {
        await Eventually.HoldsAsync(
            () => _lines.Any(l => l.TryGetProperty("endpoint", out _)) ||
                   (_process.HasExited ? throw new InvalidOperationException($"s3-server.js exited with {_process.ExitCode}: {string.Join('\n', _stderr)}") : false),
            "s3-server.js to listen",
            TimeSpan.FromSeconds(90));
        Endpoint = new Uri(_lines.First(l => l.TryGetProperty("endpoint", out _)).GetProperty("endpoint").GetString()!);
    }

    private static string? FindPeers()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Greengrass.Operator.sln")))
            {
                var peers = Path.Combine(dir.FullName, "e2e", "peers");
                return Directory.Exists(Path.Combine(peers, "node_modules", "s3rver")) &&
                       Directory.Exists(Path.Combine(peers, "node_modules", "@aws-sdk", "client-s3"))
                    ? peers
                    : null;
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
        _directory.Dispose();
    }
}

/// <summary>A fact that needs the npm S3 peers; skipped with the install hint when they are missing.</summary>
internal sealed class S3FactAttribute : FactAttribute
{
    public S3FactAttribute()
    {
        if (S3Server.PeersDirectory is null)
        {
            Skip = S3Server.SkipReason;
        }
    }
}
