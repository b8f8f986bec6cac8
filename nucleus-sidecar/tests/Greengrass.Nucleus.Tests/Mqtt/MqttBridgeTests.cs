using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Greengrass.Nucleus.Mqtt;
using Greengrass.Nucleus.Mqtt.Auth;
using Greengrass.Nucleus.Mqtt.Bridge;
using MQTTnet;
using MQTTnet.Protocol;

namespace Greengrass.Nucleus.Tests.Mqtt;

/// <summary>The bridge against a real Mosquitto upstream with TLS and required client certificates.</summary>
public sealed class MqttBridgeTests : IAsyncLifetime
{
    private const string Mappings = """
        {"mqttTopicMapping": {
          "toCloud":      {"topic": "telemetry/#",    "source": "LocalMqtt", "target": "IotCore",  "targetTopicPrefix": "dt/"},
          "fromCloud":    {"topic": "commands/+/all", "source": "IotCore",   "target": "LocalMqtt"},
          "ipcToCloud":   {"topic": "pubsub/out/#",   "source": "Pubsub",    "target": "IotCore"},
          "cloudToIpc":   {"topic": "cloud/ipc/#",    "source": "IotCore",   "target": "Pubsub",   "targetTopicPrefix": "from/"},
          "localToIpc":   {"topic": "shared/in",      "source": "LocalMqtt", "target": "Pubsub"},
          "ipcToLocal":   {"topic": "shared/out",     "source": "Pubsub",    "target": "LocalMqtt"}}}
        """;

    private readonly TestPki _pki = new();
    private MosquittoServer _upstream = null!;
    private NucleusMqttHarness _nucleus = null!;
    private ClientIdentity _sensor1 = null!;
    private IMqttClient _cloud = null!;
    private readonly ConcurrentQueue<string> _cloudReceived = new();

    public async Task InitializeAsync()
    {
        _upstream = new MosquittoServer(_pki);
        await _upstream.StartAsync();
        _sensor1 = _pki.IssueClient("sensor-1");
        var core = _pki.IssueClient("core-1");
        var settings = MqttSettings.Parse(JsonNode.Parse($$"""
            {"stateDirectory": "{{Path.Combine(_pki.Root, "state")}}",
             "upstream": {"host": "127.0.0.1", "port": {{_upstream.Port}}, "clientId": "core-1", "caCertificatePath": "{{_pki.CaPath}}",
                          "certificatePath": "{{core.CertPath}}", "privateKeyPath": "{{core.KeyPath}}", "minReconnectDelayMs": 200, "maxReconnectDelayMs": 1000} }
            """)!);
        settings.Mappings = BridgeConfig.Parse(JsonNode.Parse(Mappings));
        settings.DeviceGroups = DeviceGroups.Parse(JsonNode.Parse(ClientDeviceAuthTests.SamplePolicy));
        settings.ClientDevices.Add(new ClientDeviceEntry("sensor-1", _sensor1.CertificatePem));
        _nucleus = await NucleusMqttHarness.StartAsync(settings, _pki.Ca);
        _cloud = await ConnectCloudAsync();
        await TestUtil.Eventually(() => _nucleus.Upstream.IsReady, what: "bridge connected upstream");
    }

    public async Task DisposeAsync()
    {
        try
        {
            _cloud.Dispose();
            await _nucleus.DisposeAsync();
        }
        finally
        {
            await _upstream.DisposeAsync(); // never leave a Mosquitto behind, whatever failed above
            _pki.Dispose();
        }

        Assert.Empty(_nucleus.Errors.Entries);
    }

    [Fact]
    public async Task Bridge_LocalMqttToIotCore_ArrivesWithPrefix()
    {
        using var device = await ConnectDeviceAsync();
        await device.PublishAsync(Message("telemetry/sensor-1", "t-1"));

        await TestUtil.Eventually(() => _cloudReceived.Contains("dt/telemetry/sensor-1 t-1"), what: "upstream received bridged message");
    }

    [Fact]
    public async Task Bridge_IotCoreToLocalMqtt_ReachesSubscribedDevice()
    {
        using var device = await ConnectDeviceAsync();
        var received = new ConcurrentQueue<string>();
        device.ApplicationMessageReceivedAsync += e =>
        {
            received.Enqueue($"{e.ApplicationMessage.Topic} {e.ApplicationMessage.ConvertPayloadToString()}");
            return Task.CompletedTask;
        };
        await device.SubscribeAsync("commands/+/all", MqttQualityOfServiceLevel.AtLeastOnce);

        await _cloud.PublishAsync(Message("commands/reboot/all", "now"));

        await TestUtil.Eventually(() => received.Contains("commands/reboot/all now"), what: "device received message from upstream");
    }

    [Fact]
    public async Task Bridge_PubsubToIotCore_AndIotCoreToPubsub()
    {
        var fromCloud = new ConcurrentQueue<string>();
        using var subscription = _nucleus.PubSub.Subscribe("from/#", (m, _) =>
        {
            fromCloud.Enqueue($"{m.Topic} {Encoding.UTF8.GetString(m.Payload.Span)}");
            return ValueTask.CompletedTask;
        });

        await _nucleus.PubSub.PublishAsync(new PubSubMessage("pubsub/out/status", Encoding.UTF8.GetBytes("ok")), default);
        await _cloud.PublishAsync(Message("cloud/ipc/config", "v2"));

        await TestUtil.Eventually(() => _cloudReceived.Contains("pubsub/out/status ok"), what: "pubsub message upstream");
        await TestUtil.Eventually(() => fromCloud.Contains("from/cloud/ipc/config v2"), what: "upstream message on pubsub");
    }

    [Fact]
    public async Task Bridge_LocalMqttAndPubsub_BothWays()
    {
        var onPubsub = new ConcurrentQueue<string>();
        using var subscription = _nucleus.PubSub.Subscribe("shared/in", (m, _) =>
        {
            onPubsub.Enqueue(Encoding.UTF8.GetString(m.Payload.Span));
            return ValueTask.CompletedTask;
        });
        using var device = await ConnectDeviceAsync();
        var onDevice = new ConcurrentQueue<string>();
        device.ApplicationMessageReceivedAsync += e =>
        {
            onDevice.Enqueue(e.ApplicationMessage.ConvertPayloadToString());
            return Task.CompletedTask;
        };
        await device.SubscribeAsync("shared/out", MqttQualityOfServiceLevel.AtLeastOnce);

        await device.PublishAsync(Message("shared/in", "from-device"));
        await _nucleus.PubSub.PublishAsync(new PubSubMessage("shared/out", Encoding.UTF8.GetBytes("from-ipc")), default);

        await TestUtil.Eventually(() => onPubsub.Contains("from-device"), what: "local MQTT to pubsub");
        await TestUtil.Eventually(() => onDevice.Contains("from-ipc"), what: "pubsub to local MQTT");
    }

    [Fact]
    public async Task Bridge_UpstreamRestarted_ReconnectsAndDeliversSpooled()
    {
        await _cloud.DisconnectAsync();
        await _upstream.StopAsync();
        await TestUtil.Eventually(() => !_nucleus.Upstream.IsConnected, what: "bridge noticed the outage");
        using var device = await ConnectDeviceAsync();
        for (var i = 0; i < 20; i++)
        {
            await device.PublishAsync(Message("telemetry/sensor-1", $"offline-{i}"));
        }

        Assert.Equal(20, _nucleus.Spool.Count);
        await _upstream.StartAsync();
        _cloud.Dispose();
        _cloud = await ConnectCloudAsync();
        await TestUtil.Eventually(() => _nucleus.Spool.Count == 0, TimeSpan.FromSeconds(60), "spool drained after reconnect");
        await TestUtil.Eventually(() => _cloudReceived.Count(m => m.StartsWith("dt/telemetry/sensor-1 offline-", StringComparison.Ordinal)) >= 20,
            what: "spooled messages upstream");
        var order = _cloudReceived.Where(m => m.Contains("offline-", StringComparison.Ordinal)).Select(m => int.Parse(m.Split('-')[^1])).Distinct().ToList();
        Assert.Equal(Enumerable.Range(0, 20), order);
    }

    [Fact]
    public async Task Bridge_SlowPubsubSubscriber_DoesNotHoldDevicePuback()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var onPubsub = new ConcurrentQueue<string>();
        using var subscription = _nucleus.PubSub.Subscribe("shared/in", async (m, _) =>
        {
            await release.Task;
            onPubsub.Enqueue(Encoding.UTF8.GetString(m.Payload.Span));
        });
        using var device = await ConnectDeviceAsync();

        // Both QoS 1 publishes are acknowledged while the subscriber still holds the first message.
        var first = await device.PublishAsync(Message("shared/in", "one")).WaitAsync(TimeSpan.FromSeconds(30));
        var second = await device.PublishAsync(Message("shared/in", "two")).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(first.IsSuccess && second.IsSuccess);
        Assert.Empty(onPubsub);

        release.SetResult();
        await TestUtil.Eventually(() => onPubsub.Count == 2, what: "both messages on pubsub after the subscriber resumes");
        Assert.Equal(["one", "two"], onPubsub.ToArray());
    }

    private static MqttApplicationMessage Message(string topic, string payload) =>
        new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();

    private async Task<IMqttClient> ConnectDeviceAsync()
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(DeviceClient.Options(_nucleus.Port, _sensor1, _pki.CaPath));
        return client;
    }

    /// <summary>A cloud-side application on the upstream broker with a persistent session, so Mosquitto queues for it across restarts.</summary>
    private async Task<IMqttClient> ConnectCloudAsync()
    {
        var app = _pki.IssueClient("cloud-app");
        var client = new MqttClientFactory().CreateMqttClient();
        var options = DeviceClient.Options(_upstream.Port, app, _pki.CaPath, MQTTnet.Formatter.MqttProtocolVersion.V311);
        options.ClientId = "cloud-app";
        options.CleanSession = false;
        client.ApplicationMessageReceivedAsync += e =>
        {
            _cloudReceived.Enqueue($"{e.ApplicationMessage.Topic} {e.ApplicationMessage.ConvertPayloadToString()}");
            return Task.CompletedTask;
        };
        await client.ConnectAsync(options);
        await client.SubscribeAsync("dt/#", MqttQualityOfServiceLevel.AtLeastOnce);
        await client.SubscribeAsync("pubsub/#", MqttQualityOfServiceLevel.AtLeastOnce);
        return client;
    }
}
