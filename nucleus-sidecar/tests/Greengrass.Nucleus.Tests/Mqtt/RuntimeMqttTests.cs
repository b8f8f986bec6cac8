using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Ipc.Services;
using Greengrass.Nucleus.Mqtt;
using Greengrass.Nucleus.Mqtt.Broker;
using Greengrass.Nucleus.Runtime;
using Greengrass.Nucleus.Tests.Runtime;
using Greengrass.Nucleus.Tests.TestSupport;
using MQTTnet;
using MQTTnet.Protocol;
using RuntimeNucleusProcess = Greengrass.Nucleus.Tests.Runtime.NucleusProcess;
using NodePeer = Greengrass.Nucleus.Tests.Ipc.NodePeer;
using SdkFactAttribute = Greengrass.Nucleus.Tests.Ipc.SdkFactAttribute;

namespace Greengrass.Nucleus.Tests.Mqtt;

/// <summary>
/// The nucleus runtime hosting the MQTT stack with a real TLS Mosquitto upstream: components using the unmodified npm
/// aws-iot-device-sdk-v2 IPC client reach IoT Core (Mosquitto) and client devices (mosquitto_pub) reach IPC subscribers.
/// </summary>
public sealed class RuntimeMqttTests : IAsyncLifetime
{
    private const string IotCoreClient = "com.example.IotCoreClient";
    private const string DeviceListener = "com.example.DeviceListener";
    private const string IpcToCloud = "com.example.IpcToCloud";
    private readonly TestPki _pki = new();
    private readonly TempDirectory _components = new();
    private readonly ConcurrentQueue<string> _cloudReceived = new();
    private MosquittoServer _upstream = null!;
    private IMqttClient _cloud = null!;
    private RuntimeFixture? _runtime;
    private ClientIdentity _sensor = null!;
    private string _brokerCaPath = "";
    private int _brokerPort;

    public async Task InitializeAsync()
    {
        _upstream = new MosquittoServer(_pki);
        await _upstream.StartAsync();
        _cloud = await ConnectCloudAsync();
        WriteComponents();
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (_runtime is not null)
            {
                await _runtime.DisposeAsync();
            }

            _cloud.Dispose();
        }
        finally
        {
            await _upstream.DisposeAsync(); // never leave a Mosquitto behind, whatever failed above
            _components.Dispose();
            _pki.Dispose();
        }
    }

    [SdkFact]
    public async Task SdkComponent_PublishAndSubscribeToIoTCore_GoThroughTheUpstreamBroker()
    {
        _runtime = await RuntimeFixture.StartAsync(enableIpc: true, mqtt: Settings(_pki.Root));

        await DeployAsync(IotCoreClient);
        await Eventually.HoldsAsync(() => Log(IotCoreClient).Contains("\"ready\":true", StringComparison.Ordinal), "the component subscribed to IoT Core", TimeSpan.FromSeconds(60));
        await TestUtil.Eventually(() => _cloudReceived.Contains("dt/up/core hello-cloud"), TimeSpan.FromSeconds(60), "Mosquitto received the component's PublishToIoTCore");

        // The upstream SUBSCRIBE may still be on its way: publish until the component has its message.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!Log(IotCoreClient).Contains("\"iotMessage\"", StringComparison.Ordinal))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), "the component did not receive a message published to Mosquitto");
            await _cloud.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("cloud/down/cmd").WithPayload("hello-device")
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
            await Task.Delay(500);
        }

        Assert.Contains("{\"iotMessage\":{\"topic\":\"cloud/down/cmd\",\"payload\":\"hello-device\"}}", Log(IotCoreClient), StringComparison.Ordinal);
        await _runtime.WaitForStateAsync(IotCoreClient, ComponentState.Finished);
    }

    [SdkFact]
    public async Task ClientDevicePublish_LocalMqttToPubsubMapping_ReachesIpcSubscriber()
    {
        _runtime = await RuntimeFixture.StartAsync(enableIpc: true, mqtt: Settings(_pki.Root));
        await DeployAsync(DeviceListener);
        await Eventually.HoldsAsync(() => Log(DeviceListener).Contains("\"ready\":true", StringComparison.Ordinal), "the component subscribed to the local topic", TimeSpan.FromSeconds(60));

        var publish = await Proc.RunAsync("mosquitto_pub",
            [.. ClientDevice(), "-t", "telemetry/sensor-1", "-m", "21.5"], TimeSpan.FromSeconds(60));

        Assert.True(publish.Exit == 0, "mosquitto_pub failed: " + publish.Err);
        await _runtime.WaitForStateAsync(DeviceListener, ComponentState.Finished);
        var expected = Convert.ToBase64String("21.5"u8.ToArray());
        Assert.Contains($"{{\"message\":{{\"topic\":\"telemetry/sensor-1\",\"binary\":\"{expected}\"}}}}", Log(DeviceListener), StringComparison.Ordinal);
    }

    [SdkFact]
    public async Task SdkComponentPublishToTopic_PubsubToIotCoreMapping_ArrivesAtMosquittoAsJsonText()
    {
        _runtime = await RuntimeFixture.StartAsync(enableIpc: true, mqtt: Settings(_pki.Root));

        await DeployAsync(IpcToCloud);

        await _runtime.WaitForStateAsync(IpcToCloud, ComponentState.Finished);
        Assert.Contains("\"published\":true", Log(IpcToCloud), StringComparison.Ordinal);
        await TestUtil.Eventually(() => _cloudReceived.Contains("ipc/out/reading {\"v\":1}"), TimeSpan.FromSeconds(60), "Mosquitto received the bridged PublishToTopic");
    }

    [Fact]
    public async Task StartAsync_BrokerPortTaken_FailsTheStart()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var settings = Settings(_pki.Root, ((IPEndPoint)taken.LocalEndpoint).Port);

        await Assert.ThrowsAsync<SocketException>(() => RuntimeFixture.StartAsync(enableIpc: true, mqtt: settings));
    }

    [Fact]
    public async Task StandaloneRun_MqttConfigFile_HostsBrokerAndBridgeUntilSigterm()
    {
        var config = _components.Combine("mqtt.json");
        await File.WriteAllTextAsync(config, SettingsDocument(_pki.Root).ToJsonString());
        await using var nucleus = RuntimeNucleusProcess.Start(_components.Combine("root"), "--mqtt-config", config);
        await TestUtil.WaitForPort(_brokerPort, TimeSpan.FromSeconds(60));

        var publish = await Proc.RunAsync("mosquitto_pub", [.. ClientDevice(), "-t", "telemetry/sensor-1", "-m", "standalone"], TimeSpan.FromSeconds(60));

        Assert.True(publish.Exit == 0, "mosquitto_pub failed: " + publish.Err + "\n" + nucleus.Output);
        await TestUtil.Eventually(() => _cloudReceived.Contains("dt/telemetry/sensor-1 standalone"), TimeSpan.FromSeconds(60), "Mosquitto received the bridged telemetry");
        nucleus.Signal("TERM");
        Assert.Equal(0, await nucleus.WaitForExitAsync());
    }

    [Fact]
    public async Task StandaloneRun_BadMqttConfig_ExitsTwoNamingTheField()
    {
        var config = _components.Combine("bad-mqtt.json");
        await File.WriteAllTextAsync(config, """{"stateDirectory": "/tmp/unused", "broker": {"bindAddress": "not-an-ip"}}""");
        using var error = new StringWriter();

        var exit = await StandaloneCommand.RunAsync(["--root", _components.Combine("root"), "--thing-name", "t", "--mqtt-config", config], error);

        Assert.Equal(2, exit);
        Assert.Contains("--mqtt-config", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("broker.bindAddress", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KubernetesMode_BadGgMqttConfig_ExitsTwoNamingTheVariableAndField()
    {
        var info = new System.Diagnostics.ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "greengrass-nucleus"))
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["kubernetes", "--root", _components.Combine("root")])
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["GG_THING_NAME"] = "core-1";
        info.Environment["GG_CORE_DEVICE"] = "core-1";
        info.Environment["GG_POD_NAME"] = "core-1-0";
        info.Environment["GG_MQTT_CONFIG"] = """{"stateDirectory": "/tmp/unused", "clientDevices": [{"thingName": "sensor-1"}]}""";
        using var process = System.Diagnostics.Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("GG_MQTT_CONFIG: clientDevices[0].certificatePem", await stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json", "")]
    [InlineData("""{"broker": {}}""", "stateDirectory")]
    [InlineData("""{"stateDirectory": "/tmp/x", "broker": {"port": "eight"}}""", "")]
    [InlineData("""{"stateDirectory": "/tmp/x", "bridge": {"mqttTopicMapping": {"m": {"topic": "a", "source": "IotCore", "target": "Pubsub"}}}}""", "upstream")]
    public void ParseSettings_BadDocument_FormatExceptionNamingTheField(string json, string field)
    {
        var error = Assert.Throws<FormatException>(() => RuntimeMqtt.ParseSettings(json));

        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    /// <summary>The broker's CA is created ahead in the state directory, so the test can issue the client device's certificate.</summary>
    private MqttSettings Settings(string root, int? brokerPort = null) => RuntimeMqtt.ParseSettings(SettingsDocument(root, brokerPort).ToJsonString());

    private JsonObject SettingsDocument(string root, int? brokerPort = null)
    {
        var state = Path.Combine(root, "nucleus-mqtt");
        using var brokerCa = CertificateAuthority.LoadOrCreate(Path.Combine(state, "ca"), "Greengrass Core CA", CaKeyType.Rsa2048, TimeProvider.System);
        _brokerCaPath = Path.Combine(root, "broker-ca.pem");
        File.WriteAllText(_brokerCaPath, brokerCa.CertificatePem);
        _sensor = _pki.IssueClient("sensor-1", brokerCa);
        _brokerPort = brokerPort ?? TestUtil.FreePort();
        var core = _pki.IssueClient("core-1");
        return new JsonObject
        {
            ["stateDirectory"] = state,
            ["broker"] = new JsonObject { ["port"] = _brokerPort, ["bindAddress"] = "127.0.0.1" },
            ["auth"] = JsonNode.Parse(ClientDeviceAuthTests.SamplePolicy),
            ["clientDevices"] = new JsonArray(new JsonObject { ["thingName"] = "sensor-1", ["certificatePem"] = _sensor.CertificatePem }),
            ["bridge"] = JsonNode.Parse("""
                {"mqttTopicMapping": {
                  "devicesToIpc": {"topic": "telemetry/+", "source": "LocalMqtt", "target": "Pubsub"},
                  "devicesToCloud": {"topic": "telemetry/+", "source": "LocalMqtt", "target": "IotCore", "targetTopicPrefix": "dt/"},
                  "ipcToCloud": {"topic": "ipc/out/#", "source": "Pubsub", "target": "IotCore"}}}
                """),
            ["upstream"] = new JsonObject
            {
                ["host"] = "127.0.0.1", ["port"] = _upstream.Port, ["clientId"] = "core-1", ["caCertificatePath"] = _pki.CaPath,
                ["certificatePath"] = core.CertPath, ["privateKeyPath"] = core.KeyPath, ["minReconnectDelayMs"] = 200, ["maxReconnectDelayMs"] = 1000,
            },
        };
    }

    private string[] ClientDevice() =>
        ["-h", "127.0.0.1", "-p", _brokerPort.ToString(), "--cafile", _brokerCaPath, "--cert", _sensor.CertPath, "--key", _sensor.KeyPath, "-i", "sensor-1", "-q", "1"];

    private async Task DeployAsync(string component)
    {
        var id = await _runtime!.Runtime.CreateLocalDeploymentAsync(new LocalDeploymentRequest
        {
            RecipeDirectoryPath = _components.Combine("recipes"),
            ArtifactsDirectoryPath = _components.Combine("artifacts"),
            RootComponentVersionsToAdd = new() { [component] = "1.0.0" },
            ComponentToConfiguration = new() { [component] = new JsonObject { ["MERGE"] = new JsonObject { ["peersDir"] = NodePeer.PeersDirectory } } },
            FailureHandlingPolicy = "DO_NOTHING",
        }, CancellationToken.None);
        var report = await _runtime.WaitForDeploymentAsync(id);
        Assert.True(report.Status == DeploymentStatus.Succeeded, $"{report.Status}: {report.FailureCause}");
    }

    private string Log(string component)
    {
        var path = Path.Combine(_runtime!.Root, "logs", component + ".log");
        return File.Exists(path) ? File.ReadAllText(path) : "";
    }

    private void WriteComponents()
    {
        WriteComponent(IotCoreClient, "aws.greengrass.ipc.mqttproxy", "aws.greengrass#PublishToIoTCore, aws.greengrass#SubscribeToIoTCore",
            "exec node ipc-peer.js iotcore 'cloud/down/#' dt/up/core hello-cloud");
        WriteComponent(DeviceListener, "aws.greengrass.ipc.pubsub", "aws.greengrass#SubscribeToTopic",
            "exec node ipc-peer.js subscribe 'telemetry/+' 1");
        WriteComponent(IpcToCloud, "aws.greengrass.ipc.pubsub", "aws.greengrass#PublishToTopic",
            "exec node ipc-peer.js publish ipc/out/reading json '{\"v\":1}'");
    }

    private void WriteComponent(string name, string service, string operations, string command)
    {
        Directory.CreateDirectory(_components.Combine("recipes"));
        File.WriteAllText(_components.Combine("recipes", name + "-1.0.0.yaml"), $$"""
            ---
            RecipeFormatVersion: 2020-01-25
            ComponentName: {{name}}
            ComponentVersion: 1.0.0
            ComponentConfiguration:
              DefaultConfiguration:
                peersDir: /opt/peers
                accessControl:
                  {{service}}:
                    {{name}}:policy:1:
                      operations: [{{operations}}]
                      resources: ["*"]
            Manifests:
              - Platform:
                  os: linux
                Lifecycle:
                  Setenv:
                    PEERS_DIR: "{configuration:/peersDir}"
                  Run: sh {artifacts:path}/run.sh
                Artifacts:
                  - URI: s3://fixtures/mqtt/run.sh
            """);
        var artifacts = _components.Combine("artifacts", name, "1.0.0");
        Directory.CreateDirectory(artifacts);
        File.WriteAllText(Path.Combine(artifacts, "run.sh"), $"#!/bin/sh\ncd \"$PEERS_DIR\" && {command}\n");
    }

    private async Task<IMqttClient> ConnectCloudAsync()
    {
        var app = _pki.IssueClient("cloud-app");
        var client = new MqttClientFactory().CreateMqttClient();
        var options = DeviceClient.Options(_upstream.Port, app, _pki.CaPath, MQTTnet.Formatter.MqttProtocolVersion.V311);
        options.ClientId = "cloud-app";
        client.ApplicationMessageReceivedAsync += e =>
        {
            _cloudReceived.Enqueue($"{e.ApplicationMessage.Topic} {e.ApplicationMessage.ConvertPayloadToString()}");
            return Task.CompletedTask;
        };
        await client.ConnectAsync(options);
        await client.SubscribeAsync("dt/#", MqttQualityOfServiceLevel.AtLeastOnce);
        await client.SubscribeAsync("ipc/#", MqttQualityOfServiceLevel.AtLeastOnce);
        return client;
    }
}
