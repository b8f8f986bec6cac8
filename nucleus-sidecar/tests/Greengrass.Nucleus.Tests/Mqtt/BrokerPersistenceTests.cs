using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Greengrass.Nucleus.Mqtt;
using Greengrass.Nucleus.Mqtt.Auth;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Greengrass.Nucleus.Tests.Mqtt;

/// <summary>Persistent sessions and retained messages survive a restart of the nucleus; the listener fails loudly on a port clash.</summary>
public sealed class BrokerPersistenceTests : IDisposable
{
    private readonly TestPki _pki = new();

    private MqttSettings Settings(params ClientIdentity[] devices)
    {
        var settings = MqttSettings.Parse(JsonNode.Parse($$"""{"stateDirectory": "{{Path.Combine(_pki.Root, "state")}}"}""")!);
        settings.DeviceGroups = DeviceGroups.Parse(JsonNode.Parse(ClientDeviceAuthTests.SamplePolicy));
        settings.ClientDevices.AddRange(devices.Select(d => new ClientDeviceEntry(d.ThingName, d.CertificatePem)));
        return settings;
    }

    [Fact]
    public async Task Broker_Restarted_PersistentSessionKeepsSubscriptionsAndQueuedMessages()
    {
        var sensor1 = _pki.IssueClient("sensor-1");
        var sensor2 = _pki.IssueClient("sensor-2");
        await using (var first = await NucleusMqttHarness.StartAsync(Settings(sensor1, sensor2), _pki.Ca))
        {
            using var subscriber = new MqttClientFactory().CreateMqttClient();
            await subscriber.ConnectAsync(Persistent(first.Port, sensor2));
            await subscriber.SubscribeAsync("telemetry/#", MqttQualityOfServiceLevel.AtLeastOnce);
            await subscriber.DisconnectAsync();

            using var publisher = new MqttClientFactory().CreateMqttClient();
            await publisher.ConnectAsync(DeviceClient.Options(first.Port, sensor1, _pki.CaPath));
            await publisher.PublishAsync(Qos1("telemetry/sensor-1", "while-away"));
            await publisher.PublishAsync(Qos1("shared/in", "retained-state", retain: true));
            Assert.Empty(first.Errors.Entries);
        }

        await using var second = await NucleusMqttHarness.StartAsync(Settings(sensor1, sensor2), _pki.Ca);
        var received = new ConcurrentQueue<string>();
        using var returning = new MqttClientFactory().CreateMqttClient();
        returning.ApplicationMessageReceivedAsync += e =>
        {
            received.Enqueue(e.ApplicationMessage.ConvertPayloadToString());
            return Task.CompletedTask;
        };
        await returning.ConnectAsync(Persistent(second.Port, sensor2)); // no SUBSCRIBE: the session carries it

        using var publisher2 = new MqttClientFactory().CreateMqttClient();
        await publisher2.ConnectAsync(DeviceClient.Options(second.Port, sensor1, _pki.CaPath));
        await TestUtil.Eventually(() => received.Contains("while-away"), what: "message queued before the restart");
        await publisher2.PublishAsync(Qos1("telemetry/sensor-1", "after-restart"));
        await TestUtil.Eventually(() => received.Contains("after-restart"), what: "restored subscription");
        Assert.Equal("retained-state", (await second.Broker.Server.GetRetainedMessageAsync("shared/in")).ConvertPayloadToString());
        Assert.Empty(second.Errors.Entries);
    }

    [Fact]
    public async Task Broker_PortInUse_StartFailsLoudly()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var settings = Settings();
        settings.Broker.Port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        settings.Broker.BindAddress = IPAddress.Loopback;
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton(builder.Services.AddGreengrassMqtt(settings), _pki.Ca);
        using var host = builder.Build();

        var e = await Assert.ThrowsAsync<SocketException>(() => host.StartAsync());
        Assert.Equal(SocketError.AddressAlreadyInUse, e.SocketErrorCode);
    }

    private MqttClientOptions Persistent(int port, ClientIdentity id)
    {
        var options = DeviceClient.Options(port, id, _pki.CaPath, MqttProtocolVersion.V311);
        options.CleanSession = false;
        return options;
    }

    private static MqttApplicationMessage Qos1(string topic, string payload, bool retain = false) =>
        new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithRetainFlag(retain)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();

    public void Dispose() => _pki.Dispose();
}
