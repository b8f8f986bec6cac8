using System.Text.Json;
using System.Text.Json.Nodes;
using Greengrass.Nucleus.Ipc.Services;

namespace Greengrass.Nucleus.Tests.Ipc;

/// <summary>
/// The official npm aws-iot-device-sdk-v2 greengrasscoreipc client, unmodified, run as real processes with the
/// environment a component gets. The seams the supervisor implements later are recording fakes here.
/// </summary>
public sealed class SdkClientTests : IAsyncLifetime
{
    private const string A = "com.example.A";
    private const string B = "com.example.B";

    private const string PubSubPolicy = """
        {"aws.greengrass.ipc.pubsub": {"com.example.A:pubsub:1": {
          "policyDescription": "sensor topics", "operations": ["aws.greengrass#PublishToTopic", "aws.greengrass#SubscribeToTopic"],
          "resources": ["sensors/*"]}}}
        """;

    private const string CliPolicy = """
        {"aws.greengrass.Cli": {"com.example.A:cli:1": {
          "operations": ["aws.greengrass#ListComponents", "aws.greengrass#RestartComponent"], "resources": ["*"]}}}
        """;

    private IpcTestHost _host = null!;

    public async Task InitializeAsync() => _host = await IpcTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [SdkFact]
    public async Task PubSub_JsonAndBinary_RoundTripBetweenTwoProcesses()
    {
        var subscriberToken = _host.AddComponent(A, PubSubPolicy);
        var publisherToken = _host.AddComponent(B, PubSubPolicy.Replace("com.example.A:", "com.example.B:"));
        await using var subscriber = NodePeer.Start(_host.SocketPath, subscriberToken, "subscribe", "sensors/+", "2");
        await subscriber.WaitForAsync("ready");

        await using (var json = NodePeer.Start(_host.SocketPath, publisherToken, "publish", "sensors/temp", "json", """{"celsius":21.5,"tags":["a"]}"""))
        {
            await json.ExitedCleanlyAsync();
            Assert.True(json.Lines[0].GetProperty("published").GetBoolean(), json.Lines[0].GetRawText());
        }

        var bytes = new byte[] { 0, 1, 2, 250, 255 };
        await using (var binary = NodePeer.Start(_host.SocketPath, publisherToken, "publish", "sensors/raw", "binary", Convert.ToBase64String(bytes)))
        {
            await binary.ExitedCleanlyAsync();
        }

        await subscriber.ExitedCleanlyAsync();
        var messages = subscriber.All("message").ToList();
        Assert.Equal(2, messages.Count);
        Assert.Equal("sensors/temp", messages[0].GetProperty("topic").GetString());
        Assert.Equal(21.5, messages[0].GetProperty("json").GetProperty("celsius").GetDouble());
        Assert.Equal("sensors/raw", messages[1].GetProperty("topic").GetString());
        Assert.Equal(bytes, Convert.FromBase64String(messages[1].GetProperty("binary").GetString()!));
        Assert.Empty(_host.LoggedErrors);
    }

    [SdkFact]
    public async Task GetConfiguration_LeafAndMissingKey_AnswerAsTheNucleusDoes()
    {
        var token = _host.AddComponent(A);
        await _host.Configuration.MergeAsync(A, [], JsonNode.Parse("""{"greeting":"hello","limits":{"max":5}}""")!.AsObject(), DateTimeOffset.FromUnixTimeMilliseconds(1), CancellationToken.None);

        await using var leaf = NodePeer.Start(_host.SocketPath, token, "config-get", "-", "greeting");
        var got = await leaf.WaitForAsync("get");
        await using var missing = NodePeer.Start(_host.SocketPath, token, "config-get", "-", "nope");
        await missing.WaitForAsync("error");

        Assert.Equal(A, got.GetProperty("componentName").GetString());
        Assert.Equal("hello", got.GetProperty("value").GetProperty("greeting").GetString());
        Assert.Equal("ResourceNotFoundError", missing.Lines[0].GetProperty("error").GetString());
    }

    [SdkFact]
    public async Task UpdateConfiguration_SubscriberInOtherProcessReceivesEvent_StaleUpdateRejected()
    {
        var tokenA = _host.AddComponent(A);
        var tokenB = _host.AddComponent(B);
        await using var watcher = NodePeer.Start(_host.SocketPath, tokenB, "config-watch", A, "settings");
        await watcher.WaitForAsync("ready");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

        await using var update = NodePeer.Start(_host.SocketPath, tokenA, "config-update", now.ToString("R"), """{"settings":{"level":3}}""");
        await update.ExitedCleanlyAsync();
        var change = await watcher.WaitForAsync("event");
        await using var stale = NodePeer.Start(_host.SocketPath, tokenA, "config-update", (now - 60).ToString("R"), """{"settings":{"level":1}}""");
        await stale.ExitedCleanlyAsync();

        Assert.True(update.Lines[0].GetProperty("updated").GetBoolean(), update.Lines[0].GetRawText());
        Assert.Equal(A, change.GetProperty("componentName").GetString());
        Assert.Equal(["settings", "level"], change.GetProperty("keyPath").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("FailedUpdateConditionCheckError", stale.Lines[0].GetProperty("error").GetString());
        Assert.True(_host.Configuration.TryGet(A, ["settings", "level"], out var level));
        Assert.Equal(3, level!.GetValue<int>());
    }

    [SdkFact]
    public async Task UpdateState_ReachesTheLifecycleSeam()
    {
        var token = _host.AddComponent(A);

        await using var peer = NodePeer.Start(_host.SocketPath, token, "update-state", "RUNNING");
        await peer.ExitedCleanlyAsync();

        Assert.Contains((A, "RUNNING"), _host.Lifecycle.Reports);
    }

    [SdkFact]
    public async Task ComponentUpdates_DeferralDelaysTheHostNotifyUntilConsent()
    {
        var token = _host.AddComponent(A);
        await using var peer = NodePeer.Start(_host.SocketPath, token, "defer-updates", "1500");
        await peer.WaitForAsync("ready");

        var outcome = await _host.Updates.NotifyComponentsAndWaitAsync("deployment-1", isGgcRestarting: true, TimeSpan.FromSeconds(30), CancellationToken.None);
        _host.Updates.NotifyUpdateFinished("deployment-1");
        await peer.ExitedCleanlyAsync();

        Assert.Equal(1, outcome.Deferrals);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), outcome.DeferredFor);
        Assert.Equal([A], outcome.DeferredBy);
        var notices = peer.All("preUpdate").ToList();
        Assert.Equal(2, notices.Count);
        Assert.All(notices, n => Assert.Equal("deployment-1", n.GetProperty("deploymentId").GetString()));
        Assert.True(notices[0].GetProperty("isGgcRestarting").GetBoolean());
        Assert.Equal("deployment-1", (await peer.WaitForAsync("postUpdate")).GetProperty("deploymentId").GetString());
    }

    [SdkFact]
    public async Task ListComponentsAndRestartComponent_ReachTheComponentSeam()
    {
        var token = _host.AddComponent(A, CliPolicy);
        _host.Components.Components[A] = new IpcComponentDetails(A, "1.0.0", "RUNNING");
        _host.Components.Components[B] = new IpcComponentDetails(B, "2.1.0", "FINISHED", JsonNode.Parse("""{"k":1}""")!.AsObject());

        await using var peer = NodePeer.Start(_host.SocketPath, token, "cli", B);
        await peer.ExitedCleanlyAsync();

        var list = peer.Lines[0].GetProperty("list").GetProperty("components").EnumerateArray().ToList();
        Assert.Equal([A, B], list.Select(c => c.GetProperty("componentName").GetString()));
        Assert.Equal("2.1.0", list[1].GetProperty("version").GetString());
        Assert.Equal("FINISHED", list[1].GetProperty("state").GetString());
        Assert.Equal("SUCCEEDED", peer.Lines[1].GetProperty("restart").GetProperty("restartStatus").GetString());
        Assert.Equal([B], _host.Components.Restarted);
    }

    [SdkFact]
    public async Task Publish_OutsideAccessControl_GetsUnauthorizedError()
    {
        var token = _host.AddComponent(A, PubSubPolicy);

        await using var peer = NodePeer.Start(_host.SocketPath, token, "publish", "actuators/valve", "json", "{}");
        await peer.ExitedCleanlyAsync();

        var line = peer.Lines[0];
        Assert.Equal("UnauthorizedError", line.GetProperty("error").GetString());
        Assert.Contains("com.example.A", line.GetProperty("serviceError").GetProperty("message").GetString());
    }

    [SdkFact]
    public async Task Connect_WithUnknownToken_IsRefused()
    {
        _host.AddComponent(A, PubSubPolicy);

        await using var peer = NodePeer.Start(_host.SocketPath, "WRONGTOKENWRONGT", "publish", "sensors/x", "json", "{}");
        var fatal = await peer.WaitForAsync("fatal");

        Assert.DoesNotContain(peer.Lines, l => l.TryGetProperty("published", out _));
        Assert.False(string.IsNullOrEmpty(fatal.GetString()));
    }
}
