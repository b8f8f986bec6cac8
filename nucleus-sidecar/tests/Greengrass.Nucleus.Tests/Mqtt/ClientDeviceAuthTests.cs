using System.Text.Json.Nodes;
using Greengrass.Nucleus.Mqtt.Auth;

namespace Greengrass.Nucleus.Tests.Mqtt;

public sealed class ClientDeviceAuthTests
{
    [Theory]
    [InlineData("thingName: sensor-1", "sensor-1", true)]
    [InlineData("thingName: sensor-1", "sensor-12", false)]
    [InlineData("thingName: sensor*", "sensor-12", true)]
    [InlineData("thingName: *-12", "sensor-12", true)]
    [InlineData("thingName: *nso*", "sensor-12", true)]
    [InlineData("thingName: *", "anything", true)]
    [InlineData("thingName: Sensor*", "sensor-1", false)]
    [InlineData("thingName: a* AND thingName: *z", "abz", true)]
    [InlineData("thingName: a* AND thingName: *z", "aby", false)]
    [InlineData("thingName: x OR thingName: a* AND thingName: *z", "x", true)]
    [InlineData("thingName: x OR thingName: a* AND thingName: *z", "ay", false)]
    [InlineData("thingName:ns\\:thing", "ns:thing", true)]
    public void SelectionRule_Matches_FollowsWildcardAndPrecedenceRules(string rule, string thing, bool expected) =>
        Assert.Equal(expected, SelectionRule.Parse(rule).Matches(thing));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("thingName: a AND", "after the last operator")]
    [InlineData("thingName: a and thingName: b", "expected AND or OR")]
    [InlineData("attributes.x: 1", "expected 'thingName:'")]
    [InlineData("thingName: a/b", "not allowed")]
    [InlineData("thingName: **", "no characters")]
    public void SelectionRule_Invalid_ThrowsWithReason(string rule, string reason)
    {
        var e = Assert.Throws<FormatException>(() => SelectionRule.Parse(rule));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeviceGroups_UndefinedPolicy_ErrorNamesField()
    {
        var e = Assert.Throws<ClientDeviceAuthConfigException>(() => DeviceGroups.Parse(JsonNode.Parse("""
            {"deviceGroups":{"formatVersion":"2021-03-05","definitions":{"g":{"selectionRule":"thingName: a","policyName":"missing"}},"policies":{}}}
            """)));
        Assert.Equal("deviceGroups.definitions.g.policyName", e.Field);
    }

    [Fact]
    public void DeviceGroups_BadResourceAndOperation_ErrorsNameField()
    {
        var badResource = Assert.Throws<ClientDeviceAuthConfigException>(() => DeviceGroups.Parse(JsonNode.Parse("""
            {"deviceGroups":{"definitions":{},"policies":{"p":{"s":{"operations":["mqtt:publish"],"resources":["topic:x"]}}}}}
            """)));
        Assert.Equal("deviceGroups.policies.p.s.resources", badResource.Field);
        var badOperation = Assert.Throws<ClientDeviceAuthConfigException>(() => DeviceGroups.Parse(JsonNode.Parse("""
            {"deviceGroups":{"definitions":{},"policies":{"p":{"s":{"operations":["mqtt:pub"],"resources":["*"]}}}}}
            """)));
        Assert.Equal("deviceGroups.policies.p.s.operations", badOperation.Field);
        var badRule = Assert.Throws<ClientDeviceAuthConfigException>(() => DeviceGroups.Parse(JsonNode.Parse("""
            {"deviceGroups":{"definitions":{"g":{"selectionRule":"thing: a","policyName":"p"}},"policies":{"p":{"s":{"operations":["*"],"resources":["*"]}}}}}
            """)));
        Assert.Equal("deviceGroups.definitions.g.selectionRule", badRule.Field);
    }

    [Fact]
    public void Authorizer_PolicyVariablesAndLiteralFilters_AllowExactlyWhatIsGranted()
    {
        var authorizer = new ClientDeviceAuthorizer(new StaticClientDeviceRegistry());
        authorizer.Configure(DeviceGroups.Parse(JsonNode.Parse(SamplePolicy)));

        Assert.True(authorizer.IsAllowed("sensor-1", ClientDeviceAuthorizer.Connect, "mqtt:clientId:sensor-1"));
        Assert.False(authorizer.IsAllowed("sensor-1", ClientDeviceAuthorizer.Connect, "mqtt:clientId:sensor-2"));
        Assert.True(authorizer.CanPublish("sensor-1", "telemetry/sensor-1"));
        Assert.False(authorizer.CanPublish("sensor-1", "telemetry/sensor-2"));
        Assert.True(authorizer.CanSubscribe("sensor-1", "commands/+/all"));
        Assert.False(authorizer.CanSubscribe("sensor-1", "commands/x/all"));
        Assert.False(authorizer.CanSubscribe("sensor-1", "commands/#"));
        Assert.False(authorizer.CanPublish("camera-1", "telemetry/camera-1"));
    }

    [Fact]
    public void Authorizer_Reconfigured_NextDecisionUsesNewPolicies()
    {
        var authorizer = new ClientDeviceAuthorizer(new StaticClientDeviceRegistry());
        authorizer.Configure(DeviceGroups.Parse(JsonNode.Parse(SamplePolicy)));
        Assert.True(authorizer.CanPublish("sensor-1", "telemetry/sensor-1")); // compiles and keeps sensor-1's policy

        authorizer.Configure(DeviceGroups.Parse(JsonNode.Parse("""
            {"deviceGroups": {"definitions": {"s": {"selectionRule": "thingName: sensor-*", "policyName": "p"}},
              "policies": {"p": {"any": {"operations": ["*"], "resources": ["mqtt:topic:other/${iot:Connection.Thing.ThingName}"]}}}}}
            """)));

        Assert.False(authorizer.CanPublish("sensor-1", "telemetry/sensor-1"));
        Assert.True(authorizer.CanPublish("sensor-1", "other/sensor-1"));
        Assert.True(authorizer.IsAllowed("sensor-1", ClientDeviceAuthorizer.Subscribe, "mqtt:topic:other/sensor-1"));
        Assert.False(authorizer.CanPublish("sensor-2", "other/sensor-1"));
    }

    [Fact]
    public void Authorizer_DeviceInTwoGroups_GetsUnionOfPolicies()
    {
        var authorizer = new ClientDeviceAuthorizer(new StaticClientDeviceRegistry());
        authorizer.Configure(DeviceGroups.Parse(JsonNode.Parse(SamplePolicy)));

        Assert.True(authorizer.CanPublish("sensor-admin", "admin/reset"));
        Assert.True(authorizer.CanPublish("sensor-admin", "telemetry/sensor-admin"));
        Assert.False(authorizer.CanPublish("sensor-1", "admin/reset"));
    }

    [Fact]
    public async Task Authorizer_Connect_RequiresClientIdEqualToAttachedThing()
    {
        using var pki = new TestPki();
        var id = pki.IssueClient("sensor-1");
        var registry = new StaticClientDeviceRegistry();
        registry.Attach("sensor-1", id.Certificate);
        var authorizer = new ClientDeviceAuthorizer(registry);
        authorizer.Configure(DeviceGroups.Parse(JsonNode.Parse(SamplePolicy)));

        Assert.True((await authorizer.AuthenticateAsync(id.Certificate, "sensor-1", default)).Allowed);
        var otherId = await authorizer.AuthenticateAsync(id.Certificate, "sensor-2", default);
        Assert.False(otherId.Allowed);
        Assert.Equal(MQTTnet.Protocol.MqttConnectReasonCode.BadUserNameOrPassword, otherId.ReasonCode);
        var unknown = pki.IssueClient("sensor-3");
        Assert.False((await authorizer.AuthenticateAsync(unknown.Certificate, "sensor-3", default)).Allowed);
    }

    [Fact]
    public async Task CachingRegistry_SourceUnavailable_AnswersFromDiskWithinTrustDuration()
    {
        using var pki = new TestPki();
        var id = pki.IssueClient("sensor-1");
        var source = new FlakyRegistry();
        source.Inner.Attach("sensor-1", id.Certificate);
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var path = Path.Combine(pki.Root, "cache.json");
        var logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        var first = new CachingClientDeviceRegistry(source, path, TimeSpan.FromMinutes(5), time, logger);
        Assert.Equal(["sensor-1"], await first.GetThingsAsync(id.Certificate, default));

        source.Down = true;
        var restarted = new CachingClientDeviceRegistry(source, path, TimeSpan.FromMinutes(5), time, logger);
        Assert.Equal(["sensor-1"], await restarted.GetThingsAsync(id.Certificate, default));
        time.Advance(TimeSpan.FromMinutes(6));
        Assert.Empty(await restarted.GetThingsAsync(id.Certificate, default));
    }

    internal const string SamplePolicy = """
        {"deviceGroups":{"formatVersion":"2021-03-05",
          "definitions":{
            "sensors":{"selectionRule":"thingName: sensor-*","policyName":"sensorPolicy"},
            "admins":{"selectionRule":"thingName: *-admin","policyName":"adminPolicy"}},
          "policies":{
            "sensorPolicy":{
              "connect":{"statementDescription":"connect as yourself","operations":["mqtt:connect"],"resources":["mqtt:clientId:${iot:Connection.Thing.ThingName}"]},
              "telemetry":{"operations":["mqtt:publish"],"resources":["mqtt:topic:telemetry/${iot:Connection.Thing.ThingName}","mqtt:topic:shared/in"]},
              "commands":{"operations":["mqtt:subscribe"],"resources":["mqtt:topicfilter:commands/+/all","mqtt:topicfilter:telemetry/#","mqtt:topicfilter:shared/out"]}},
            "adminPolicy":{"all":{"operations":["mqtt:publish"],"resources":["mqtt:topic:admin/reset"]}}}}}
        """;

    private sealed class FlakyRegistry : IClientDeviceRegistry
    {
        public StaticClientDeviceRegistry Inner { get; } = new();

        public bool Down { get; set; }

        public ValueTask<IReadOnlyCollection<string>> GetThingsAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, CancellationToken ct) =>
            Down ? throw new ClientDeviceRegistryUnavailableException("offline") : Inner.GetThingsAsync(certificate, ct);
    }
}
