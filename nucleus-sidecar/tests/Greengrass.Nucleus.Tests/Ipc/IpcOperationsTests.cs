using System.Text.Json.Nodes;
using Greengrass.Nucleus.Ipc;
using Greengrass.Nucleus.Ipc.Services;
using static Greengrass.Nucleus.Tests.Ipc.RawIpcClient;

namespace Greengrass.Nucleus.Tests.Ipc;

/// <summary>Operations driven over the socket by the byte-level client.</summary>
public sealed class IpcOperationsTests : IAsyncLifetime
{
    private const string AllPubSub = """
        {"aws.greengrass.ipc.pubsub": {"p": {"operations": ["*"], "resources": ["*"]}},
         "aws.greengrass.ipc.mqttproxy": {"m": {"operations": ["*"], "resources": ["devices/+/telemetry"]}}}
        """;

    private IpcTestHost _host = null!;

    public async Task InitializeAsync() => _host = await IpcTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task SubscribeToTopic_ResponseComesBeforeEvents_ReceiveModeRespected()
    {
        var token = _host.AddComponent("A", AllPubSub);
        await using var client = await ConnectAsync(_host.SocketPath, token);
        var all = await client.StartAsync("SubscribeToTopic", """{"topic":"t/1","receiveMode":"RECEIVE_ALL_MESSAGES"}""");
        var response = await client.ReceiveAsync();
        var others = await client.StartAsync("SubscribeToTopic", """{"topic":"t/+"}""");
        await client.ReceiveAsync();

        var (publishId, frames) = await client.CallCollectingAsync("PublishToTopic", """{"topic":"t/1","publishMessage":{"binaryMessage":{"message":"AAEC"}}}""", 2);
        var published = frames.Single(f => StreamId(f) == publishId);
        var evt = frames.Single(f => StreamId(f) != publishId);
        // The wildcard subscription defaults to RECEIVE_MESSAGES_FROM_OTHERS: the next frame must be the pong, not an event.
        await client.SendAsync(IpcFrames.Control(IpcMessageType.Ping, IpcMessageFlags.None, ReadOnlyMemory<byte>.Empty));
        Assert.Equal(IpcMessageType.PingResponse, Type((await client.ReceiveAsync())!));

        Assert.Equal("aws.greengrass#SubscribeToTopicResponse", Header(response!, "service-model-type"));
        Assert.Equal(IpcMessageFlags.None, Flags(response!));
        Assert.Equal("aws.greengrass#PublishToTopicResponse", Header(published, "service-model-type"));
        Assert.Equal(all, StreamId(evt!));
        Assert.Equal("aws.greengrass#SubscriptionResponseMessage", Header(evt!, "service-model-type"));
        Assert.Equal("AAEC", Json(evt!).GetProperty("binaryMessage").GetProperty("message").GetString());
        Assert.Equal("t/1", Json(evt!).GetProperty("binaryMessage").GetProperty("context").GetProperty("topic").GetString());
        Assert.NotEqual(all, others);
    }

    [Fact]
    public async Task SubscribeToTopic_ClientTerminate_Unsubscribes()
    {
        var token = _host.AddComponent("A", AllPubSub);
        await using var client = await ConnectAsync(_host.SocketPath, token);
        var id = await client.StartAsync("SubscribeToTopic", """{"topic":"x"}""");
        await client.ReceiveAsync();

        await client.SendAsync(Request(id, null, "", IpcMessageFlags.TerminateStream));

        await Eventually.TrueAsync(() => _host.Bus.Publish(new PubSubMessage("x", "host", null, [1])) == 0, "the subscription to go away");
    }

    [Fact]
    public async Task PublishToTopic_WildcardTopicOrBothBodies_IsInvalidArguments()
    {
        var token = _host.AddComponent("A", AllPubSub);
        await using var client = await ConnectAsync(_host.SocketPath, token);

        var wildcard = await client.CallAsync("PublishToTopic", """{"topic":"a/#","publishMessage":{"jsonMessage":{"message":1}}}""");
        var both = await client.CallAsync("PublishToTopic", """{"topic":"a","publishMessage":{"jsonMessage":{},"binaryMessage":{}}}""");
        var badBase64 = await client.CallAsync("PublishToTopic", """{"topic":"a","publishMessage":{"binaryMessage":{"message":"@@"}}}""");

        Assert.Equal("aws.greengrass#InvalidArgumentsError", Header(wildcard, "service-model-type"));
        Assert.Equal("aws.greengrass#InvalidArgumentsError", Header(both, "service-model-type"));
        Assert.Contains("publishMessage.binaryMessage.message", Json(badBase64).GetProperty("message").GetString());
    }

    [Fact]
    public async Task IoTCore_PublishReachesSubscriberThroughLocalRouter_MqttWildcardPolicy()
    {
        var token = _host.AddComponent("A", AllPubSub);
        await using var client = await ConnectAsync(_host.SocketPath, token);
        var sub = await client.StartAsync("SubscribeToIoTCore", """{"topicName":"devices/+/telemetry","qos":"1"}""");
        Assert.Equal("aws.greengrass#SubscribeToIoTCoreResponse", Header((await client.ReceiveAsync())!, "service-model-type"));

        var (publishId, frames) = await client.CallCollectingAsync(
            "PublishToIoTCore", """{"topicName":"devices/d1/telemetry","qos":"0","payload":"aGk=","userProperties":[{"key":"k","value":"v"}]}""", 2);
        var published = frames.Single(f => StreamId(f) == publishId);
        var evt = frames.Single(f => StreamId(f) != publishId);
        var denied = await client.CallAsync("PublishToIoTCore", """{"topicName":"devices/d1/other","qos":"0","payload":""}""");

        Assert.Equal("aws.greengrass#PublishToIoTCoreResponse", Header(published, "service-model-type"));
        Assert.Equal(sub, StreamId(evt!));
        Assert.Equal("aws.greengrass#IoTCoreMessage", Header(evt!, "service-model-type"));
        var message = Json(evt!).GetProperty("message");
        Assert.Equal("devices/d1/telemetry", message.GetProperty("topicName").GetString());
        Assert.Equal("aGk=", message.GetProperty("payload").GetString());
        Assert.Equal("v", message.GetProperty("userProperties")[0].GetProperty("value").GetString());
        Assert.Equal("aws.greengrass#UnauthorizedError", Header(denied, "service-model-type"));
    }

    [Theory]
    [InlineData("a/b/c/d/e/f/g/h/i", false)]
    [InlineData("a/b/c/d/e/f/g/h", true)]
    [InlineData("$aws/rules/myrule/a/b/c/d/e/f/g/h", true)]
    public void IoTCoreTopic_SlashLimit(string topic, bool valid)
    {
        var check = () => MqttProxyIpcService.ValidateTopic(topic, allowWildcards: false);
        if (valid)
        {
            check();
        }
        else
        {
            Assert.Throws<IpcServiceException>(check);
        }
    }

    [Fact]
    public async Task UpdateConfiguration_AccessControlAndMissingTimestamp_AreRejected()
    {
        var token = _host.AddComponent("A");
        await using var client = await ConnectAsync(_host.SocketPath, token);

        var acl = await client.CallAsync("UpdateConfiguration", """{"keyPath":[],"timestamp":1,"valueToMerge":{"accessControl":{}}}""");
        var noTimestamp = await client.CallAsync("UpdateConfiguration", """{"keyPath":[],"valueToMerge":{"a":1}}""");

        Assert.Contains("accessControl", Json(acl).GetProperty("message").GetString());
        Assert.Contains("timestamp", Json(noTimestamp).GetProperty("message").GetString());
    }

    [Fact]
    public async Task GetConfiguration_OtherComponentAndSubtree_ReturnsObject()
    {
        var token = _host.AddComponent("A");
        await _host.Configuration.MergeAsync("B", ["nested"], JsonNode.Parse("""{"x":{"y":[1,2]}}""")!.AsObject(), DateTimeOffset.UnixEpoch, CancellationToken.None);
        await using var client = await ConnectAsync(_host.SocketPath, token);

        var reply = await client.CallAsync("GetConfiguration", """{"componentName":"B","keyPath":["nested","x"]}""");

        Assert.Equal("B", Json(reply).GetProperty("componentName").GetString());
        Assert.Equal(2, Json(reply).GetProperty("value").GetProperty("y")[1].GetInt32());
    }

    [Fact]
    public async Task ValidateConfiguration_ReportReachesTheWaitingHost()
    {
        var token = _host.AddComponent("A");
        await using var client = await ConnectAsync(_host.SocketPath, token);
        await client.StartAsync("SubscribeToValidateConfigurationUpdates", "{}");
        await client.ReceiveAsync();
        var coordinator = _host.Validation;

        var validation = coordinator.ValidateAsync("A", new JsonObject { ["v"] = 2 }, "dep-1", TimeSpan.FromSeconds(60), CancellationToken.None);
        var evt = await client.ReceiveAsync();
        var reply = await client.CallAsync(
            "SendConfigurationValidityReport", """{"configurationValidityReport":{"status":"REJECTED","deploymentId":"dep-1","message":"v too big"}}""");

        Assert.Equal("aws.greengrass#ValidateConfigurationUpdateEvents", Header(evt!, "service-model-type"));
        Assert.Equal(2, Json(evt!).GetProperty("validateConfigurationUpdateEvent").GetProperty("configuration").GetProperty("v").GetInt32());
        Assert.Equal("aws.greengrass#SendConfigurationValidityReportResponse", Header(reply, "service-model-type"));
        Assert.Equal(new ConfigurationValidationResult(ConfigurationValidity.Rejected, "v too big"), await validation);
    }

    [Fact]
    public async Task CliOperations_WithoutPolicy_AreUnauthorized_UnknownComponentNotFound()
    {
        var denied = _host.AddComponent("A");
        var allowed = _host.AddComponent("Cli", """{"aws.greengrass.Cli": {"c": {"operations": ["*"], "resources": ["*"]}}}""");
        await using var deniedClient = await ConnectAsync(_host.SocketPath, denied);
        await using var allowedClient = await ConnectAsync(_host.SocketPath, allowed);

        var list = await deniedClient.CallAsync("ListComponents", "{}");
        var restart = await allowedClient.CallAsync("RestartComponent", """{"componentName":"ghost"}""");
        var created = await allowedClient.CallAsync("CreateLocalDeployment", """{"groupName":"g","rootComponentVersionsToAdd":{"x":"1.0.0"}}""");
        var id = Json(created).GetProperty("deploymentId").GetString();
        var status = await allowedClient.CallAsync("GetLocalDeploymentStatus", $$"""{"deploymentId":"{{id}}"}""");

        Assert.Equal("aws.greengrass#UnauthorizedError", Header(list, "service-model-type"));
        Assert.Equal("aws.greengrass#ComponentNotFoundError", Header(restart, "service-model-type"));
        Assert.Equal("QUEUED", Json(status).GetProperty("deployment").GetProperty("status").GetString());
    }
}
