using Greengrass.Nucleus.Ipc;
using Greengrass.Nucleus.Ipc.Authorization;
using static Greengrass.Nucleus.Tests.Ipc.RawIpcClient;

namespace Greengrass.Nucleus.Tests.Ipc;

public sealed class IpcAuthorizationTests
{
    [Theory]
    [InlineData("*", "anything/at/all", false, true)]
    [InlineData("factory/1/*/status", "factory/1/line7/status", false, true)]
    [InlineData("factory/1/*/status", "factory/1/a/b/status", false, true)]
    [InlineData("factory/1/*/status", "factory/2/a/status", false, false)]
    [InlineData("factory/*", "factory/", false, true)]
    [InlineData("*/end", "start/end", false, true)]
    [InlineData("a*b*c", "abc", false, true)]
    [InlineData("a*b*c", "axxbyyc", false, true)]
    [InlineData("a*b*c", "acb", false, false)]
    [InlineData("exact", "exact", false, true)]
    [InlineData("exact", "exact/more", false, false)]
    [InlineData("what?", "what?", false, true)]
    [InlineData("what?", "whats", false, false)]
    [InlineData("star${*}", "star*", false, true)]
    [InlineData("star${*}", "starlight", false, false)]
    [InlineData("q${?}", "q?", false, true)]
    [InlineData("${$}{x}", "${x}", false, true)]
    [InlineData("sensors/+/temp", "sensors/+/temp", false, true)]
    [InlineData("sensors/+/temp", "sensors/a/temp", false, false)]
    [InlineData("sensors/+/temp", "sensors/a/temp", true, true)]
    [InlineData("sensors/#", "sensors/a/b/c", false, false)]
    [InlineData("sensors/#", "sensors/a/b/c", true, true)]
    [InlineData("sensors/#", "sensors", true, true)]
    [InlineData("sensors/+", "sensors/a/b", true, false)]
    [InlineData("sensors/+/x", "sensors/#", true, false)]
    [InlineData("sensors/#", "sensors/+/x", true, true)]
    public void ResourcePattern_Matches_AsTheReferenceDescribes(string pattern, string resource, bool mqttStyle, bool expected)
    {
        var compiled = IpcResourcePattern.TryCreate(pattern, out var error);

        Assert.Null(error);
        Assert.Equal(expected, compiled!.Matches(resource, mqttStyle));
    }

    [Theory]
    [InlineData("bad${x}")]
    [InlineData("bad${}")]
    [InlineData("unterminated${*")]
    public void ResourcePattern_InvalidEscape_IsRejectedWithReason(string pattern)
    {
        Assert.Null(IpcResourcePattern.TryCreate(pattern, out var error));
        Assert.Contains(pattern, error);
    }

    [Fact]
    public void AccessControl_GrantsOnlyListedOperationsAndResources()
    {
        var policy = IpcAccessControl.Parse("""
            {"aws.greengrass.ipc.pubsub": {"p1": {"operations": ["aws.greengrass#PublishToTopic"], "resources": ["out/*"]}}}
            """);

        Assert.Empty(policy.Problems);
        Assert.True(policy.IsAuthorized("aws.greengrass.ipc.pubsub", "aws.greengrass#PublishToTopic", "out/x"));
        Assert.False(policy.IsAuthorized("aws.greengrass.ipc.pubsub", "aws.greengrass#SubscribeToTopic", "out/x"));
        Assert.False(policy.IsAuthorized("aws.greengrass.ipc.pubsub", "aws.greengrass#PublishToTopic", "in/x"));
        Assert.False(policy.IsAuthorized("aws.greengrass.ipc.mqttproxy", "aws.greengrass#PublishToTopic", "out/x"));
    }

    [Fact]
    public void AccessControl_OperationWildcard_GrantsEveryOperationOfTheService()
    {
        var policy = IpcAccessControl.Parse("""{"aws.greengrass.ipc.pubsub": {"p": {"operations": ["*"], "resources": ["*"]}}}""");

        Assert.True(policy.IsAuthorized("aws.greengrass.ipc.pubsub", "aws.greengrass#SubscribeToTopic", "any/topic"));
    }

    [Fact]
    public void AccessControl_UnqualifiedOrForeignOperation_GrantsNothingButOthersStillApply()
    {
        var policy = IpcAccessControl.Parse("""
            {"aws.greengrass.ipc.pubsub": {"p": {"operations": ["PublishToTopic", "aws.greengrass#PublishToIoTCore", "aws.greengrass#SubscribeToTopic"], "resources": ["*"]}}}
            """);

        Assert.False(policy.IsAuthorized("aws.greengrass.ipc.pubsub", "aws.greengrass#PublishToTopic", "t"));
        Assert.True(policy.IsAuthorized("aws.greengrass.ipc.pubsub", "aws.greengrass#SubscribeToTopic", "t"));
        Assert.Equal(2, policy.Problems.Count);
        Assert.Contains(policy.Problems, p => p.Contains("'PublishToTopic'"));
    }

    [Fact]
    public void AccessControl_EmptyPolicyId_RejectsTheServiceListOnly()
    {
        var policy = IpcAccessControl.Parse("""
            {"aws.greengrass.ipc.pubsub": {"": {"operations": ["*"], "resources": ["*"]}, "ok": {"operations": ["*"], "resources": ["*"]}},
             "aws.greengrass.ipc.mqttproxy": {"m": {"operations": ["*"], "resources": ["*"]}}}
            """);

        Assert.False(policy.IsAuthorized("aws.greengrass.ipc.pubsub", "aws.greengrass#PublishToTopic", "t"));
        Assert.True(policy.IsAuthorized("aws.greengrass.ipc.mqttproxy", "aws.greengrass#PublishToIoTCore", "t"));
        Assert.Contains(policy.Problems, p => p.Contains("empty policy id"));
    }

    [Fact]
    public void AccessControl_InvalidResource_IsSkippedIndividually()
    {
        var policy = IpcAccessControl.Parse("""
            {"aws.greengrass.ipc.pubsub": {"p": {"operations": ["*"], "resources": ["bad${x}", "good"]}}}
            """);

        Assert.True(policy.IsAuthorized("aws.greengrass.ipc.pubsub", "aws.greengrass#PublishToTopic", "good"));
        Assert.False(policy.IsAuthorized("aws.greengrass.ipc.pubsub", "aws.greengrass#PublishToTopic", "bad${x}"));
        Assert.Contains(policy.Problems, p => p.Contains("accessControl.aws.greengrass.ipc.pubsub.p.resources"));
    }

    [Fact]
    public void AccessControl_MalformedShapes_AreReportedNotThrown()
    {
        var policy = IpcAccessControl.Parse("""{"aws.greengrass.ipc.pubsub": {"p": {"operations": "*", "resources": [1]}}, "x": 3}""");

        Assert.False(policy.IsAuthorized("aws.greengrass.ipc.pubsub", "aws.greengrass#PublishToTopic", "t"));
        Assert.Contains(policy.Problems, p => p.Contains("operations must be a list"));
        Assert.Contains(policy.Problems, p => p.Contains("resources holds a Number"));
        Assert.Contains(policy.Problems, p => p.Contains("accessControl.x"));
    }

    [Fact]
    public async Task Token_AuthenticatesOnlyItsOwnComponent()
    {
        await using var host = await IpcTestHost.StartAsync();
        host.AddComponent("com.example.Allowed", """{"aws.greengrass.ipc.pubsub": {"p": {"operations": ["*"], "resources": ["*"]}}}""");
        var otherToken = host.AddComponent("com.example.Other");
        await using var client = await ConnectAsync(host.SocketPath, otherToken);

        var reply = await client.CallAsync("PublishToTopic", """{"topic":"t","publishMessage":{"jsonMessage":{"message":{}}}}""");

        Assert.Equal("aws.greengrass#UnauthorizedError", Header(reply, "service-model-type"));
        Assert.Contains("com.example.Other", Json(reply).GetProperty("message").GetString());
    }

    [Fact]
    public async Task Connect_ClaimingComponentNameWithoutToken_IsRefused()
    {
        await using var host = await IpcTestHost.StartAsync();
        host.AddComponent("com.example.A");
        await using var client = await OpenAsync(host.SocketPath);
        var connect = Connect("x");
        var claim = new Greengrass.Nucleus.Ipc.EventStream.EventStreamMessage(connect.Headers, """{"componentName":"com.example.A"}"""u8.ToArray());

        await client.SendAsync(claim);

        Assert.Equal(IpcMessageFlags.None, Flags((await client.ReceiveAsync())!));
        Assert.Null(await client.ReceiveAsync());
    }

    [Fact]
    public async Task AccessControlChange_TakesEffectOnNextCall()
    {
        await using var host = await IpcTestHost.StartAsync();
        var token = host.AddComponent("com.example.A");
        await using var client = await ConnectAsync(host.SocketPath, token);
        const string publish = """{"topic":"t","publishMessage":{"jsonMessage":{"message":1}}}""";
        Assert.Equal("aws.greengrass#UnauthorizedError", Header(await client.CallAsync("PublishToTopic", publish), "service-model-type"));

        host.Registry.SetAccessControl("com.example.A", IpcAccessControl.Parse("""{"aws.greengrass.ipc.pubsub": {"p": {"operations": ["*"], "resources": ["t"]}}}"""));

        Assert.Equal("aws.greengrass#PublishToTopicResponse", Header(await client.CallAsync("PublishToTopic", publish), "service-model-type"));
    }
}
