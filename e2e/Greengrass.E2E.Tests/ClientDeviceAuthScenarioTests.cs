using System.Text.Json.Nodes;
using Greengrass.Api;
using Greengrass.E2E.Tests.Support;
using Greengrass.Peers;
using k8s;
using k8s.Models;
using ApiDeployment = Greengrass.Api.Deployment;

namespace Greengrass.E2E.Tests;

/// <summary>
/// Client device auth for a custom broker, on the cluster: a Deployment with <c>aws.greengrass.clientdevices.Auth</c> (a plugin,
/// so the nucleus restarts in its pod to apply it) and the sample <c>com.example.CustomBroker</c>, both imported unchanged from
/// their Greengrass recipes; the broker's own artifact is an <c>s3://</c> URI served by the S3-compatible peer. The broker, on
/// the npm AWS IoT Device SDK v2, serves TLS with the certificate <c>SubscribeToCertificateUpdates</c> delivers and decides with
/// <c>VerifyClientDeviceIdentity</c>, <c>GetClientDeviceAuthToken</c> and <c>AuthorizeClientDeviceAction</c>: the ClientDevice
/// the policy selects is admitted, a registered ClientDevice the policy does not select and an unknown certificate are refused.
/// </summary>
public sealed class ClientDeviceAuthScenarioTests(NucleusCluster cluster) : IClassFixture<NucleusCluster>
{
    private const string Node = "edge-node-2";
    private const string Broker = "com.example.CustomBroker";
    private const string Auth = "aws.greengrass.clientdevices.Auth";

    private static readonly JsonObject SensorPolicy = JsonNode.Parse("""
        {"deviceGroups": {"formatVersion": "2021-03-05",
          "definitions": {"sensors": {"selectionRule": "thingName: sensor-*", "policyName": "sensorPolicy"}},
          "policies": {"sensorPolicy": {
            "connect": {"operations": ["mqtt:connect"], "resources": ["mqtt:clientId:${iot:Connection.Thing.ThingName}"]},
            "telemetry": {"operations": ["mqtt:publish"], "resources": ["mqtt:topic:telemetry/${iot:Connection.Thing.ThingName}"]},
            "commands": {"operations": ["mqtt:subscribe"], "resources": ["mqtt:topicfilter:commands/+/all"]}}}}}
        """)!.AsObject();

    private GreengrassCluster Gg => cluster.Gg;

    private static ClientDevice Registered(string ns, string name, PemIdentity identity, string core) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new ClientDeviceSpec
        {
            ThingName = name,
            Certificate = new ClientCertificate { Pem = identity.CertificatePem },
            CoreDevices = new CoreDeviceSelection { Names = [core] },
        },
    };

    [Fact]
    public async Task CustomBroker_ThroughClientDeviceAuthIpc_AdmitsThePolicysDevice_RefusesOthers()
    {
        const string ns = "cda-ipc";
        const string device = "gateway-cda";
        using var pki = new PemPki();
        var sensor = pki.Issue("sensor-1", selfSigned: true);
        var camera = pki.Issue("camera-1", selfSigned: true); // registered, but no device group selects it
        var stranger = pki.Issue("stranger", selfSigned: true); // registered nowhere
        var runScript = await File.ReadAllBytesAsync(Path.Combine(Repository.Root, "e2e", "fixtures", "components", "artifacts", Broker, "1.0.0", "run.sh"));
        await using var s3 = await S3Peer.StartAsync("fixtures", new Dictionary<string, byte[]> { ["clientdevices/run.sh"] = runScript });

        await Gg.CreateNamespaceAsync(ns);
        await Gg.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "gateway-aws", NamespaceProperty = ns },
            StringData = new Dictionary<string, string> { ["accessKeyId"] = S3Peer.AccessKeyId, ["secretAccessKey"] = S3Peer.SecretAccessKey },
        }, ns);
        var core = Resources.CoreDevice(ns, device, "gatewaycda", Node, new Dictionary<string, string> { ["role"] = "custom-broker" });
        core.Spec.Aws = new AwsAccess
        {
            Region = "us-east-1", Credentials = new AwsCredentialsSource { SecretRef = new SecretReference { Name = "gateway-aws" } }, S3 = new S3Access { Endpoint = s3.Endpoint },
        };
        await Gg.CreateAsync(core, GreengrassApi.CoreDevicePlural);
        await Gg.CreateAsync(Registered(ns, "sensor-1", sensor, device), GreengrassApi.ClientDevicePlural);
        await Gg.CreateAsync(Registered(ns, "camera-1", camera, device), GreengrassApi.ClientDevicePlural);
        // The broker runs once: let the plan carry both client devices before the Deployment brings it.
        await cluster.DeviceAsync(ns, device, d => d.Status?.ClientDevices == 2, "two associated client devices");

        await RecipeImport.ApplyAsync(Gg, ns, RecipeImport.FixtureRecipe($"{Auth}-2.5.0.yaml"), RecipeImport.FixtureRecipe($"{Broker}-1.0.0.yaml"));
        var devices = string.Join(' ', new[] { ("sensor-1", sensor), ("camera-1", camera), ("stranger", stranger) }.Select(d => $"{d.Item1},{d.Item2.CertPath},{d.Item2.KeyPath}"));
        var deployment = Resources.DeploymentToSelector(ns, "custom-broker", new Dictionary<string, string> { ["role"] = "custom-broker" }, (Auth, "2.5.0"), (Broker, "1.0.0"));
        deployment.Spec.Components![Auth].ConfigurationUpdate = new ConfigurationUpdate { Merge = SensorPolicy };
        deployment.Spec.Components![Broker].ConfigurationUpdate = new ConfigurationUpdate
        {
            Merge = new JsonObject { ["peersDir"] = S3Peer.PeersDirectory, ["devices"] = devices },
        };
        await Gg.CreateAsync(deployment, GreengrassApi.DeploymentPlural);

        var done = await cluster.DeviceAsync(ns, device,
            d => d.Status?.LastDeployment?.Status == "SUCCEEDED" && NucleusCluster.State(d, Broker) == ComponentStates.Finished
                && NucleusCluster.AllReady(d, Auth),
            "the custom broker FINISHED after the Auth deployment SUCCEEDED", TimeSpan.FromSeconds(240));
        Assert.Equal(2, done.Status!.Components!.Count);
        var log = await File.ReadAllTextAsync(cluster.LogPath(Node, ns, device, Broker));
        Assert.Contains("\"done\":true", log, StringComparison.Ordinal);
        Assert.Contains("\"hasPrivateKey\":true", log, StringComparison.Ordinal);
        Assert.Contains("{\"device\":{\"clientId\":\"sensor-1\",\"serverTrusted\":true,\"connack\":\"CONNACK accepted\"}}", log, StringComparison.Ordinal);
        Assert.Contains("\"mqtt:publish mqtt:topic:telemetry/sensor-1\":true", log, StringComparison.Ordinal);
        Assert.Contains("\"mqtt:publish mqtt:topic:telemetry/someone-else\":false", log, StringComparison.Ordinal);
        // camera-1 is a known device (its identity verifies) that the policy does not allow to connect.
        Assert.Contains("{\"broker\":{\"clientId\":\"camera-1\",\"verified\":true", log, StringComparison.Ordinal);
        Assert.Contains("{\"device\":{\"clientId\":\"camera-1\",\"serverTrusted\":true,\"connack\":\"CONNACK refused\"}}", log, StringComparison.Ordinal);
        Assert.Contains("{\"broker\":{\"clientId\":\"stranger\",\"verified\":false}}", log, StringComparison.Ordinal);
        Assert.Contains("{\"device\":{\"clientId\":\"stranger\",\"serverTrusted\":true,\"connack\":\"CONNACK refused\"}}", log, StringComparison.Ordinal);
        Assert.Contains("{\"badToken\":\"InvalidClientDeviceAuthTokenError\"}", log, StringComparison.Ordinal);
        Assert.Contains(("GET /fixtures/clientdevices/run.sh", "match"), s3.Checked);

        var applied = await Eventually.Value(async () =>
        {
            var d = await Gg.GetAsync<ApiDeployment>(ns, GreengrassApi.DeploymentPlural, "custom-broker");
            return d?.Status?.Devices?.Succeeded == 1 ? d : null;
        }, "the Deployment succeeded on the gateway", TimeSpan.FromSeconds(120));
        Assert.Equal(DeploymentPhases.Succeeded, applied.Status!.Phase);
        Gg.AssertNoOperatorErrors();
    }
}
