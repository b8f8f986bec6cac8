using System.Collections.Concurrent;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Greengrass.Nucleus.Mqtt;
using Greengrass.Nucleus.Mqtt.Auth;
using MQTTnet;
using MQTTnet.Protocol;

namespace Greengrass.Nucleus.Tests.Mqtt;

/// <summary>Garbage on the listener, before and after TLS, never takes the broker down nor disturbs other sessions.</summary>
public sealed class BrokerFuzzTests : IAsyncLifetime
{
    private readonly TestPki _pki = new();
    private readonly Random _random = new(20261126);
    private NucleusMqttHarness _nucleus = null!;
    private ClientIdentity _sensor1 = null!;
    private ClientIdentity _sensor2 = null!;

    public async Task InitializeAsync()
    {
        _sensor1 = _pki.IssueClient("sensor-1");
        _sensor2 = _pki.IssueClient("sensor-2");
        var settings = MqttSettings.Parse(JsonNode.Parse($$"""{"stateDirectory": "{{Path.Combine(_pki.Root, "state")}}"}""")!);
        settings.DeviceGroups = DeviceGroups.Parse(JsonNode.Parse(ClientDeviceAuthTests.SamplePolicy));
        settings.ClientDevices.Add(new ClientDeviceEntry("sensor-1", _sensor1.CertificatePem));
        settings.ClientDevices.Add(new ClientDeviceEntry("sensor-2", _sensor2.CertificatePem));
        _nucleus = await NucleusMqttHarness.StartAsync(settings, _pki.Ca);
    }

    public async Task DisposeAsync()
    {
        await _nucleus.DisposeAsync();
        _pki.Dispose();
    }

    [Fact]
    public async Task Broker_FuzzedConnections_SurvivesAndKeepsOtherSessions()
    {
        var received = new ConcurrentQueue<string>();
        using var bystander = new MqttClientFactory().CreateMqttClient();
        bystander.ApplicationMessageReceivedAsync += e =>
        {
            received.Enqueue(e.ApplicationMessage.ConvertPayloadToString());
            return Task.CompletedTask;
        };
        await bystander.ConnectAsync(DeviceClient.Options(_nucleus.Port, _sensor2, _pki.CaPath));
        await bystander.SubscribeAsync("telemetry/#", MqttQualityOfServiceLevel.AtLeastOnce);

        for (var round = 0; round < 60; round++)
        {
            await RawGarbageAsync();
            await TlsGarbageAsync(round);
        }

        Assert.True(bystander.IsConnected, "the bystander lost its session");
        using var publisher = new MqttClientFactory().CreateMqttClient();
        await publisher.ConnectAsync(DeviceClient.Options(_nucleus.Port, _sensor1, _pki.CaPath));
        await publisher.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("telemetry/sensor-1").WithPayload("still-alive")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        await TestUtil.Eventually(() => received.Contains("still-alive"), what: "bystander still receives");
    }

    [Fact]
    public async Task Broker_OversizedPacketsHeldOpen_OtherClientsUnaffected()
    {
        var streams = new List<SslStream>();
        try
        {
            for (var i = 0; i < 8; i++)
            {
                var tls = await OpenTlsAsync();
                streams.Add(tls);
                await tls.WriteAsync(new byte[] { 0x30, 0xFF, 0xFF, 0xFF, 0x7F, 0x00, 0x01, (byte)'a' }); // PUBLISH of 256 MB, 1 byte sent
                await tls.FlushAsync();
            }

            using var client = new MqttClientFactory().CreateMqttClient();
            var received = new ConcurrentQueue<string>();
            client.ApplicationMessageReceivedAsync += e =>
            {
                received.Enqueue(e.ApplicationMessage.ConvertPayloadToString());
                return Task.CompletedTask;
            };
            await client.ConnectAsync(DeviceClient.Options(_nucleus.Port, _sensor2, _pki.CaPath));
            await client.SubscribeAsync("telemetry/#", MqttQualityOfServiceLevel.AtLeastOnce);
            await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("telemetry/sensor-2").WithPayload("ok")
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
            await TestUtil.Eventually(() => received.Contains("ok"), what: "normal traffic beside stalled oversized packets");
            Assert.True(GC.GetTotalMemory(false) < 1L << 30, $"heap grew to {GC.GetTotalMemory(false)} bytes for 8 announced 256 MB packets");
        }
        finally
        {
            foreach (var s in streams)
            {
                await s.DisposeAsync();
            }
        }
    }

    private async Task<SslStream> OpenTlsAsync()
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", _nucleus.Port);
        var tls = new SslStream(tcp.GetStream(), false, (_, cert, _, _) => cert is not null);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ClientCertificates = new X509CertificateCollection { _sensor1.Certificate },
        });
        return tls;
    }

    /// <summary>Random bytes where a TLS ClientHello belongs.</summary>
    private async Task RawGarbageAsync()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", _nucleus.Port);
        var bytes = new byte[_random.Next(1, 4096)];
        _random.NextBytes(bytes);
        if (_random.Next(2) == 0)
        {
            bytes[0] = 0x16; // looks like a TLS handshake record, then nonsense
        }

        await IgnoreIoErrors(() => tcp.GetStream().WriteAsync(bytes).AsTask());
    }

    /// <summary>An authenticated TLS session carrying broken MQTT: random, truncated, oversized, bad length encoding.</summary>
    private async Task TlsGarbageAsync(int round)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", _nucleus.Port);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, cert, _, _) => cert is not null);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ClientCertificates = new X509CertificateCollection { _sensor1.Certificate },
            ApplicationProtocols = [new SslApplicationProtocol("x-amzn-mqtt-ca")],
        });
        byte[] payload = (round % 5) switch
        {
            0 => RandomBytes(_random.Next(1, 2048)),
            1 => [0x10, 0x7F, 0x00, 0x04, (byte)'M', (byte)'Q'], // CONNECT announcing 127 bytes, then the stream ends
            2 => [0x30, 0xFF, 0xFF, 0xFF, 0x7F, 0x00, 0x01], // PUBLISH announcing 256 MB
            3 => [0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], // remaining length with five continuation bytes
            _ => [0x82, 0x05, 0x00, 0x01, 0x00, 0x01, 0x61], // SUBSCRIBE before CONNECT
        };
        await IgnoreIoErrors(() => tls.WriteAsync(payload).AsTask());
        await IgnoreIoErrors(() => tls.FlushAsync());
    }

    private byte[] RandomBytes(int n)
    {
        var bytes = new byte[n];
        _random.NextBytes(bytes);
        return bytes;
    }

    private static async Task IgnoreIoErrors(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (IOException)
        {
            // the broker may close the connection first: that is the expected outcome
        }
    }
}
