using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Greengrass.Api;
using Greengrass.E2E.Tests.Support;
using k8s;
using k8s.Models;

namespace Greengrass.E2E.Tests;

/// <summary>
/// The Greengrass discovery API of the operator, driven by the official AWS IoT Device SDK v2
/// (<c>greengrass.DiscoveryClient</c>, e2e/peers/discovery-device.js): the client device discovers its core device,
/// then connects with the SDK's MQTT 5 client to the returned address trusting the returned CA, and publishes.
/// The core's broker here is Mosquitto serving a certificate issued from the CoreDevice's CA Secret, as the nucleus
/// broker does (the pods of this cluster are simulated).
/// </summary>
public sealed class DiscoveryTests : IAsyncLifetime
{
    private const string Ns = "discovery";
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-discovery-").FullName;
    private readonly int _discoveryPort = FreePort.Next();
    private readonly int _brokerPort = FreePort.Next();
    private GreengrassCluster _gg = null!;
    private Process? _mosquitto;

    public async Task InitializeAsync()
    {
        _gg = await GreengrassCluster.StartAsync();
        _gg.StartOperator("operator-1", false, "Information", "--discovery-port", _discoveryPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public async Task DisposeAsync()
    {
        if (_mosquitto is { HasExited: false })
        {
            _mosquitto.Kill();
            await _mosquitto.WaitForExitAsync();
        }

        _mosquitto?.Dispose();
        await _gg.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task SdkDiscoveryClient_FindsTheCoreAndPublishesToItsBrokerTrustingTheReturnedCa()
    {
        Assert.True(Directory.Exists(Path.Combine(Repository.Root, "e2e", "peers", "node_modules")), "npm peers missing: run build/install-test-deps.sh");
        await _gg.CreateNamespaceAsync(Ns);
        var core = Resources.CoreDevice(Ns, "core-a", "CoreA", "edge-node-1", new Dictionary<string, string> { ["site"] = "north" });
        core.Spec.Connectivity = [new ConnectivityInfo { HostAddress = "127.0.0.1", PortNumber = _brokerPort, Metadata = "loopback" }];
        await _gg.CreateAsync(core, GreengrassApi.CoreDevicePlural);
        var status = await WithOperatorLogAsync(() => Eventually.Value(
            async () => (await _gg.GetAsync<CoreDevice>(Ns, GreengrassApi.CoreDevicePlural, "core-a"))?.Status?.CertificateAuthority,
            "the CoreDevice's CA in its status"));
        var caSecret = await _gg.Client.CoreV1.ReadNamespacedSecretAsync("core-a-ca", Ns);
        Assert.Equal("kubernetes.io/tls", caSecret.Type);
        Assert.Equal(status, Encoding.ASCII.GetString(caSecret.Data["tls.crt"]));

        using var clientCa = NewCa("test client CA");
        var sensor = WriteClient(clientCa, "sensor-1");
        var other = WriteClient(clientCa, "sensor-2");
        var stranger = WriteClient(clientCa, "stranger");
        await _gg.CreateAsync(ClientDevice("sensor-1", new ClientCertificate { Pem = File.ReadAllText(sensor.Cert) }, ["core-a"]), GreengrassApi.ClientDevicePlural);
        await _gg.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "sensor-2-cert" },
            Type = "Opaque",
            Data = new Dictionary<string, byte[]> { ["tls.crt"] = File.ReadAllBytes(other.Cert) },
        }, Ns);
        await _gg.CreateAsync(ClientDevice("sensor-2", new ClientCertificate { SecretRef = new SecretReference { Name = "sensor-2-cert" } }, null), GreengrassApi.ClientDevicePlural);
        await StartBrokerAsync(caSecret, clientCa);

        var discoveryCa = Path.Combine(_dir, "discovery-ca.pem");
        var tls = await Eventually.Value(async () => await ReadSecretOrNull("default", "greengrass-discovery-tls"), "the discovery server's Secret");
        await File.WriteAllBytesAsync(discoveryCa, tls.Data["ca.crt"]);

        var ok = await WithOperatorLogAsync(() => Eventually.Value(async () =>
        {
            var r = await RunPeerAsync(sensor, "sensor-1", discoveryCa, mqtt: true);
            return r["status"]!.GetValue<int>() == 200 ? r : throw new InvalidOperationException(r.ToJsonString());
        }, "a successful discovery by sensor-1", TimeSpan.FromSeconds(120)));
        var group = ok["groups"]![0]!;
        Assert.Equal("greengrassV2-coreDevice-CoreA", group["id"]!.GetValue<string>());
        Assert.Equal(1, group["cas"]!.GetValue<int>());
        Assert.Equal("arn:aws:iot:local:000000000000:thing/CoreA", group["cores"]![0]!["arn"]!.GetValue<string>());
        Assert.Equal($"127.0.0.1:{_brokerPort}", group["cores"]![0]!["connectivity"]![0]!.GetValue<string>());
        Assert.True(ok["connected"]!.GetValue<bool>(), ok.ToJsonString());
        Assert.Equal("sensors/sensor-1 hello core", Assert.Single(ok["received"]!.AsArray())!.GetValue<string>());

        Assert.Equal(403, (await RunPeerAsync(other, "sensor-1", discoveryCa, mqtt: false))["status"]!.GetValue<int>());
        Assert.Equal(404, (await RunPeerAsync(other, "sensor-2", discoveryCa, mqtt: false))["status"]!.GetValue<int>());
        Assert.Equal(401, (await RunPeerAsync(stranger, "sensor-1", discoveryCa, mqtt: false))["status"]!.GetValue<int>());
        var metrics = await ScrapeMetricsAsync();
        foreach (var result in new[] { "ok", "forbidden", "not_found", "unauthenticated" })
        {
            Assert.Matches($@"greengrass_discovery_requests_total\{{result=""{result}""\}} [1-9]", metrics);
        }

        _gg.AssertNoOperatorErrors();
    }

    [Fact]
    public async Task CoreDeviceCa_IsMadeOnceMountedInThePodKeptAcrossChangesAndGoesWithTheDevice()
    {
        await _gg.CreateNamespaceAsync(Ns);
        await _gg.CreateAsync(Resources.CoreDevice(Ns, "core-b", "CoreB", "edge-node-1", new Dictionary<string, string>()), GreengrassApi.CoreDevicePlural);
        var first = await WithOperatorLogAsync(() => Eventually.Value(
            async () => (await _gg.GetAsync<CoreDevice>(Ns, GreengrassApi.CoreDevicePlural, "core-b"))?.Status?.CertificateAuthority, "core-b's CA"));
        using (var ca = X509Certificate2.CreateFromPem(first))
        {
            Assert.Equal(2048, ca.GetRSAPublicKey()!.KeySize);
        }

        var pod = await Eventually.Value(async () => (await _gg.Client.CoreV1.ListNamespacedPodAsync(Ns)).Items.FirstOrDefault(p => p.Metadata.Name == "core-b-nucleus"), "core-b's pod");
        Assert.Equal("core-b-ca", Assert.Single(pod.Spec.Volumes, v => v.Secret is not null).Secret.SecretName);
        Assert.True(Assert.Single(pod.Spec.Containers[0].VolumeMounts, m => m.MountPath == "/greengrass/ca").ReadOnlyProperty);

        // A spec change is reconciled (observedGeneration moves) without a new CA.
        await _gg.MergePatchAsync<CoreDevice>(Ns, GreengrassApi.CoreDevicePlural, "core-b",
            new { spec = new { connectivity = new[] { new { hostAddress = "10.0.0.9", portNumber = 8883 } } } });
        var changed = await Eventually.Value(async () =>
        {
            var d = await _gg.GetAsync<CoreDevice>(Ns, GreengrassApi.CoreDevicePlural, "core-b");
            return d?.Status?.ObservedGeneration == d?.Metadata.Generation && d?.Metadata.Generation > 1 ? d : null;
        }, "core-b's change reconciled");
        Assert.Equal(first, changed.Status!.CertificateAuthority);
        Assert.Equal(first, Encoding.ASCII.GetString((await _gg.Client.CoreV1.ReadNamespacedSecretAsync("core-b-ca", Ns)).Data["tls.crt"]));

        await _gg.DeleteAsync(Ns, GreengrassApi.CoreDevicePlural, "core-b");
        await Eventually.True(async () => await ReadSecretOrNull(Ns, "core-b-ca") is null, "core-b's CA Secret removed with the device");
        _gg.AssertNoOperatorErrors();
    }

    private async Task<T> WithOperatorLogAsync<T>(Func<Task<T>> step)
    {
        try
        {
            return await step();
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; operator log:\n{string.Join('\n', _gg.Operators[0].Output.TakeLast(40))}", e);
        }
    }

    private async Task<string> ScrapeMetricsAsync()
    {
        var url = _gg.Operators[0].Output.Select(l => Regex.Match(l, @"Serving /metrics\S* .* on (\S+)")).First(m => m.Success).Groups[1].Value;
        using var http = new HttpClient();
        return await http.GetStringAsync(new Uri(new Uri(url.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)), "/metrics"));
    }

    private async Task<V1Secret?> ReadSecretOrNull(string ns, string name)
    {
        var list = await _gg.Client.CoreV1.ListNamespacedSecretAsync(ns);
        return list.Items.FirstOrDefault(s => s.Metadata.Name == name);
    }

    private static ClientDevice ClientDevice(string thing, ClientCertificate certificate, IList<string>? cores) => new()
    {
        ApiVersion = GreengrassApi.ApiVersion,
        Kind = GreengrassApi.ClientDeviceKind,
        Metadata = new V1ObjectMeta { Name = thing, NamespaceProperty = Ns },
        Spec = new ClientDeviceSpec
        {
            ThingName = thing,
            Certificate = certificate,
            CoreDevices = cores is null ? null : new CoreDeviceSelection { Names = cores },
        },
    };

    /// <summary>Mosquitto as the core's broker: its server certificate is issued from the device CA Secret, as the nucleus broker's is.</summary>
    private async Task StartBrokerAsync(V1Secret caSecret, X509Certificate2 clientCa)
    {
        using var deviceCa = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(caSecret.Data["tls.crt"]), Encoding.ASCII.GetString(caSecret.Data["tls.key"]));
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = request.Create(deviceCa, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(7), [1, 2, 3, 4]);
        File.WriteAllText(Path.Combine(_dir, "broker.pem"), server.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_dir, "broker.key"), key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(_dir, "client-ca.pem"), clientCa.ExportCertificatePem());
        var config = Path.Combine(_dir, "mosquitto.conf");
        File.WriteAllLines(config,
        [
            $"user {Environment.UserName}", "allow_anonymous true", $"listener {_brokerPort} 127.0.0.1",
            $"cafile {_dir}/client-ca.pem", $"certfile {_dir}/broker.pem", $"keyfile {_dir}/broker.key", "require_certificate true",
        ]);
        _mosquitto = Process.Start(new ProcessStartInfo("mosquitto", ["-c", config]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        await Eventually.True(async () =>
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync("127.0.0.1", _brokerPort);
            return true;
        }, "mosquitto listening");
    }

    private Task<JsonNode> RunPeerAsync((string Cert, string Key) identity, string thing, string discoveryCa, bool mqtt) =>
        DiscoveryPeer.RunAsync(_discoveryPort, discoveryCa, identity.Cert, identity.Key, thing, $"sensors/{thing}", "hello core", mqtt);

    private static X509Certificate2 NewCa(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    private (string Cert, string Key) WriteClient(X509Certificate2 ca, string thing)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={thing}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var cert = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7), [0x11, .. RandomNumberGenerator.GetBytes(7)]);
        var paths = (Path.Combine(_dir, $"{thing}.pem"), Path.Combine(_dir, $"{thing}.key"));
        File.WriteAllText(paths.Item1, cert.ExportCertificatePem() + "\n");
        File.WriteAllText(paths.Item2, key.ExportPkcs8PrivateKeyPem() + "\n");
        return paths;
    }
}
