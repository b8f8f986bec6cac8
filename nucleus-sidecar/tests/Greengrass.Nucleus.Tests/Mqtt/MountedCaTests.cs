using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Greengrass.Nucleus.Mqtt;
using Greengrass.Nucleus.Mqtt.Auth;
using Greengrass.Nucleus.Mqtt.Broker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet;

namespace Greengrass.Nucleus.Tests.Mqtt;

/// <summary>
/// In a pod the broker issues its server certificate from the core device CA the operator keeps in the Secret
/// <c>&lt;device&gt;-ca</c> (mounted with tls.crt and tls.key), so client devices can trust the CA discovery returns.
/// </summary>
public sealed class MountedCaTests : IDisposable
{
    private readonly TestPki _pki = new();
    private readonly CertificateAuthority _deviceCa = CertificateAuthority.Create("Greengrass Core CA EdgeA", CaKeyType.Rsa2048, TimeProvider.System);

    private string MountCa()
    {
        var directory = Path.Combine(_pki.Root, "ca-mount");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "tls.crt"), _deviceCa.CertificatePem + "\n");
        File.WriteAllText(Path.Combine(directory, "tls.key"), CertificateAuthority.ExportKeyPem(_deviceCa.Certificate) + "\n");
        return directory;
    }

    [Fact]
    public void LoadMounted_SecretLayout_IssuesServerCertificatesChainingToIt()
    {
        using var loaded = CertificateAuthority.LoadMounted(MountCa());

        Assert.Equal(_deviceCa.Certificate.Thumbprint, loaded.Certificate.Thumbprint);
        using var server = loaded.IssueServerCertificate(["10.0.0.5"], TimeSpan.FromDays(7), TimeProvider.System);
        Assert.True(_deviceCa.Verifies(server));
        Assert.NotNull(server.GetRSAPrivateKey());
    }

    [Fact]
    public void LoadMounted_MissingKey_FailsNamingTheFieldAndFile()
    {
        var directory = MountCa();
        File.Delete(Path.Combine(directory, "tls.key"));

        var e = Assert.Throws<FileNotFoundException>(() => CertificateAuthority.LoadMounted(directory));

        Assert.Contains("broker.caDirectory", e.Message, StringComparison.Ordinal);
        Assert.Contains("tls.key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadMounted_LeafCertificate_IsRejectedAsNotACa()
    {
        var directory = MountCa();
        using var leaf = _deviceCa.IssueServerCertificate([], TimeSpan.FromDays(7), TimeProvider.System);
        File.WriteAllText(Path.Combine(directory, "tls.crt"), leaf.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "tls.key"), CertificateAuthority.ExportKeyPem(leaf));

        var e = Assert.Throws<InvalidDataException>(() => CertificateAuthority.LoadMounted(directory));

        Assert.Contains("not a CA certificate", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ApplyDeviceEnvironment_AddsTheMountAndConnectivityHostsUnlessTheDocumentSetsThem()
    {
        var settings = MqttSettings.Parse(JsonNode.Parse("""{"stateDirectory": "/tmp/x", "broker": {"serverHosts": ["core.example"]}}""")!);

        settings.ApplyDeviceEnvironment("/greengrass/ca", "10.0.0.5, edge-a.local,core.example");

        Assert.Equal("/greengrass/ca", settings.Broker.CertificateAuthorityDirectory);
        Assert.Equal(["127.0.0.1", "core.example", "10.0.0.5", "edge-a.local"], settings.Broker.ServerHosts);
        var explicitCa = MqttSettings.Parse(JsonNode.Parse("""{"stateDirectory": "/tmp/x", "broker": {"caDirectory": "/etc/ca"}}""")!);
        explicitCa.ApplyDeviceEnvironment("/greengrass/ca", null);
        Assert.Equal("/etc/ca", explicitCa.Broker.CertificateAuthorityDirectory);
    }

    [Fact]
    public void Parse_EmptyServerHost_IsAFormatErrorNamingTheField()
    {
        var e = Assert.Throws<FormatException>(() => MqttSettings.Parse(JsonNode.Parse("""{"stateDirectory": "/tmp/x", "broker": {"serverHosts": [""]}}""")!));

        Assert.Contains("broker.serverHosts[0]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Broker_WithMountedCa_ClientTrustingOnlyThatCaConnectsByConnectivityHostName()
    {
        // The broker requires client certificates that chain to the core device CA (Mqtt/README.md).
        var sensor = _pki.IssueClient("sensor-1", _deviceCa);
        var settings = MqttSettings.Parse(JsonNode.Parse($$"""{"stateDirectory": "{{Path.Combine(_pki.Root, "state")}}"}""")!);
        settings.DeviceGroups = DeviceGroups.Parse(JsonNode.Parse(ClientDeviceAuthTests.SamplePolicy));
        settings.ClientDevices.Add(new ClientDeviceEntry(sensor.ThingName, sensor.CertificatePem));
        settings.ApplyDeviceEnvironment(MountCa(), "edge-a.local");
        settings.Broker.Port = 0;
        settings.Broker.BindAddress = IPAddress.Loopback;
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddGreengrassMqtt(settings);
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var trust = new X509Certificate2Collection { X509CertificateLoader.LoadCertificate(_deviceCa.Certificate.RawData) };
            var options = new MqttClientOptionsBuilder()
                .WithTcpServer("127.0.0.1", host.Services.GetRequiredService<LocalMqttBroker>().Port)
                .WithClientId(sensor.ThingName)
                .WithTimeout(TimeSpan.FromSeconds(20))
                .WithTlsOptions(t => t.UseTls().WithTargetHost("edge-a.local").WithClientCertificates([sensor.Certificate]).WithTrustChain(trust))
                .Build();
            using var client = new MqttClientFactory().CreateMqttClient();

            var connected = await client.ConnectAsync(options);

            Assert.Equal(MqttClientConnectResultCode.Success, connected.ResultCode);
            Assert.False(Directory.Exists(Path.Combine(_pki.Root, "state", "ca")), "the nucleus made its own CA beside the mounted one");
            await client.DisconnectAsync();
        }
        finally
        {
            await host.StopAsync();
        }
    }

    public void Dispose()
    {
        _deviceCa.Dispose();
        _pki.Dispose();
    }
}
