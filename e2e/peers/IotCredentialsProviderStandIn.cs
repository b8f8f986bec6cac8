using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace Greengrass.Peers;

/// <summary>
/// A stand-in for the AWS IoT credentials provider, which is unreachable from the build machines: Kestrel on loopback
/// HTTPS that requires a client certificate issued by its own test CA (anything else fails the TLS handshake), serves
/// <c>GET /role-aliases/ROLE/credentials</c> only for the configured role alias and thing name
/// (<c>x-amzn-iot-thingname</c>), and answers <c>{"credentials":{…}}</c> as the real service does. Each answer carries a
/// new session token, so a test can tell a cached answer from a fresh one. It makes no claim about IAM: the keys it
/// hands out are the ones it is given.
/// </summary>
/// <remarks>Compiled into the nucleus tests and the e2e scenarios as a linked source file, like <c>S3Peer.cs</c>.</remarks>
internal sealed class IotCredentialsProviderStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Path, string? ThingName, string ClientSubject)> _requests = new();
    private int _issued;

    private IotCredentialsProviderStandIn(WebApplication app, TestPki pki, string roleAlias, string thingName, string accessKeyId, string secretAccessKey)
    {
        _app = app;
        Pki = pki;
        RoleAlias = roleAlias;
        ThingName = thingName;
        AccessKeyId = accessKeyId;
        SecretAccessKey = secretAccessKey;
    }

    public TestPki Pki { get; }

    public string RoleAlias { get; }

    public string ThingName { get; }

    public string AccessKeyId { get; }

    public string SecretAccessKey { get; }

    /// <summary><c>127.0.0.1:PORT</c>, the form of an <c>iotCredEndpoint</c> with a port.</summary>
    public string Endpoint { get; private set; } = "";

    /// <summary>The expiration of the next credentials handed out; an hour from the real clock unless set.</summary>
    public Func<DateTimeOffset> NextExpiration { get; set; } = () => DateTimeOffset.UtcNow.AddHours(1);

    /// <summary>When set, every request gets this answer instead of credentials (an error of the provider).</summary>
    public (int Status, string Body)? FixedAnswer { get; set; }

    /// <summary>The requests that passed the TLS handshake: path, thing name header and client certificate subject.</summary>
    public IReadOnlyList<(string Path, string? ThingName, string ClientSubject)> Requests => [.. _requests];

    /// <summary>The session token of the <paramref name="n"/>th credentials handed out (1-based).</summary>
    public static string SessionTokenOf(int n) => $"stand-in-session-token-{n}";

    public static async Task<IotCredentialsProviderStandIn> StartAsync(string roleAlias, string thingName, string accessKeyId, string secretAccessKey)
    {
        var pki = TestPki.Create();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(https =>
        {
            https.ServerCertificate = pki.ServerCertificate;
            https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
            https.ClientCertificateValidation = (certificate, _, _) => pki.IssuedByCa(certificate);
        })));
        var app = builder.Build();
        IotCredentialsProviderStandIn? standIn = null;
        app.Run(context => standIn!.HandleAsync(context));
        standIn = new IotCredentialsProviderStandIn(app, pki, roleAlias, thingName, accessKeyId, secretAccessKey);
        await app.StartAsync();
        standIn.Endpoint = $"127.0.0.1:{new Uri(app.Urls.First()).Port}";
        return standIn;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var thing = context.Request.Headers["x-amzn-iot-thingname"].FirstOrDefault();
        _requests.Enqueue((context.Request.Path.Value ?? "", thing, context.Connection.ClientCertificate?.Subject ?? ""));
        var (status, body) = FixedAnswer ?? Answer(context.Request, thing);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    }

    private (int Status, string Body) Answer(HttpRequest request, string? thing)
    {
        if (!HttpMethods.IsGet(request.Method) || request.Path.Value != $"/role-aliases/{RoleAlias}/credentials")
        {
            return (404, """{"message":"Role alias does not exist"}""");
        }

        if (thing != ThingName)
        {
            return (403, """{"message":"Access Denied"}""");
        }

        var n = Interlocked.Increment(ref _issued);
        return (200, JsonSerializer.Serialize(new
        {
            credentials = new Dictionary<string, string>
            {
                ["accessKeyId"] = AccessKeyId,
                ["secretAccessKey"] = SecretAccessKey,
                ["sessionToken"] = SessionTokenOf(n),
                ["expiration"] = NextExpiration().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            },
        }));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Pki.Dispose();
    }
}

/// <summary>
/// The certificates of the stand-in: a CA, the server certificate for 127.0.0.1 it signs, a device certificate it signs,
/// and a device certificate of an unrelated CA (for the "wrong certificate" case). ECDSA P-256, valid for a day.
/// </summary>
internal sealed class TestPki : IDisposable
{
    private TestPki(X509Certificate2 ca, X509Certificate2 server, X509Certificate2 device, X509Certificate2 stranger)
    {
        Ca = ca;
        ServerCertificate = server;
        Device = device;
        Stranger = stranger;
    }

    public X509Certificate2 Ca { get; }

    public X509Certificate2 ServerCertificate { get; }

    /// <summary>A device certificate with its key, issued by <see cref="Ca"/>.</summary>
    public X509Certificate2 Device { get; }

    /// <summary>A device certificate with its key from a CA the stand-in does not trust.</summary>
    public X509Certificate2 Stranger { get; }

    public static TestPki Create()
    {
        var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var ca = SelfSigned("CN=Stand-in IoT credentials CA", caKey);
        var strangerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var strangerCa = SelfSigned("CN=Unrelated CA", strangerKey);
        var server = Issue(ca, "CN=127.0.0.1", serverAuth: true);
        // Kestrel wants a certificate whose key the platform store can use: a PKCS#12 round trip gives one.
        var serverForKestrel = X509CertificateLoader.LoadPkcs12(server.Export(X509ContentType.Pkcs12), null);
        server.Dispose();
        return new TestPki(ca, serverForKestrel, Issue(ca, "CN=stand-in-device", serverAuth: false), Issue(strangerCa, "CN=stranger-device", serverAuth: false));
    }

    /// <summary>Whether <paramref name="certificate"/> chains to <see cref="Ca"/>.</summary>
    public bool IssuedByCa(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    /// <summary>
    /// Writes a kubernetes.io/tls style identity folder: <c>tls.crt</c> and <c>tls.key</c> of <paramref name="device"/>
    /// (the trusted device when null), and <c>ca.crt</c> (the stand-in's CA, which signs its server certificate) unless told not to.
    /// </summary>
    public void WriteIdentity(string directory, X509Certificate2? device = null, bool withCa = true)
    {
        Directory.CreateDirectory(directory);
        foreach (var (name, pem) in IdentityFiles(device, withCa))
        {
            File.WriteAllText(Path.Combine(directory, name), pem);
        }
    }

    /// <summary>The files of <see cref="WriteIdentity"/> as the keys and PEM values of a kubernetes.io/tls Secret.</summary>
    public Dictionary<string, string> IdentityFiles(X509Certificate2? device = null, bool withCa = true)
    {
        device ??= Device;
        var files = new Dictionary<string, string>
        {
            ["tls.crt"] = device.ExportCertificatePem(),
            ["tls.key"] = device.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem(),
        };
        if (withCa)
        {
            files["ca.crt"] = Ca.ExportCertificatePem();
        }

        return files;
    }

    private static X509Certificate2 SelfSigned(string subject, ECDsa key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-2), DateTimeOffset.UtcNow.AddDays(2));
    }

    // The keys stay undisposed: the certificates keep using them, and the test process is short-lived.
    private static X509Certificate2 Issue(X509Certificate2 issuer, string subject, bool serverAuth)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (serverAuth)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        using var issued = request.Create(issuer, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1), serial);
        return issued.CopyWithPrivateKey(key);
    }

    public void Dispose()
    {
        Ca.Dispose();
        ServerCertificate.Dispose();
        Device.Dispose();
        Stranger.Dispose();
    }
}
