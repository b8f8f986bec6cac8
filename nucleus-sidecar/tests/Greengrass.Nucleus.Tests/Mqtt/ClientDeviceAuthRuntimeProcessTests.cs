using System.Text.Json.Nodes;
using Greengrass.Nucleus.Cli;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Ipc.Services;
using Greengrass.Nucleus.Mqtt.Broker;
using Greengrass.Nucleus.Runtime;
using Greengrass.Nucleus.Tests.Runtime;
using Greengrass.Nucleus.Tests.TestSupport;
using NodePeer = Greengrass.Nucleus.Tests.Ipc.NodePeer;
using RawIpcClient = Greengrass.Nucleus.Tests.Ipc.RawIpcClient;
using RuntimeNucleusProcess = Greengrass.Nucleus.Tests.Runtime.NucleusProcess;
using SdkFactAttribute = Greengrass.Nucleus.Tests.Ipc.SdkFactAttribute;

namespace Greengrass.Nucleus.Tests.Mqtt;

/// <summary>
/// The nucleus executable with <c>aws.greengrass.clientdevices.Auth</c> deployed (a plugin: the deployment goes through
/// a nucleus restart) and the sample custom broker <c>com.example.CustomBroker</c> (npm SDK), with the MQTT settings of
/// <c>--mqtt-config</c>: the broker admits the attached client device and refuses a stranger, deciding with the
/// nucleus's device groups, client devices and core device CA.
/// </summary>
[Collection(RuntimeCollection.Name)]
public sealed class ClientDeviceAuthRuntimeProcessTests
{
    private const string CustomBroker = "com.example.CustomBroker";
    private static readonly string[] User = Environment.UserName == "root" ? ["--default-user", "root"] : [];

    [SdkFact]
    public async Task Nucleus_AuthDeployed_CustomBrokerAdmitsAttachedDeviceAndRefusesStranger()
    {
        using var directory = new TempDirectory();
        using var pki = new TestPki();
        var state = directory.Combine("mqtt-state");
        using var coreCa = CertificateAuthority.LoadOrCreate(Path.Combine(state, "ca"), "Greengrass Core CA", CaKeyType.Rsa2048, TimeProvider.System);
        var sensor = pki.IssueClient("sensor-1", coreCa);
        var stranger = pki.IssueClient("stranger"); // another CA, attached to nothing
        var mqttConfig = directory.Combine("mqtt.json");
        await File.WriteAllTextAsync(mqttConfig, new JsonObject
        {
            ["stateDirectory"] = state,
            ["broker"] = new JsonObject { ["enabled"] = false },
            ["auth"] = JsonNode.Parse(ClientDeviceAuthTests.SamplePolicy),
            ["clientDevices"] = new JsonArray(new JsonObject { ["thingName"] = "sensor-1", ["certificatePem"] = sensor.CertificatePem }),
        }.ToJsonString());
        var planFile = directory.Combine("plan.json");
        var devices = $"sensor-1,{sensor.CertPath},{sensor.KeyPath} stranger,{stranger.CertPath},{stranger.KeyPath}";
        await File.WriteAllTextAsync(planFile, ContractJson.SerializePlan(BuildPlan(devices)));
        var root = directory.Combine("root");
        var log = Path.Combine(root, "logs", CustomBroker + ".log");

        await using var nucleus = RuntimeNucleusProcess.Start(root, ["--plan", planFile, "--supervise", "--mqtt-config", mqttConfig, .. User]);
        await Eventually.HoldsAsync(
            () => File.Exists(log) && File.ReadAllText(log).Contains("\"done\":true", StringComparison.Ordinal),
            $"{CustomBroker} to admit its devices (nucleus output: {nucleus.Output})",
            TimeSpan.FromSeconds(180));

        var output = await File.ReadAllTextAsync(log);
        Assert.Contains("{\"device\":{\"clientId\":\"sensor-1\",\"serverTrusted\":true,\"connack\":\"CONNACK accepted\"}}", output, StringComparison.Ordinal);
        Assert.Contains("{\"device\":{\"clientId\":\"stranger\",\"serverTrusted\":true,\"connack\":\"CONNACK refused\"}}", output, StringComparison.Ordinal);
        Assert.Contains("\"mqtt:publish mqtt:topic:telemetry/someone-else\":false", output, StringComparison.Ordinal);
        Assert.Contains("{\"badToken\":\"InvalidClientDeviceAuthTokenError\"}", output, StringComparison.Ordinal);
        nucleus.Signal("TERM");
        Assert.Equal(0, await nucleus.WaitForExitAsync());
    }

    [Fact]
    public async Task Runtime_MqttRunsWithoutAuthComponent_OperationsAnswerServiceError()
    {
        using var directory = new TempDirectory();
        var settings = RuntimeMqtt.ParseSettings(new JsonObject
        {
            ["stateDirectory"] = directory.Combine("mqtt-state"),
            ["broker"] = new JsonObject { ["enabled"] = false },
            ["auth"] = JsonNode.Parse(ClientDeviceAuthTests.SamplePolicy),
        }.ToJsonString());
        await using var fixture = await RuntimeFixture.StartAsync(enableIpc: true, mqtt: settings);
        await fixture.WaitForDeploymentAsync(await fixture.DeployAsync(["com.example.Service"]));
        await using var client = await RawIpcClient.ConnectAsync(fixture.Runtime.Options.EffectiveIpcSocketPath, fixture.Runtime.Ipc.TokenOf("com.example.Service")!);

        var reply = await client.CallAsync("VerifyClientDeviceIdentity", """{"credential":{"clientDeviceCertificate":"x"}}""");

        Assert.Equal("aws.greengrass#ServiceError", RawIpcClient.Header(reply, "service-model-type"));
        Assert.Contains("aws.greengrass.clientdevices.Auth is not deployed", RawIpcClient.Json(reply).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static DevicePlan BuildPlan(string devices) => LocalDeploymentBuilder.Build(
        new LocalDeploymentRequest
        {
            RecipeDirectoryPath = RuntimeFixture.RecipesDirectory,
            ArtifactsDirectoryPath = RuntimeFixture.ArtifactsDirectory,
            RootComponentVersionsToAdd = new() { [CustomBroker] = "1.0.0" },
            ComponentToConfiguration = new()
            {
                [CustomBroker] = new JsonObject
                {
                    ["MERGE"] = new JsonObject { ["peersDir"] = NodePeer.PeersDirectory, ["devices"] = devices },
                },
            },
        },
        null,
        "crash-device",
        DateTimeOffset.UtcNow);
}
