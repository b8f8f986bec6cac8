using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Greengrass.Nucleus.Ipc;
using Greengrass.Nucleus.Mqtt.Auth;
using Greengrass.Nucleus.Mqtt.Broker;
using Greengrass.Nucleus.Tests.Mqtt;
using static Greengrass.Nucleus.Tests.Ipc.RawIpcClient;

namespace Greengrass.Nucleus.Tests.Ipc;

/// <summary>SubscribeToCertificateUpdates: the server certificate a custom broker serves with, at once and on every rotation.</summary>
public sealed class CertificateUpdatesIpcTests : IAsyncLifetime
{
    private const string Policy = """
        {"aws.greengrass.clientdevices.Auth": {"com.example.Broker:clientdevices:1": {
          "operations": ["aws.greengrass#SubscribeToCertificateUpdates"], "resources": ["*"]}}}
        """;

    private const string Server = """{"certificateOptions":{"certificateType":"SERVER"}}""";

    private ClientDeviceAuthIpcHost _auth = null!;

    public async Task InitializeAsync()
    {
        _auth = await ClientDeviceAuthIpcHost.StartAsync();
        _auth.Current = Context(_auth.Pki.Ca, "127.0.0.1", "core.example");
    }

    public Task DisposeAsync() => _auth.DisposeAsync().AsTask();

    private static ClientDeviceAuthContext Context(CertificateAuthority ca, params string[] hosts) =>
        ClientDeviceAuthIpcHost.Context(ca, ClientDeviceAuthTests.SamplePolicy, hosts);

    private async Task<(RawIpcClient Client, int StreamId, JsonElement First)> SubscribeAsync()
    {
        var client = await _auth.ConnectAsBrokerAsync(Policy);
        var id = await client.StartAsync("SubscribeToCertificateUpdates", Server);
        var response = await client.ReceiveAsync() ?? throw new InvalidOperationException("no response");
        Assert.Equal("aws.greengrass#SubscribeToCertificateUpdatesResponse", Header(response, "service-model-type"));
        Assert.Equal(IpcMessageFlags.None, Flags(response)); // the stream stays open for the rotations
        return (client, id, await NextUpdateAsync(client, id));
    }

    private static async Task<JsonElement> NextUpdateAsync(RawIpcClient client, int streamId)
    {
        var evt = await client.ReceiveAsync() ?? throw new InvalidOperationException("the server closed the connection");
        Assert.Equal(streamId, StreamId(evt));
        Assert.Equal("aws.greengrass#CertificateUpdateEvent", Header(evt, "service-model-type"));
        return Json(evt).GetProperty("certificateUpdate").Clone();
    }

    private static X509Certificate2 Certificate(JsonElement update) => X509Certificate2.CreateFromPem(update.GetProperty("certificate").GetString());

    [Fact]
    public async Task Subscribe_Server_CertificateKeyAndChainAServerCanUse()
    {
        var (client, _, update) = await SubscribeAsync();
        await using var _ = client;

        using var certificate = X509Certificate2.CreateFromPem(update.GetProperty("certificate").GetString(), update.GetProperty("privateKey").GetString());
        var ca = Assert.Single(update.GetProperty("caCertificates").EnumerateArray()).GetString();
        Assert.Equal(_auth.Pki.Ca.CertificatePem, ca);
        Assert.True(_auth.Pki.Ca.Verifies(certificate));
        Assert.True(certificate.HasPrivateKey);
        Assert.Equal(ClientDeviceAuthIpcHost.Broker, certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
        var eku = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single();
        Assert.Equal("1.3.6.1.5.5.7.3.1", Assert.Single(eku.EnhancedKeyUsages.Cast<Oid>()).Value);
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["localhost", "core.example"], san.EnumerateDnsNames());
        Assert.Equal(["127.0.0.1"], san.EnumerateIPAddresses().Select(a => a.ToString()));
        var publicKey = update.GetProperty("publicKey").GetString()!;
        var pem = PemEncoding.Find(publicKey);
        Assert.Equal("PUBLIC KEY", publicKey[pem.Label]);
        Assert.Equal(certificate.PublicKey.ExportSubjectPublicKeyInfo(), Convert.FromBase64String(publicKey[pem.Base64Data]));
        Assert.InRange(certificate.NotAfter.ToUniversalTime(), _auth.Time.GetUtcNow().AddDays(7).UtcDateTime.AddMinutes(-1), _auth.Time.GetUtcNow().AddDays(7).UtcDateTime.AddMinutes(1));
        Assert.Equal(1, _auth.Subscriptions.Count);
    }

    [Fact]
    public async Task Refresh_NearExpiryOrNewCa_SendsNewCertificate_OtherwiseNothing()
    {
        var (client, id, first) = await SubscribeAsync();
        await using var _ = client;
        using var firstCertificate = Certificate(first);

        _auth.Time.Advance(TimeSpan.FromDays(5)); // more than 24 h left: nothing to do
        _auth.Subscriptions.Refresh();
        _auth.Time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1)); // now less than 24 h left
        _auth.Subscriptions.Refresh();
        using var rotated = Certificate(await NextUpdateAsync(client, id));

        using var newCa = CertificateAuthority.Create("Rotated Core CA", CaKeyType.Rsa2048, TimeProvider.System);
        _auth.Current = Context(newCa, "127.0.0.1", "core.example");
        _auth.Subscriptions.Refresh();
        var fromNewCa = await NextUpdateAsync(client, id);
        using var reissued = Certificate(fromNewCa);

        Assert.NotEqual(firstCertificate.SerialNumber, rotated.SerialNumber);
        Assert.Equal(firstCertificate.Issuer, rotated.Issuer);
        Assert.True(rotated.NotAfter > firstCertificate.NotAfter.AddDays(5), $"{rotated.NotAfter} is not a week after the rotation");
        Assert.Equal(newCa.CertificatePem, fromNewCa.GetProperty("caCertificates")[0].GetString());
        Assert.Equal(newCa.Certificate.Subject, reissued.Issuer);
        // A check with nothing due sends nothing: the next frame is the answer to this ping.
        _auth.Subscriptions.Refresh();
        await client.SendAsync(IpcFrames.Control(IpcMessageType.Ping, IpcMessageFlags.None, ReadOnlyMemory<byte>.Empty));
        Assert.Equal(IpcMessageType.PingResponse, Type((await client.ReceiveAsync())!));
    }

    [Fact]
    public async Task Refresh_NewHostAddresses_SendsCertificateNamingThem_SameContextSendsNothing()
    {
        var (client, id, _) = await SubscribeAsync();
        await using var __ = client;

        _auth.Current = Context(_auth.Pki.Ca, "127.0.0.1", "core.example"); // a new stack issuing the same certificates
        _auth.Subscriptions.Refresh();
        _auth.Current = Context(_auth.Pki.Ca, "10.0.0.7");
        _auth.Subscriptions.Refresh();
        using var certificate = Certificate(await NextUpdateAsync(client, id));

        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["10.0.0.7"], san.EnumerateIPAddresses().Select(a => a.ToString()));
        Assert.Equal(["localhost"], san.EnumerateDnsNames());
    }

    [Fact]
    public async Task AuthUndeployed_StreamEnds_ClientCloseUnsubscribes()
    {
        var (client, id, _) = await SubscribeAsync();
        await using (client)
        {
            _auth.Current = null;
            _auth.Subscriptions.Refresh();
            var end = await client.ReceiveAsync();

            Assert.Equal(id, StreamId(end!));
            Assert.Equal(IpcMessageFlags.TerminateStream, Flags(end!));
            Assert.Equal(0, _auth.Subscriptions.Count);
        }

        _auth.Current = Context(_auth.Pki.Ca, "127.0.0.1");
        var (second, secondId, _) = await SubscribeAsync();
        await using (second)
        {
            await second.SendAsync(Request(secondId, null, "", IpcMessageFlags.TerminateStream));
            await Eventually.TrueAsync(() => _auth.Subscriptions.Count == 0, "the closed stream to unsubscribe");
        }
    }

    [Theory]
    [InlineData("{}", "certificateOptions:")]
    [InlineData("""{"certificateOptions":{}}""", "certificateOptions.certificateType:")]
    [InlineData("""{"certificateOptions":{"certificateType":"CLIENT"}}""", "certificateOptions.certificateType:")]
    public async Task Subscribe_BadOptions_InvalidArgumentsNamingTheField(string request, string field)
    {
        await using var client = await _auth.ConnectAsBrokerAsync(Policy);

        var reply = await client.CallAsync("SubscribeToCertificateUpdates", request);

        Assert.Equal(IpcMessageType.ApplicationError, Type(reply));
        Assert.Equal("InvalidArgumentsError", Json(reply).GetProperty("_errorCode").GetString());
        Assert.StartsWith(field, Json(reply).GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, _auth.Subscriptions.Count);
    }
}
