using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Greengrass.Nucleus.Mqtt.Broker;

namespace Greengrass.Nucleus.Tests.Mqtt;

/// <summary>A throw-away PKI in a temp directory: the core device CA and PEM files for clients and servers.</summary>
internal sealed class TestPki : IDisposable
{
    public TestPki()
    {
        Directory.CreateDirectory(Root);
        Ca = CertificateAuthority.Create("Test Core CA", CaKeyType.EcdsaP256, TimeProvider.System);
        File.WriteAllText(CaPath, Ca.CertificatePem);
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "gg-mqtt-" + Guid.NewGuid().ToString("N")[..10]);

    public CertificateAuthority Ca { get; }

    public string CaPath => Path.Combine(Root, "ca.pem");

    public ClientIdentity IssueClient(string thingName, CertificateAuthority? issuer = null)
    {
        var cert = (issuer ?? Ca).IssueClientCertificate(thingName, TimeSpan.FromDays(2), TimeProvider.System);
        return Write(thingName, cert);
    }

    public ClientIdentity IssueServer(string name)
    {
        var cert = Ca.IssueServerCertificate(["127.0.0.1"], TimeSpan.FromDays(2), TimeProvider.System);
        return Write(name, cert);
    }

    private ClientIdentity Write(string name, X509Certificate2 cert)
    {
        var certPath = Path.Combine(Root, name + ".crt");
        var keyPath = Path.Combine(Root, name + ".key");
        File.WriteAllText(certPath, cert.ExportCertificatePem());
        File.WriteAllText(keyPath, CertificateAuthority.ExportKeyPem(cert));
        return new ClientIdentity(name, cert, certPath, keyPath);
    }

    public void Dispose()
    {
        Ca.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // a child process may still hold a file for a moment; the temp dir is disposable anyway
        }
    }
}

internal sealed record ClientIdentity(string ThingName, X509Certificate2 Certificate, string CertPath, string KeyPath)
{
    public string CertificatePem => Certificate.ExportCertificatePem();
}

internal static class TestUtil
{
    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public static async Task Eventually(Func<bool> condition, TimeSpan? timeout = null, string? what = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > limit)
            {
                throw new TimeoutException("condition not met in time: " + what);
            }

            await Task.Delay(50);
        }
    }

    public static async Task WaitForPort(int port, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (watch.Elapsed < timeout)
            {
                await Task.Delay(50);
            }
        }
    }

    public static string RepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "Greengrass.Operator.sln")))
        {
            dir = Path.GetDirectoryName(dir) ?? throw new InvalidOperationException("repository root not found");
        }

        return dir;
    }
}

/// <summary>Runs a real process to completion (with a timeout) and captures its output.</summary>
internal static class Proc
{
    public static async Task<(int Exit, string Out, string Err)> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout, string? cwd = null)
    {
        using var p = Start(file, args, cwd);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
        }

        return (p.ExitCode, await stdout, await stderr);
    }

    public static Process Start(string file, IEnumerable<string> args, string? cwd = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = cwd ?? Environment.CurrentDirectory,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return Process.Start(psi) ?? throw new InvalidOperationException("could not start " + file);
    }
}

/// <summary>A real Mosquitto on an ephemeral loopback port with TLS and required client certificates.</summary>
internal sealed class MosquittoServer : IAsyncDisposable
{
    private readonly string _config;
    private Process? _process;
    private readonly StringBuilder _log = new();

    public MosquittoServer(TestPki pki, bool tls = true, int? port = null)
    {
        Port = port ?? TestUtil.FreePort();
        var server = pki.IssueServer("mosquitto-" + Port);
        _config = Path.Combine(pki.Root, $"mosquitto-{Port}.conf");
        Directory.CreateDirectory(Path.Combine(pki.Root, $"mosquitto-{Port}"));
        var lines = new List<string>
        {
            "per_listener_settings false",
            "persistence true",
            $"persistence_location {Path.Combine(pki.Root, $"mosquitto-{Port}")}/",
            "autosave_interval 0",
            // Started as root Mosquitto would switch to its own user, which cannot write the test's directory.
            $"user {Environment.UserName}",
            "allow_anonymous true",
            "max_queued_messages 100000",
            "max_inflight_messages 20",
            $"listener {Port} 127.0.0.1",
        };
        if (tls)
        {
            lines.AddRange([$"cafile {pki.CaPath}", $"certfile {server.CertPath}", $"keyfile {server.KeyPath}", "require_certificate true", "use_identity_as_username true"]);
        }

        File.WriteAllLines(_config, lines);
    }

    public int Port { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public async Task StartAsync()
    {
        _process = Proc.Start("mosquitto", ["-c", _config, "-v"]);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        await TestUtil.WaitForPort(Port, TimeSpan.FromSeconds(20));
    }

    /// <summary>SIGTERM: Mosquitto saves persistent sessions and their queued messages, then exits.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } p)
        {
            using var term = Proc.Start("kill", ["-TERM", p.Id.ToString()]);
            await term.WaitForExitAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await p.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                p.Kill(entireProcessTree: true);
                await p.WaitForExitAsync();
            }
        }

        _process?.Dispose();
        _process = null;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
