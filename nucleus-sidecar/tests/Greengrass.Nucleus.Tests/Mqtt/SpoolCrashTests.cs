using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Xunit.Abstractions;

namespace Greengrass.Nucleus.Tests.Mqtt;

/// <summary>
/// The loss test: upstream down, 10,000 QoS 1 messages from a client device, kill -9 of the nucleus, restart,
/// upstream back: everything arrives upstream, in order; duplicates are counted and reported.
/// </summary>
public sealed class SpoolCrashTests(ITestOutputHelper output) : IDisposable
{
    private const int MessageCount = 10_000;
    private readonly TestPki _pki = new();

    [Fact]
    public async Task Spool_UpstreamOutageAndKill9_AllQos1MessagesArriveInOrder()
    {
        await using var upstream = new MosquittoServer(_pki);
        await upstream.StartAsync();
        var received = new ConcurrentQueue<string>();
        var cloud = await ConnectCloudAsync(upstream.Port, received);
        await cloud.DisconnectAsync();
        await upstream.StopAsync(); // upstream outage from here on; Mosquitto keeps the cloud app's session

        var sensor = _pki.IssueClient("sensor-1");
        var settingsPath = WriteSettings(upstream.Port, sensor);
        await using (var nucleus = await NucleusProcess.StartAsync(settingsPath))
        {
            var lines = string.Join('\n', Enumerable.Range(0, MessageCount).Select(i => $"msg-{i:D5}")) + "\n";
            var pub = await RunWithStdinAsync("mosquitto_pub",
                ["-h", "127.0.0.1", "-p", nucleus.Port.ToString(), "--cafile", _pki.CaPath, "--cert", sensor.CertPath, "--key", sensor.KeyPath,
                 "-i", "sensor-1", "-t", "telemetry/sensor-1", "-q", "1", "-l"], lines, TimeSpan.FromMinutes(5));
            Assert.True(pub.Exit == 0, "mosquitto_pub failed: " + pub.Err);
            await nucleus.KillAsync();
        }

        await upstream.StartAsync();
        cloud.Dispose();
        cloud = await ConnectCloudAsync(upstream.Port, received);
        await using (var restarted = await NucleusProcess.StartAsync(settingsPath))
        {
            // A second crash in the middle of delivery: what upstream acknowledged after the last cursor write comes again.
            await TestUtil.Eventually(() => received.Count >= MessageCount / 3, TimeSpan.FromMinutes(4), "delivery under way");
            await restarted.KillAsync();
        }

        await using var final = await NucleusProcess.StartAsync(settingsPath);
        await TestUtil.Eventually(() => received.Distinct().Count() >= MessageCount, TimeSpan.FromMinutes(4), "all messages upstream");
        cloud.Dispose();

        var all = received.ToList();
        var firstSeen = all.Distinct().Select(m => int.Parse(m["msg-".Length..])).ToList();
        Assert.Equal(Enumerable.Range(0, MessageCount), firstSeen);
        var duplicates = all.Count - MessageCount;
        output.WriteLine($"delivered {MessageCount} messages upstream across two kill -9 restarts; duplicates: {duplicates}");
        Assert.DoesNotContain("fail:", final.Log, StringComparison.Ordinal);
    }

    private string WriteSettings(int upstreamPort, ClientIdentity sensor)
    {
        var state = Path.Combine(_pki.Root, "nucleus");
        Directory.CreateDirectory(Path.Combine(state, "ca"));
        File.WriteAllText(Path.Combine(state, "ca", "ca.pem"), _pki.Ca.CertificatePem);
        File.WriteAllText(Path.Combine(state, "ca", "ca.key.pem"), Greengrass.Nucleus.Mqtt.Broker.CertificateAuthority.ExportKeyPem(_pki.Ca.Certificate));
        var core = _pki.IssueClient("core-1");
        var settings = new JsonObject
        {
            ["stateDirectory"] = state,
            ["broker"] = new JsonObject { ["port"] = TestUtil.FreePort(), ["bindAddress"] = "127.0.0.1" },
            ["auth"] = JsonNode.Parse(ClientDeviceAuthTests.SamplePolicy),
            ["clientDevices"] = new JsonArray(new JsonObject { ["thingName"] = "sensor-1", ["certificatePem"] = sensor.CertificatePem }),
            ["bridge"] = JsonNode.Parse("""{"mqttTopicMapping": {"toCloud": {"topic": "telemetry/#", "source": "LocalMqtt", "target": "IotCore", "targetTopicPrefix": "dt/"}}}"""),
            ["spooler"] = new JsonObject { ["maxSizeInBytes"] = 10_000_000 },
            ["upstream"] = new JsonObject
            {
                ["host"] = "127.0.0.1", ["port"] = upstreamPort, ["clientId"] = "core-1", ["caCertificatePath"] = _pki.CaPath,
                ["certificatePath"] = core.CertPath, ["privateKeyPath"] = core.KeyPath, ["minReconnectDelayMs"] = 200, ["maxReconnectDelayMs"] = 1000,
            },
        };
        var path = Path.Combine(_pki.Root, "nucleus-settings.json");
        File.WriteAllText(path, settings.ToJsonString());
        return path;
    }

    private async Task<IMqttClient> ConnectCloudAsync(int port, ConcurrentQueue<string> received)
    {
        var app = _pki.IssueClient("cloud-app");
        var options = DeviceClient.Options(port, app, _pki.CaPath, MqttProtocolVersion.V311);
        options.CleanSession = false;
        var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            received.Enqueue(e.ApplicationMessage.ConvertPayloadToString());
            return Task.CompletedTask;
        };
        await client.ConnectAsync(options);
        await client.SubscribeAsync("dt/#", MqttQualityOfServiceLevel.AtLeastOnce);
        return client;
    }

    private static async Task<(int Exit, string Err)> RunWithStdinAsync(string file, string[] args, string stdin, TimeSpan timeout)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(file) { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = System.Diagnostics.Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        await p.StandardInput.WriteAsync(stdin);
        p.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout);
        await p.WaitForExitAsync(cts.Token);
        await stdout;
        return (p.ExitCode, await err);
    }

    public void Dispose() => _pki.Dispose();
}
