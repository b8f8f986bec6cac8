using System.Text.Json;
using System.Text.Json.Nodes;
using Greengrass.Nucleus.Mqtt;
using Greengrass.Nucleus.Mqtt.Auth;

namespace Greengrass.Nucleus.Tests.Mqtt;

/// <summary>MQTT.js and the AWS IoT Device SDK v2 MQTT 5 client (npm, e2e/peers/mqtt) as client devices.</summary>
public sealed class NodeClientDeviceTests : IAsyncLifetime
{
    private readonly TestPki _pki = new();
    private NucleusMqttHarness _nucleus = null!;
    private ClientIdentity _sensor1 = null!;

    public async Task InitializeAsync()
    {
        _sensor1 = _pki.IssueClient("sensor-1");
        var settings = MqttSettings.Parse(JsonNode.Parse($$"""{"stateDirectory": "{{Path.Combine(_pki.Root, "state")}}"}""")!);
        settings.DeviceGroups = DeviceGroups.Parse(JsonNode.Parse(ClientDeviceAuthTests.SamplePolicy));
        settings.ClientDevices.Add(new ClientDeviceEntry("sensor-1", _sensor1.CertificatePem));
        _nucleus = await NucleusMqttHarness.StartAsync(settings, _pki.Ca);
    }

    public async Task DisposeAsync()
    {
        await _nucleus.DisposeAsync();
        Assert.Empty(_nucleus.Errors.Entries);
        _pki.Dispose();
    }

    [Theory]
    [InlineData("mqttjs-device.js", 4, 128, null)]
    [InlineData("mqttjs-device.js", 5, 135, "admin/reset: 135")]
    [InlineData("sdk-device.js", 5, 135, "admin/reset: 135")]
    public async Task NodeClient_AllowedAndDenied_AsGreengrassAnswers(string script, int version, int deniedSubscribeCode, string? deniedPublish)
    {
        var result = await RunAsync(script, new
        {
            port = _nucleus.Port, ca = _pki.CaPath, cert = _sensor1.CertPath, key = _sensor1.KeyPath, clientId = "sensor-1",
            protocolVersion = version, subscribe = new[] { "telemetry/#", "commands/#" },
            publish = new[] { new { topic = "admin/reset", payload = "no" }, new { topic = "telemetry/sensor-1", payload = "yes" } },
            expect = 1,
        });

        Assert.True(result["connected"]!.GetValue<bool>());
        Assert.Equal([1, deniedSubscribeCode], result["granted"]!.AsArray().Select(g => g!.GetValue<int>()));
        Assert.Equal(["telemetry/sensor-1 yes"], result["received"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(deniedPublish is null ? [] : [deniedPublish], result["publishErrors"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Theory]
    [InlineData("mqttjs-device.js", 4, "4")]
    [InlineData("mqttjs-device.js", 5, "134")]
    [InlineData("sdk-device.js", 5, "134")]
    public async Task NodeClient_ClientIdOfAnotherThing_RefusedBadCredentials(string script, int version, string code)
    {
        var result = await RunAsync(script, new
        {
            port = _nucleus.Port, ca = _pki.CaPath, cert = _sensor1.CertPath, key = _sensor1.KeyPath, clientId = "sensor-2",
            protocolVersion = version, subscribe = Array.Empty<string>(), publish = Array.Empty<object>(), expect = 0,
        });

        Assert.False(result["connected"]!.GetValue<bool>());
        Assert.Equal(code, result["connectError"]!.GetValue<string>());
    }

    private static async Task<JsonNode> RunAsync(string script, object options)
    {
        var peers = Path.Combine(TestUtil.RepoRoot(), "e2e", "peers", "mqtt");
        Assert.True(Directory.Exists(Path.Combine(peers, "node_modules")), "npm peers missing: run build/install-test-deps.sh");
        var (exit, stdout, stderr) = await Proc.RunAsync("node", [script, JsonSerializer.Serialize(options)], TimeSpan.FromSeconds(90), peers);
        Assert.True(exit == 0, $"{script} exited {exit}: {stdout} {stderr}");
        return JsonNode.Parse(stdout.Trim().Split('\n')[^1])!;
    }
}
