using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Greengrass.Nucleus.Mqtt;
using Greengrass.Nucleus.Mqtt.Auth;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Greengrass.Nucleus.Tests.Mqtt;

/// <summary>Real client devices (Mosquitto CLI, MQTTnet) against the local broker with client device auth.</summary>
public sealed class ClientDeviceBrokerTests : IAsyncLifetime
{
    private readonly TestPki _pki = new();
    private NucleusMqttHarness _nucleus = null!;
    private ClientIdentity _sensor1 = null!;
    private ClientIdentity _sensor2 = null!;
    private ClientIdentity _unregistered = null!;

    public async Task InitializeAsync()
    {
        _sensor1 = _pki.IssueClient("sensor-1");
        _sensor2 = _pki.IssueClient("sensor-2");
        _unregistered = _pki.IssueClient("sensor-9");
        var settings = MqttSettings.Parse(JsonNode.Parse($$"""{"stateDirectory": "{{Path.Combine(_pki.Root, "state")}}"}""")!);
        settings.DeviceGroups = DeviceGroups.Parse(JsonNode.Parse(ClientDeviceAuthTests.SamplePolicy));
        settings.ClientDevices.Add(new ClientDeviceEntry("sensor-1", _sensor1.CertificatePem));
        settings.ClientDevices.Add(new ClientDeviceEntry("sensor-2", _sensor2.CertificatePem));
        _nucleus = await NucleusMqttHarness.StartAsync(settings, _pki.Ca);
    }

    public async Task DisposeAsync()
    {
        await _nucleus.DisposeAsync();
        Assert.Empty(_nucleus.Errors.Entries);
        _pki.Dispose();
    }

    private string[] Tls(ClientIdentity id) =>
        ["-h", "127.0.0.1", "-p", _nucleus.Port.ToString(), "--cafile", _pki.CaPath, "--cert", id.CertPath, "--key", id.KeyPath, "-i", id.ThingName];

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task MosquittoClients_AllowedTopics_PublishAndSubscribe(string version)
    {
        await using var sub = await SubscriberProcess.StartAsync("mosquitto_sub",
            [.. Tls(_sensor2), "-V", version, "-t", "telemetry/#", "-q", "1", "-C", "1", "-W", "60", "-d"]);
        var pub = await Proc.RunAsync("mosquitto_pub",
            [.. Tls(_sensor1), "-V", version, "--tls-alpn", "x-amzn-mqtt-ca", "-t", "telemetry/sensor-1", "-q", "1", "-m", "hello-" + version],
            TimeSpan.FromSeconds(60));

        Assert.True(pub.Exit == 0, pub.Err);
        var output = await sub.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.Contains("hello-" + version, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task MosquittoSub_DeniedFilter_SubscriptionRefused(string version)
    {
        var result = await Proc.RunAsync("mosquitto_sub",
            [.. Tls(_sensor1), "-V", version, "-t", "commands/#", "-q", "1", "-W", "20"], TimeSpan.FromSeconds(60));

        Assert.Contains("All subscription requests were denied", result.Err + result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MosquittoPub_DeniedTopic_MessageNeverDelivered()
    {
        await using var sub = await SubscriberProcess.StartAsync("mosquitto_sub",
            [.. Tls(_sensor2), "-t", "telemetry/#", "-q", "1", "-C", "1", "-W", "60", "-d", "-v"]);
        var denied = await Proc.RunAsync("mosquitto_pub", [.. Tls(_sensor1), "-t", "telemetry/sensor-2", "-q", "1", "-m", "forged"], TimeSpan.FromSeconds(60));
        var allowed = await Proc.RunAsync("mosquitto_pub", [.. Tls(_sensor1), "-t", "telemetry/sensor-1", "-q", "1", "-m", "genuine"], TimeSpan.FromSeconds(60));

        Assert.Equal(0, allowed.Exit);
        var output = await sub.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.Contains("telemetry/sensor-1 genuine", output, StringComparison.Ordinal);
        Assert.DoesNotContain("forged", output, StringComparison.Ordinal);
        Assert.Equal(0, denied.Exit); // MQTT 3.1.1 has no negative PUBACK: the broker drops the message
    }

    [Fact]
    public async Task MosquittoPub_UnknownCertificate_ConnectionRefusedBadCredentials()
    {
        var result = await Proc.RunAsync("mosquitto_pub",
            [.. Tls(_unregistered), "-t", "telemetry/sensor-9", "-m", "x"], TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, result.Exit);
        Assert.Contains("bad user name or password", result.Err, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task MosquittoPub_CertificateFromForeignCa_TlsHandshakeFails()
    {
        using var foreign = Greengrass.Nucleus.Mqtt.Broker.CertificateAuthority.Create("Foreign CA", Greengrass.Nucleus.Mqtt.Broker.CaKeyType.EcdsaP256, TimeProvider.System);
        var stranger = _pki.IssueClient("sensor-1-foreign", foreign);
        var result = await Proc.RunAsync("mosquitto_pub",
            ["-h", "127.0.0.1", "-p", _nucleus.Port.ToString(), "--cafile", _pki.CaPath, "--cert", stranger.CertPath, "--key", stranger.KeyPath,
             "-i", "sensor-1", "-t", "telemetry/sensor-1", "-m", "x"], TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, result.Exit);
    }

    [Fact]
    public async Task MqttNetV5_DeniedOperations_GetNotAuthorizedReasonCodes()
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(DeviceClient.Options(_nucleus.Port, _sensor1, _pki.CaPath));

        var sub = await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter("commands/+/all", MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter("commands/#", MqttQualityOfServiceLevel.AtLeastOnce).Build());
        var pub = await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("admin/reset").WithPayload("x")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, sub.Items.First(i => i.TopicFilter.Topic == "commands/+/all").ResultCode);
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, sub.Items.First(i => i.TopicFilter.Topic == "commands/#").ResultCode);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, pub.ReasonCode);
    }

    [Fact]
    public async Task MqttNet_ClientIdNotThingName_Refused()
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(DeviceClient.Options(_nucleus.Port, _sensor1, _pki.CaPath, MqttProtocolVersion.V500, clientId: "sensor-2"));

        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, result.ResultCode);
        Assert.False(client.IsConnected);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task MqttNet_Qos2_DeliveredExactlyOnce(MqttProtocolVersion version)
    {
        using var subscriber = new MqttClientFactory().CreateMqttClient();
        var received = new List<string>();
        subscriber.ApplicationMessageReceivedAsync += e =>
        {
            lock (received)
            {
                received.Add($"{e.ApplicationMessage.QualityOfServiceLevel} {e.ApplicationMessage.ConvertPayloadToString()}");
            }

            return Task.CompletedTask;
        };
        await subscriber.ConnectAsync(DeviceClient.Options(_nucleus.Port, _sensor2, _pki.CaPath, version));
        await subscriber.SubscribeAsync("telemetry/#", MqttQualityOfServiceLevel.ExactlyOnce);
        using var publisher = new MqttClientFactory().CreateMqttClient();
        await publisher.ConnectAsync(DeviceClient.Options(_nucleus.Port, _sensor1, _pki.CaPath, version));

        var result = await publisher.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("telemetry/sensor-1").WithPayload("q2")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.ExactlyOnce).Build());
        await publisher.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("telemetry/sensor-1").WithPayload("marker")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.ExactlyOnce).Build());

        Assert.True(result.IsSuccess);
        await TestUtil.Eventually(() => { lock (received) { return received.Contains("ExactlyOnce marker"); } }, what: "QoS 2 messages");
        lock (received)
        {
            Assert.Equal(["ExactlyOnce q2", "ExactlyOnce marker"], received);
        }
    }

    [Fact]
    public async Task MqttNet_RetainedAndWill_Delivered()
    {
        using var publisher = new MqttClientFactory().CreateMqttClient();
        await publisher.ConnectAsync(DeviceClient.Options(_nucleus.Port, _sensor1, _pki.CaPath));
        await publisher.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("shared/in").WithPayload("retained-1").WithRetainFlag()
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

        var willOptions = DeviceClient.Options(_nucleus.Port, _sensor2, _pki.CaPath, MqttProtocolVersion.V311);
        willOptions.WillTopic = "telemetry/sensor-2";
        willOptions.WillPayload = Encoding.UTF8.GetBytes("sensor-2 gone");
        willOptions.WillQualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce;
        using var doomed = new MqttClientFactory().CreateMqttClient();
        await doomed.ConnectAsync(willOptions);

        var received = new List<string>();
        publisher.ApplicationMessageReceivedAsync += e =>
        {
            lock (received)
            {
                received.Add(e.ApplicationMessage.ConvertPayloadToString());
            }

            return Task.CompletedTask;
        };
        await publisher.SubscribeAsync("telemetry/#", MqttQualityOfServiceLevel.AtLeastOnce);
        doomed.Dispose(); // drops the socket without DISCONNECT: the will fires

        await TestUtil.Eventually(() => { lock (received) { return received.Contains("sensor-2 gone"); } }, what: "will message");
        var retained = await _nucleus.Broker.Server.GetRetainedMessageAsync("shared/in");
        Assert.Equal("retained-1", retained.ConvertPayloadToString());
    }
}

/// <summary>A subscriber CLI process whose output is collected; started only once its SUBACK arrived.</summary>
internal sealed class SubscriberProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SubscriberProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static async Task<SubscriberProcess> StartAsync(string file, string[] args)
    {
        // stdbuf: the CLI tools buffer stdout on a pipe, and the SUBACK line must arrive before the publisher starts.
        var sub = new SubscriberProcess(Proc.Start("stdbuf", ["-oL", "-eL", file, .. args]));
        await Task.WhenAny(sub._subscribed.Task, sub._process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (!sub._subscribed.Task.IsCompleted)
        {
            await sub.DisposeAsync();
            throw new TimeoutException($"{file} did not subscribe: {sub.Output}");
        }

        return sub;
    }

    private string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async Task<string> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        _process.WaitForExit();
        return Output;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.Contains("SUBACK", StringComparison.Ordinal))
        {
            _subscribed.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
