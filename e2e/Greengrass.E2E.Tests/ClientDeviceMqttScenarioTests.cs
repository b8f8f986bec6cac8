using System.Text.Json.Nodes;
using Greengrass.Api;
using Greengrass.E2E.Tests.Support;
using k8s;
using k8s.Models;
using ApiDeployment = Greengrass.Api.Deployment;

namespace Greengrass.E2E.Tests;

/// <summary>
/// Client devices end to end: the operator turns the deployed Auth, Moquette and Bridge components, the CoreDevice's
/// upstream and an associated ClientDevice into the plan's MQTT section; the real nucleus hosts the broker; a real
/// <c>mosquitto_pub</c> client device publishes, and the same device as an AWS IoT Device SDK v2 application discovers the
/// core through the operator and publishes over the SDK's MQTT 5 client; a real TLS Mosquitto upstream receives what the
/// policy allows.
/// </summary>
public sealed class ClientDeviceMqttScenarioTests(NucleusCluster cluster) : IClassFixture<NucleusCluster>
{
    private const string Node = "edge-node-1";

    private GreengrassCluster Gg => cluster.Gg;

    private static readonly JsonObject AuthPolicy = JsonNode.Parse("""
        {"deviceGroups": {"formatVersion": "2021-03-05",
          "definitions": {"sensors": {"selectionRule": "thingName: sensor-*", "policyName": "sensorPolicy"}},
          "policies": {"sensorPolicy": {
            "connect": {"operations": ["mqtt:connect"], "resources": ["mqtt:clientId:${iot:Connection.Thing.ThingName}"]},
            "telemetry": {"operations": ["mqtt:publish"], "resources": ["mqtt:topic:clients/${iot:Connection.Thing.ThingName}/telemetry"]},
            "echo": {"operations": ["mqtt:subscribe"], "resources": ["mqtt:topicfilter:clients/${iot:Connection.Thing.ThingName}/telemetry"]}}}}}
        """)!.AsObject();

    private static readonly JsonObject BridgeMapping = JsonNode.Parse("""
        {"mqttTopicMapping": {"clientsToCloud": {"topic": "clients/#", "source": "LocalMqtt", "target": "IotCore", "targetTopicPrefix": "dt/"}}}
        """)!.AsObject();

    private async Task CreateFixtureComponentsAsync(string ns)
    {
        var yaml = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "e2e", "fixtures", "clientdevices", "components.yaml"));
        foreach (var node in ResourceYaml.ToJsonAll(yaml))
        {
            var component = KubernetesJson.Deserialize<Component>(node.ToJsonString());
            component.Metadata.NamespaceProperty = ns;
            await Gg.CreateAsync(component, GreengrassApi.ComponentPlural);
        }
    }

    private static ApiDeployment MqttDeployment(string ns) => new()
    {
        Metadata = new V1ObjectMeta { Name = "client-devices", NamespaceProperty = ns },
        Spec = new DeploymentSpec
        {
            CoreDeviceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["role"] = "gateway" } },
            Components = new Dictionary<string, DeploymentComponent>
            {
                ["aws.greengrass.clientdevices.Auth"] = new() { Version = "2.5.0", ConfigurationUpdate = new ConfigurationUpdate { Merge = AuthPolicy } },
                ["aws.greengrass.clientdevices.mqtt.Moquette"] = new() { Version = "2.3.7" },
                ["aws.greengrass.clientdevices.mqtt.Bridge"] = new() { Version = "2.3.2", ConfigurationUpdate = new ConfigurationUpdate { Merge = BridgeMapping } },
            },
        },
    };

    [Fact]
    public async Task ClientDevice_PublishesThroughTheNucleusBroker_AllowedTopicArrivesUpstream_DeniedDoesNot()
    {
        const string ns = "mqtt-bridge";
        const string device = "gateway-1";
        using var pki = new PemPki();
        await using var upstream = await TlsMosquitto.StartAsync(pki, "dt/#");
        var core = pki.Issue("gateway1");
        var sensor = pki.Issue("sensor-1", selfSigned: true); // a client device's own certificate, registered through its ClientDevice
        var brokerPort = FreePort.Next();

        await Gg.CreateNamespaceAsync(ns);
        await Gg.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "upstream-tls", NamespaceProperty = ns },
            Type = "kubernetes.io/tls",
            StringData = new Dictionary<string, string> { ["tls.crt"] = core.CertificatePem, ["tls.key"] = core.KeyPem, ["ca.crt"] = File.ReadAllText(pki.CaPath) },
        }, ns);
        await CreateFixtureComponentsAsync(ns);
        await Gg.CreateAsync(MqttDeployment(ns), GreengrassApi.DeploymentPlural);
        var coreDevice = Resources.CoreDevice(ns, device, "gateway1", Node, new Dictionary<string, string> { ["role"] = "gateway" });
        coreDevice.Spec.Connectivity = [new ConnectivityInfo { HostAddress = "127.0.0.1", PortNumber = brokerPort, Metadata = "loopback" }];
        coreDevice.Spec.Mqtt = new MqttSettings
        {
            Port = brokerPort,
            Upstream = new MqttUpstream { Endpoint = "127.0.0.1", Port = upstream.Port, CertificateSecretRef = new SecretReference { Name = "upstream-tls" } },
        };
        await Gg.CreateAsync(coreDevice, GreengrassApi.CoreDevicePlural);
        await Gg.CreateAsync(new ClientDevice
        {
            Metadata = new V1ObjectMeta { Name = "sensor-1", NamespaceProperty = ns },
            Spec = new ClientDeviceSpec
            {
                ThingName = "sensor-1",
                Certificate = new ClientCertificate { Pem = sensor.CertificatePem },
                CoreDevices = new CoreDeviceSelection { Names = [device] },
            },
        }, GreengrassApi.ClientDevicePlural);

        var client = await Eventually.Value(async () =>
        {
            var c = await Gg.GetAsync<ClientDevice>(ns, GreengrassApi.ClientDevicePlural, "sensor-1");
            return c?.Status?.CoreDevices?.Contains(device) == true && Conditions.IsTrue(c.Status.Conditions, ConditionTypes.Ready) ? c : null;
        }, "the ClientDevice Ready and associated with the core device", TimeSpan.FromSeconds(120));
        Assert.Equal(CertificateStates.Valid, client.Status!.Certificate!.State);
        await cluster.DeviceAsync(ns, device, d => d.Status?.ClientDevices == 1, "one associated client device");

        // The broker's server certificate comes from the core device CA the operator made; clients trust the CA that
        // CoreDevice status (and discovery) publish.
        var withCa = await cluster.DeviceAsync(ns, device, d => !string.IsNullOrEmpty(d.Status?.CertificateAuthority), "the core device CA in status");
        var brokerCa = Path.Combine(pki.Root, "core-device-ca.pem");
        await File.WriteAllTextAsync(brokerCa, withCa.Status!.CertificateAuthority);
        string[] Publish(string topic, string message) =>
            ["-h", "localhost", "-p", brokerPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--cafile", brokerCa,
             "--cert", sensor.CertPath, "--key", sensor.KeyPath, "-i", "sensor-1", "-q", "1", "-V", "mqttv311", "-t", topic, "-m", message];

        // Until the nucleus applied the section (broker up, sensor-1 attached), the publish fails: retry it.
        await Eventually.True(async () => (await RunAsync("mosquitto_pub", Publish("clients/sensor-1/telemetry", "21.5"))).Exit == 0,
            "mosquitto_pub through the nucleus broker", TimeSpan.FromSeconds(180));
        await Eventually.True(() => Task.FromResult(upstream.Received.Contains("dt/clients/sensor-1/telemetry 21.5")),
            "the telemetry bridged to the upstream Mosquitto", TimeSpan.FromSeconds(120));

        // Denied by the Auth policy: MQTT 3.1.1 has no negative PUBACK, the broker drops it. A later allowed message
        // shows the bridge had every chance to forward the denied one.
        // A publish may meet the moment the nucleus replaces its MQTT stack for a newer plan revision (the connection
        // drops, mosquitto_pub exits 7), so each is retried until the broker answered it.
        await Eventually.True(async () => (await RunAsync("mosquitto_pub", Publish("clients/sensor-1/secret", "denied"))).Exit == 0,
            "the denied publish answered without dropping the connection", TimeSpan.FromSeconds(60));
        await Eventually.True(async () => (await RunAsync("mosquitto_pub", Publish("clients/sensor-1/telemetry", "after"))).Exit == 0,
            "a later allowed publish", TimeSpan.FromSeconds(60));
        await Eventually.True(() => Task.FromResult(upstream.Received.Contains("dt/clients/sensor-1/telemetry after")),
            "the second telemetry upstream", TimeSpan.FromSeconds(120));
        Assert.DoesNotContain(upstream.Received, line => line.Contains("secret", StringComparison.Ordinal));

        // The same client device as a Greengrass SDK application: discovery through the operator, then the SDK's MQTT 5
        // client on the nucleus broker, trusting the CA discovery returned; its publish reaches the upstream too.
        var discoveryCa = Path.Combine(pki.Root, "discovery-ca.pem");
        var discoveryTls = await Eventually.Value(async () =>
            (await Gg.Client.CoreV1.ListNamespacedSecretAsync("default")).Items.FirstOrDefault(x => x.Metadata.Name == "greengrass-discovery-tls"),
            "the discovery server's Secret");
        await File.WriteAllBytesAsync(discoveryCa, discoveryTls.Data["ca.crt"]);
        var sdk = await Eventually.Value(async () =>
        {
            var r = await DiscoveryPeer.RunAsync(cluster.DiscoveryPort, discoveryCa, sensor.CertPath, sensor.KeyPath, "sensor-1",
                "clients/sensor-1/telemetry", "via-sdk", mqtt: true);
            return r["received"]?.AsArray().Count > 0 ? r : throw new InvalidOperationException(r.ToJsonString());
        }, "sensor-1 discovering the core and publishing with the SDK", TimeSpan.FromSeconds(120));
        Assert.Equal($"127.0.0.1:{brokerPort}", sdk["groups"]![0]!["cores"]![0]!["connectivity"]![0]!.GetValue<string>());
        Assert.Equal("clients/sensor-1/telemetry via-sdk", sdk["received"]![0]!.GetValue<string>());
        await Eventually.True(() => Task.FromResult(upstream.Received.Contains("dt/clients/sensor-1/telemetry via-sdk")),
            "the SDK client's telemetry upstream", TimeSpan.FromSeconds(120));

        // A second client device: the operator re-plans the core device, the nucleus replaces its MQTT stack in-process.
        var sensor2 = pki.Issue("sensor-2", selfSigned: true);
        await Gg.CreateAsync(new ClientDevice
        {
            Metadata = new V1ObjectMeta { Name = "sensor-2", NamespaceProperty = ns },
            Spec = new ClientDeviceSpec
            {
                ThingName = "sensor-2",
                Certificate = new ClientCertificate { Pem = sensor2.CertificatePem },
                CoreDevices = new CoreDeviceSelection { Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["role"] = "gateway" } } },
            },
        }, GreengrassApi.ClientDevicePlural);
        await cluster.DeviceAsync(ns, device, d => d.Status?.ClientDevices == 2, "two associated client devices");
        string[] PublishAsSensor2(string message) =>
            ["-h", "localhost", "-p", brokerPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--cafile", brokerCa,
             "--cert", sensor2.CertPath, "--key", sensor2.KeyPath, "-i", "sensor-2", "-q", "1", "-V", "mqttv311", "-t", "clients/sensor-2/telemetry", "-m", message];
        await Eventually.True(async () => (await RunAsync("mosquitto_pub", PublishAsSensor2("7"))).Exit == 0,
            "sensor-2 accepted by the nucleus broker", TimeSpan.FromSeconds(180));
        await Eventually.True(() => Task.FromResult(upstream.Received.Contains("dt/clients/sensor-2/telemetry 7")),
            "sensor-2's telemetry upstream", TimeSpan.FromSeconds(120));
        Gg.AssertNoOperatorErrors();
    }

    [Fact]
    public async Task ClientDevice_BadPemOrMissingSecret_IsStalledNamingTheField()
    {
        const string ns = "mqtt-bad-client";
        await Gg.CreateNamespaceAsync(ns);
        ClientDevice Client(string name, ClientCertificate certificate) => new()
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
            Spec = new ClientDeviceSpec { ThingName = name, Certificate = certificate, CoreDevices = new CoreDeviceSelection { Names = ["gw"] } },
        };
        await Gg.CreateAsync(Client("garbled", new ClientCertificate { Pem = "-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n" }),
            GreengrassApi.ClientDevicePlural);
        await Gg.CreateAsync(Client("no-secret", new ClientCertificate { SecretRef = new SecretReference { Name = "missing" } }), GreengrassApi.ClientDevicePlural);

        foreach (var (name, field, reason) in new[]
        {
            ("garbled", "spec.certificate.pem", ConditionReasons.CertificateInvalid),
            ("no-secret", "spec.certificate.secretRef.name", ConditionReasons.SecretNotFound),
        })
        {
            var stalled = await Eventually.Value(async () =>
            {
                var c = await Gg.GetAsync<ClientDevice>(ns, GreengrassApi.ClientDevicePlural, name);
                return Conditions.Find(c?.Status?.Conditions, ConditionTypes.Stalled) is { Status: ConditionStatuses.True } condition ? condition : null;
            }, $"{name} Stalled", TimeSpan.FromSeconds(60));
            Assert.Equal(reason, stalled.Reason);
            Assert.StartsWith(field + ":", stalled.Message, StringComparison.Ordinal);
        }
    }

    private static async Task<(int Exit, string Output)> RunAsync(string file, string[] arguments)
    {
        var info = new System.Diagnostics.ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        return (process.ExitCode, await output + await error);
    }
}
