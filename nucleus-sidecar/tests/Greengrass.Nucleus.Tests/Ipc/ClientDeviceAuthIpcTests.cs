using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Greengrass.Nucleus.Ipc;
using Greengrass.Nucleus.Ipc.EventStream;
using Greengrass.Nucleus.Mqtt.Auth;
using Greengrass.Nucleus.Mqtt.Broker;
using Greengrass.Nucleus.Tests.Mqtt;
using static Greengrass.Nucleus.Tests.Ipc.RawIpcClient;

namespace Greengrass.Nucleus.Tests.Ipc;

/// <summary>
/// The client device auth operations on the IPC wire, driven by the byte-level client as a custom broker component
/// would call them, against a real core device CA and the broker's authorizer with the sample device groups.
/// </summary>
public sealed class ClientDeviceAuthIpcTests : IAsyncLifetime
{
    private const string Policy = """
        {"aws.greengrass.clientdevices.Auth": {"com.example.Broker:clientdevices:1": {
          "operations": ["aws.greengrass#VerifyClientDeviceIdentity", "aws.greengrass#GetClientDeviceAuthToken",
                         "aws.greengrass#AuthorizeClientDeviceAction", "aws.greengrass#SubscribeToCertificateUpdates"],
          "resources": ["*"]}}}
        """;

    private readonly CertificateAuthority _foreignCa = CertificateAuthority.Create("Someone Else", CaKeyType.EcdsaP256, TimeProvider.System);
    private ClientDeviceAuthIpcHost _auth = null!;
    private ClientIdentity _sensor = null!;
    private ClientIdentity _camera = null!;
    private X509Certificate2 _foreignSensor = null!;

    public async Task InitializeAsync()
    {
        _auth = await ClientDeviceAuthIpcHost.StartAsync();
        _sensor = _auth.Pki.IssueClient("sensor-1");
        _camera = _auth.Pki.IssueClient("camera-1");
        _foreignSensor = _foreignCa.IssueClientCertificate("sensor-2", TimeSpan.FromDays(2), TimeProvider.System);
        _auth.Current = Context(_auth.Pki.Ca, ("sensor-1", _sensor.Certificate), ("camera-1", _camera.Certificate), ("sensor-2", _foreignSensor));
    }

    public async Task DisposeAsync()
    {
        await _auth.DisposeAsync();
        _foreignSensor.Dispose();
        _foreignCa.Dispose();
    }

    private static ClientDeviceAuthContext Context(CertificateAuthority ca, params (string Thing, X509Certificate2 Certificate)[] attached) =>
        ClientDeviceAuthIpcHost.Context(ca, ClientDeviceAuthTests.SamplePolicy, ["127.0.0.1", "core.example"], attached: attached);

    private Task<RawIpcClient> BrokerAsync(string policy = Policy) => _auth.ConnectAsBrokerAsync(policy);

    private static string Verify(string pem) => JsonSerializer.Serialize(new { credential = new { clientDeviceCertificate = pem } });

    private static string Token(string? clientId, string? pem, string? username = null, string? password = null) =>
        JsonSerializer.Serialize(new { credential = new { mqttCredential = new { clientId, certificatePem = pem, username, password } } }, IpcJson.Options);

    private static string Authorize(string token, string operation, string resource) =>
        JsonSerializer.Serialize(new { clientDeviceAuthToken = token, operation, resource });

    private static string ErrorCode(EventStreamMessage reply)
    {
        Assert.Equal(IpcMessageType.ApplicationError, Type(reply));
        Assert.Equal(IpcMessageFlags.TerminateStream, Flags(reply));
        return Json(reply).GetProperty("_errorCode").GetString()!;
    }

    private static string Message(EventStreamMessage reply) => Json(reply).GetProperty("message").GetString()!;

    private static async Task<string> TokenAsync(RawIpcClient client, ClientIdentity device)
    {
        var reply = await client.CallAsync("GetClientDeviceAuthToken", Token(device.ThingName, device.CertificatePem));
        Assert.Equal("aws.greengrass#GetClientDeviceAuthTokenResponse", Header(reply, "service-model-type"));
        return Json(reply).GetProperty("clientDeviceAuthToken").GetString()!;
    }

    private static async Task<bool> IsAuthorizedAsync(RawIpcClient client, string token, string operation, string resource)
    {
        var reply = await client.CallAsync("AuthorizeClientDeviceAction", Authorize(token, operation, resource));
        Assert.Equal("aws.greengrass#AuthorizeClientDeviceActionResponse", Header(reply, "service-model-type"));
        return Json(reply).GetProperty("isAuthorized").GetBoolean();
    }

    [Fact]
    public async Task AuthNotDeployed_EveryOperation_ServiceErrorNamingTheComponent()
    {
        _auth.Current = null;
        await using var client = await BrokerAsync();

        var replies = new[]
        {
            await client.CallAsync("VerifyClientDeviceIdentity", Verify(_sensor.CertificatePem)),
            await client.CallAsync("GetClientDeviceAuthToken", Token("sensor-1", _sensor.CertificatePem)),
            await client.CallAsync("AuthorizeClientDeviceAction", Authorize("t", "mqtt:connect", "mqtt:clientId:sensor-1")),
            await client.CallAsync("SubscribeToCertificateUpdates", """{"certificateOptions":{"certificateType":"SERVER"}}"""),
        };

        Assert.All(replies, r => Assert.Equal("ServiceError", ErrorCode(r)));
        Assert.All(replies, r => Assert.Contains("is not supported by Greengrass: aws.greengrass.clientdevices.Auth is not deployed", Message(r), StringComparison.Ordinal));
        Assert.Contains("aws.greengrass#VerifyClientDeviceIdentity", Message(replies[0]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoClientDeviceAuthPolicy_EveryOperation_UnauthorizedError()
    {
        await using var client = await BrokerAsync("""{"aws.greengrass.ipc.pubsub": {"p": {"operations": ["*"], "resources": ["*"]}}}""");

        Assert.Equal("UnauthorizedError", ErrorCode(await client.CallAsync("VerifyClientDeviceIdentity", Verify(_sensor.CertificatePem))));
        Assert.Equal("UnauthorizedError", ErrorCode(await client.CallAsync("GetClientDeviceAuthToken", Token("sensor-1", _sensor.CertificatePem))));
        Assert.Equal("UnauthorizedError", ErrorCode(await client.CallAsync("AuthorizeClientDeviceAction", Authorize("t", "mqtt:connect", "x"))));
        Assert.Equal("UnauthorizedError", ErrorCode(await client.CallAsync("SubscribeToCertificateUpdates", """{"certificateOptions":{"certificateType":"SERVER"}}""")));
        Assert.Equal(0, _auth.Subscriptions.Count);
    }

    [Fact]
    public async Task VerifyClientDeviceIdentity_TrustsWhatTheBrokerTrusts()
    {
        using var stranger = _foreignCa.IssueClientCertificate("stranger", TimeSpan.FromDays(2), TimeProvider.System);
        using var unattachedButCaIssued = _auth.Pki.Ca.IssueClientCertificate("new-device", TimeSpan.FromDays(2), TimeProvider.System);
        await using var client = await BrokerAsync();

        async Task<bool> VerifyAsync(string pem)
        {
            var reply = await client.CallAsync("VerifyClientDeviceIdentity", Verify(pem));
            Assert.Equal("aws.greengrass#VerifyClientDeviceIdentityResponse", Header(reply, "service-model-type"));
            return Json(reply).GetProperty("isValidClientDevice").GetBoolean();
        }

        Assert.True(await VerifyAsync(_sensor.CertificatePem));
        Assert.True(await VerifyAsync(unattachedButCaIssued.ExportCertificatePem()));
        Assert.True(await VerifyAsync(_foreignSensor.ExportCertificatePem())); // attached by the plan, whoever issued it
        Assert.False(await VerifyAsync(stranger.ExportCertificatePem()));
        // Greengrass also takes the base64 DER without the PEM armour.
        Assert.True(await VerifyAsync(Convert.ToBase64String(_sensor.Certificate.RawData)));
    }

    [Fact]
    public async Task VerifyClientDeviceIdentity_BadInput_InvalidArgumentsNamingTheField()
    {
        await using var client = await BrokerAsync();

        var missing = await client.CallAsync("VerifyClientDeviceIdentity", "{}");
        var empty = await client.CallAsync("VerifyClientDeviceIdentity", Verify(""));
        var garbage = await client.CallAsync("VerifyClientDeviceIdentity", Verify("not a certificate"));
        var badPem = await client.CallAsync("VerifyClientDeviceIdentity", Verify("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"));

        Assert.Equal("InvalidArgumentsError", ErrorCode(missing));
        Assert.StartsWith("credential:", Message(missing), StringComparison.Ordinal);
        foreach (var reply in new[] { empty, garbage, badPem })
        {
            Assert.Equal("InvalidArgumentsError", ErrorCode(reply));
            Assert.StartsWith("credential.clientDeviceCertificate:", Message(reply), StringComparison.Ordinal);
        }

        Assert.Empty(_auth.Host.LoggedErrors);
    }

    [Fact]
    public async Task GetTokenThenAuthorize_DecidesWithTheBrokersPolicies()
    {
        await using var client = await BrokerAsync();

        var token = await TokenAsync(client, _sensor);

        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", token);
        Assert.True(await IsAuthorizedAsync(client, token, "mqtt:connect", "mqtt:clientId:sensor-1"));
        Assert.True(await IsAuthorizedAsync(client, token, "mqtt:publish", "mqtt:topic:telemetry/sensor-1"));
        Assert.False(await IsAuthorizedAsync(client, token, "mqtt:publish", "mqtt:topic:telemetry/sensor-2"));
        Assert.True(await IsAuthorizedAsync(client, token, "mqtt:subscribe", "mqtt:topicfilter:commands/+/all"));
        Assert.False(await IsAuthorizedAsync(client, token, "mqtt:subscribe", "mqtt:topicfilter:commands/#"));
        Assert.False(await IsAuthorizedAsync(client, token, "mqtt:unknown", "mqtt:topic:telemetry/sensor-1"));
        Assert.NotEqual(token, await TokenAsync(client, _sensor)); // every call opens a session of its own
    }

    [Fact]
    public async Task GetClientDeviceAuthToken_NotAuthenticated_InvalidCredentialError()
    {
        using var stranger = _foreignCa.IssueClientCertificate("stranger", TimeSpan.FromDays(2), TimeProvider.System);
        await using var client = await BrokerAsync();

        var unknownCertificate = await client.CallAsync("GetClientDeviceAuthToken", Token("stranger", stranger.ExportCertificatePem()));
        var otherThing = await client.CallAsync("GetClientDeviceAuthToken", Token("camera-1", _sensor.CertificatePem));
        var noConnectPolicy = await client.CallAsync("GetClientDeviceAuthToken", Token("camera-1", _camera.CertificatePem));
        var noClientId = await client.CallAsync("GetClientDeviceAuthToken", Token(null, _sensor.CertificatePem));
        var usernameAndPassword = await client.CallAsync("GetClientDeviceAuthToken", Token("sensor-1", null, "sensor-1", "secret"));

        foreach (var reply in new[] { unknownCertificate, otherThing, noConnectPolicy, noClientId, usernameAndPassword })
        {
            Assert.Equal("InvalidCredentialError", ErrorCode(reply));
            Assert.Equal("aws.greengrass#InvalidCredentialError", Header(reply, "service-model-type"));
        }

        Assert.Empty(_auth.Host.LoggedErrors);
        Assert.Equal(5, _auth.Host.Logs.Entries.Count(e => e.Message.Contains("Client device auth token refused", StringComparison.Ordinal)));
        Assert.Contains(_auth.Host.Logs.Entries, e => e.Message.Contains("no policy allows mqtt:connect for client id 'camera-1'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetClientDeviceAuthToken_NoMqttCredential_InvalidArgumentsNamingTheField()
    {
        await using var client = await BrokerAsync();

        var none = await client.CallAsync("GetClientDeviceAuthToken", """{"credential":{}}""");
        var badPem = await client.CallAsync("GetClientDeviceAuthToken", Token("sensor-1", "%%%"));

        Assert.Equal("InvalidArgumentsError", ErrorCode(none));
        Assert.StartsWith("credential.mqttCredential:", Message(none), StringComparison.Ordinal);
        Assert.Equal("InvalidArgumentsError", ErrorCode(badPem));
        Assert.StartsWith("credential.mqttCredential.certificatePem:", Message(badPem), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthorizeClientDeviceAction_UnknownTokenOrMissingField_ErrorsAsGreengrass()
    {
        await using var client = await BrokerAsync();
        var token = await TokenAsync(client, _sensor);

        var unknown = await client.CallAsync("AuthorizeClientDeviceAction", Authorize("00000000-0000-0000-0000-000000000000", "mqtt:connect", "mqtt:clientId:sensor-1"));
        var noToken = await client.CallAsync("AuthorizeClientDeviceAction", """{"operation":"mqtt:connect","resource":"mqtt:clientId:sensor-1"}""");
        var noOperation = await client.CallAsync("AuthorizeClientDeviceAction", JsonSerializer.Serialize(new { clientDeviceAuthToken = token, resource = "r" }));
        var noResource = await client.CallAsync("AuthorizeClientDeviceAction", JsonSerializer.Serialize(new { clientDeviceAuthToken = token, operation = "mqtt:connect" }));

        Assert.Equal("InvalidClientDeviceAuthTokenError", ErrorCode(unknown));
        Assert.Equal("aws.greengrass#InvalidClientDeviceAuthTokenError", Header(unknown, "service-model-type"));
        Assert.Equal("InvalidArgumentsError", ErrorCode(noToken));
        Assert.StartsWith("clientDeviceAuthToken:", Message(noToken), StringComparison.Ordinal);
        Assert.StartsWith("operation:", Message(noOperation), StringComparison.Ordinal);
        Assert.StartsWith("resource:", Message(noResource), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigurationChanged_PoliciesApplyAtOnce_DetachedCertificateLosesItsToken()
    {
        await using var client = await BrokerAsync();
        var sensorToken = await TokenAsync(client, _sensor);
        var foreignToken = await TokenAsync(client, new ClientIdentity("sensor-2", _foreignSensor, "", ""));
        Assert.False(await IsAuthorizedAsync(client, sensorToken, "mqtt:publish", "mqtt:topic:other/sensor-1"));

        // A new plan: sensor-2's ClientDevice is gone and the policy now grants other/<thing>.
        _auth.Current = ClientDeviceAuthIpcHost.Context(_auth.Pki.Ca, """
            {"deviceGroups": {"definitions": {"s": {"selectionRule": "thingName: sensor-*", "policyName": "p"}},
              "policies": {"p": {"any": {"operations": ["*"], "resources": ["mqtt:topic:other/${iot:Connection.Thing.ThingName}"]}}}}}
            """, ["127.0.0.1"], 2500, ("sensor-1", _sensor.Certificate));

        Assert.True(await IsAuthorizedAsync(client, sensorToken, "mqtt:publish", "mqtt:topic:other/sensor-1"));
        Assert.False(await IsAuthorizedAsync(client, sensorToken, "mqtt:publish", "mqtt:topic:telemetry/sensor-1"));
        Assert.Equal("InvalidClientDeviceAuthTokenError", ErrorCode(await client.CallAsync("AuthorizeClientDeviceAction", Authorize(foreignToken, "mqtt:connect", "mqtt:clientId:sensor-2"))));
        // Revoked for good: attaching the certificate again does not bring the old token back.
        _auth.Current = Context(_auth.Pki.Ca, ("sensor-1", _sensor.Certificate), ("sensor-2", _foreignSensor));
        Assert.Equal("InvalidClientDeviceAuthTokenError", ErrorCode(await client.CallAsync("AuthorizeClientDeviceAction", Authorize(foreignToken, "mqtt:connect", "mqtt:clientId:sensor-2"))));
        Assert.Contains(_auth.Host.Logs.Entries, e => e.Message.Contains("no longer attached to thing 'sensor-2'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AuthUndeployed_SessionsEnd_RedeployedAuthDoesNotKnowOldTokens()
    {
        await using var client = await BrokerAsync();
        var token = await TokenAsync(client, _sensor);
        var context = _auth.Current;

        _auth.Current = null;
        Assert.Equal("ServiceError", ErrorCode(await client.CallAsync("AuthorizeClientDeviceAction", Authorize(token, "mqtt:connect", "mqtt:clientId:sensor-1"))));
        _auth.Current = context;

        Assert.Equal("InvalidClientDeviceAuthTokenError", ErrorCode(await client.CallAsync("AuthorizeClientDeviceAction", Authorize(token, "mqtt:connect", "mqtt:clientId:sensor-1"))));
    }

    [Fact]
    public async Task Tokens_BeyondMaxActiveAuthTokens_LeastRecentlyUsedEnds()
    {
        _auth.Current = ClientDeviceAuthIpcHost.Context(_auth.Pki.Ca, ClientDeviceAuthTests.SamplePolicy, ["127.0.0.1"], 2, ("sensor-1", _sensor.Certificate));
        await using var client = await BrokerAsync();
        var first = await TokenAsync(client, _sensor);
        var second = await TokenAsync(client, _sensor);
        Assert.True(await IsAuthorizedAsync(client, first, "mqtt:connect", "mqtt:clientId:sensor-1")); // first is now the most recently used

        var third = await TokenAsync(client, _sensor);

        Assert.Equal("InvalidClientDeviceAuthTokenError", ErrorCode(await client.CallAsync("AuthorizeClientDeviceAction", Authorize(second, "mqtt:connect", "mqtt:clientId:sensor-1"))));
        Assert.True(await IsAuthorizedAsync(client, first, "mqtt:connect", "mqtt:clientId:sensor-1"));
        Assert.True(await IsAuthorizedAsync(client, third, "mqtt:connect", "mqtt:clientId:sensor-1"));
    }
}
