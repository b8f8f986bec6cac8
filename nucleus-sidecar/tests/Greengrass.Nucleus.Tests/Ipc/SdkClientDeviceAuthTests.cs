using System.Text.Json.Nodes;
using Greengrass.Nucleus.Ipc.Services;
using Greengrass.Nucleus.Mqtt.Auth;
using Greengrass.Nucleus.Mqtt.Broker;
using Greengrass.Nucleus.Tests.Mqtt;
using Microsoft.Extensions.DependencyInjection;

namespace Greengrass.Nucleus.Tests.Ipc;

/// <summary>
/// <c>e2e/peers/custom-broker.js</c>: a custom broker component written with the unmodified npm aws-iot-device-sdk-v2
/// serves TLS with the certificate of SubscribeToCertificateUpdates, and admits TLS client devices with
/// VerifyClientDeviceIdentity, GetClientDeviceAuthToken and AuthorizeClientDeviceAction.
/// </summary>
public sealed class SdkClientDeviceAuthTests : IAsyncLifetime
{
    private const string Broker = "com.example.CustomBroker";
    private const string Policy = """
        {"aws.greengrass.clientdevices.Auth": {"com.example.CustomBroker:clientdevices:1": {
          "policyDescription": "Allows access to authenticate and authorize client devices.",
          "operations": ["*"], "resources": ["*"]}}}
        """;

    private readonly TestPki _pki = new();
    private readonly CertificateAuthority _foreignCa = CertificateAuthority.Create("Someone Else", CaKeyType.EcdsaP256, TimeProvider.System);
    private IpcTestHost _host = null!;
    private ClientIdentity _sensor = null!;
    private ClientIdentity _camera = null!;

    public async Task InitializeAsync()
    {
        var registry = new StaticClientDeviceRegistry();
        var authorizer = new ClientDeviceAuthorizer(registry);
        authorizer.Configure(DeviceGroups.Parse(JsonNode.Parse(ClientDeviceAuthTests.SamplePolicy)));
        var context = new ClientDeviceAuthContext(authorizer, registry, registry, _pki.Ca, ["127.0.0.1"], TimeSpan.FromDays(7));
        _host = await IpcTestHost.StartAsync(services: s => s.AddSingleton<IClientDeviceAuthAccess>(new SwitchableClientDeviceAuth(context)));
        _sensor = _pki.IssueClient("sensor-1");
        _camera = _pki.IssueClient("camera-1");
        registry.Attach("sensor-1", _sensor.Certificate);
        registry.Attach("camera-1", _camera.Certificate);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _foreignCa.Dispose();
        _pki.Dispose();
    }

    private static string Device(ClientIdentity identity) => $"{identity.ThingName},{identity.CertPath},{identity.KeyPath}";

    [SdkFact]
    public async Task CustomBroker_AdmitsExactlyTheDevicesTheBuiltInBrokerAdmits()
    {
        var stranger = _pki.IssueClient("stranger", _foreignCa); // neither issued by the core device CA nor attached
        var token = _host.AddComponent(Broker, Policy);

        await using var broker = NodePeer.StartScript(
            "custom-broker.js", NodePeer.PeersDirectory!, _host.SocketPath, token, Device(_sensor), Device(_camera), Device(stranger));
        await broker.WaitForAsync("done");
        await broker.ExitedCleanlyAsync();

        var certificate = broker.All("serverCertificate").Single();
        Assert.Equal(1, certificate.GetProperty("caCertificates").GetInt32());
        Assert.True(certificate.GetProperty("hasPrivateKey").GetBoolean());
        var devices = broker.All("device").ToDictionary(d => d.GetProperty("clientId").GetString()!);
        Assert.All(devices.Values, d => Assert.True(d.GetProperty("serverTrusted").GetBoolean(), d.GetRawText()));
        Assert.Equal("CONNACK accepted", devices["sensor-1"].GetProperty("connack").GetString());
        Assert.Equal("CONNACK refused", devices["camera-1"].GetProperty("connack").GetString());
        Assert.Equal("CONNACK refused", devices["stranger"].GetProperty("connack").GetString());

        var admitted = broker.All("broker").ToDictionary(d => d.GetProperty("clientId").GetString()!);
        var decisions = admitted["sensor-1"].GetProperty("decisions");
        Assert.True(admitted["sensor-1"].GetProperty("verified").GetBoolean());
        Assert.True(decisions.GetProperty("mqtt:connect mqtt:clientId:sensor-1").GetBoolean());
        Assert.True(decisions.GetProperty("mqtt:publish mqtt:topic:telemetry/sensor-1").GetBoolean());
        Assert.False(decisions.GetProperty("mqtt:publish mqtt:topic:telemetry/someone-else").GetBoolean());
        Assert.True(decisions.GetProperty("mqtt:subscribe mqtt:topicfilter:commands/+/all").GetBoolean());
        Assert.True(admitted["camera-1"].GetProperty("verified").GetBoolean()); // attached, but no policy lets it connect
        Assert.Equal("InvalidCredentialError", admitted["camera-1"].GetProperty("tokenError").GetString());
        Assert.False(admitted["stranger"].GetProperty("verified").GetBoolean());
        Assert.Equal("InvalidClientDeviceAuthTokenError", broker.All("badToken").Single().GetString());
        Assert.Empty(_host.LoggedErrors);
    }
}
