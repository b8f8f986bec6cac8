using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Greengrass.E2E.Tests.Support;

/// <summary>A throw-away PKI written as PEM files: the CA of the upstream broker and the identities it trusts.</summary>
internal sealed class PemPki : IDisposable
{
    private readonly X509Certificate2 _ca;

    public PemPki()
    {
        Directory.CreateDirectory(Root);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Upstream Test CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        _ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllText(CaPath, _ca.ExportCertificatePem());
    }

    public string Root { get; } = Path.Combine("/tmp", "ggpki-" + Guid.NewGuid().ToString("N")[..8]);

    public string CaPath => Path.Combine(Root, "ca.crt");

    /// <summary>A certificate for <paramref name="name"/>: signed by the CA, or self-signed (a client device's own).</summary>
    public PemIdentity Issue(string name, bool server = false, bool selfSigned = false)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (server)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(System.Net.IPAddress.Loopback);
            san.AddDnsName("localhost");
            request.CertificateExtensions.Add(san.Build());
        }

        var notBefore = DateTimeOffset.UtcNow.AddDays(-1);
        using var certificate = selfSigned
            ? request.CreateSelfSigned(notBefore, notBefore.AddDays(10))
            : request.Create(_ca, notBefore, notBefore.AddDays(10), RandomNumberGenerator.GetBytes(12));
        var identity = new PemIdentity(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), Path.Combine(Root, name + ".crt"), Path.Combine(Root, name + ".key"));
        File.WriteAllText(identity.CertPath, identity.CertificatePem);
        File.WriteAllText(identity.KeyPath, identity.KeyPem);
        return identity;
    }

    public void Dispose()
    {
        _ca.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}

internal sealed record PemIdentity(string CertificatePem, string KeyPem, string CertPath, string KeyPath);

/// <summary>
/// A real Mosquitto with TLS and required client certificates on a free loopback port (the upstream broker), and a
/// <c>mosquitto_sub</c> on it whose received lines are kept.
/// </summary>
internal sealed class TlsMosquitto : IAsyncDisposable
{
    private readonly List<Process> _processes = [];

    private TlsMosquitto(int port) => Port = port;

    public int Port { get; }

    public ConcurrentQueue<string> Received { get; } = new();

    public static async Task<TlsMosquitto> StartAsync(PemPki pki, string subscription)
    {
        var mosquitto = new TlsMosquitto(FreePort.Next());
        var server = pki.Issue("mosquitto", server: true);
        var config = Path.Combine(pki.Root, "mosquitto.conf");
        await File.WriteAllLinesAsync(config,
        [
            "per_listener_settings false", "persistence false", $"user {Environment.UserName}", "allow_anonymous true",
            $"listener {mosquitto.Port} 127.0.0.1", $"cafile {pki.CaPath}", $"certfile {server.CertPath}", $"keyfile {server.KeyPath}",
            "require_certificate true", "use_identity_as_username true",
        ]);
        mosquitto.Start("mosquitto", ["-c", config], null);
        await Eventually.True(async () =>
        {
            using var tcp = new System.Net.Sockets.TcpClient();
            try
            {
                await tcp.ConnectAsync(System.Net.IPAddress.Loopback, mosquitto.Port);
                return true;
            }
            catch (System.Net.Sockets.SocketException)
            {
                return false;
            }
        }, "Mosquitto listening", TimeSpan.FromSeconds(30));
        var app = pki.Issue("cloud-app");
        mosquitto.Start("mosquitto_sub",
            ["-h", "127.0.0.1", "-p", mosquitto.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--cafile", pki.CaPath,
             "--cert", app.CertPath, "--key", app.KeyPath, "-i", "cloud-app", "-q", "1", "-t", subscription, "-v"], mosquitto.Received);
        return mosquitto;
    }

    private void Start(string file, IEnumerable<string> arguments, ConcurrentQueue<string>? lines)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lines?.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in Enumerable.Reverse(_processes))
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }
    }
}
