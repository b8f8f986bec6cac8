using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Greengrass.Nucleus.Ipc.Services;
using Greengrass.Nucleus.Shadows;
using Greengrass.Nucleus.Tests.TestSupport;

namespace Greengrass.Nucleus.Tests.Shadows;

/// <summary>Shadow requests published on the local bus (components, client devices through the bridge), answered on accepted/rejected.</summary>
public sealed class ShadowPubSubRequestsTests : IDisposable
{
    private const string Device = "aws.greengrass.clientdevices.mqtt.Bridge";
    private readonly TempDirectory _directory = new();
    private readonly LocalPubSub _bus = new();
    private readonly ConcurrentQueue<PubSubMessage> _replies = new();
    private readonly ListLogger<ShadowPubSubRequests> _logger = new();
    private readonly ShadowService _service;
    private readonly IDisposable _watch;

    public ShadowPubSubRequestsTests()
    {
        _service = new ShadowService(
            new ShadowStore(_directory.Path, new ListLogger<ShadowStore>()), _bus, TimeProvider.System, new ListLogger<ShadowService>());
        _watch = _bus.Subscribe("$aws/things/#", "com.example.Watcher", receiveOwn: true, m =>
        {
            if (m.Publisher == ShadowService.ComponentName)
            {
                _replies.Enqueue(m);
            }
        });
    }

    public void Dispose()
    {
        _watch.Dispose();
        _service.Dispose();
        _directory.Dispose();
    }

    private static PubSubMessage Binary(string topic, string json) => new(topic, Device, null, Encoding.UTF8.GetBytes(json));

    private JsonElement Reply(string topic) =>
        JsonDocument.Parse(_replies.Single(m => m.Topic == topic).Binary!).RootElement;

    [Fact]
    public async Task Requests_RunningOnTheBus_AnsweredOnAcceptedTopics()
    {
        using var requests = new ShadowPubSubRequests(_bus, new FixedShadowService(_service), _logger);
        await requests.StartAsync(CancellationToken.None);
        try
        {
            _bus.Publish(Binary("$aws/things/lamp/shadow/name/cfg/update", """{"state":{"desired":{"on":true}},"clientToken":"d1"}"""));
            _bus.Publish(new PubSubMessage("$aws/things/lamp/shadow/name/cfg/get", Device, JsonDocument.Parse("{}").RootElement, null));

            await Eventually.HoldsAsync(
                () => _replies.Any(m => m.Topic.EndsWith("/get/accepted", StringComparison.Ordinal)), "the get request to be answered");
        }
        finally
        {
            await requests.StopAsync(CancellationToken.None);
        }

        Assert.Equal("d1", Reply("$aws/things/lamp/shadow/name/cfg/update/accepted").GetProperty("clientToken").GetString());
        Assert.True(Reply("$aws/things/lamp/shadow/name/cfg/update/delta").GetProperty("state").GetProperty("on").GetBoolean());
        Assert.Equal(1, Reply("$aws/things/lamp/shadow/name/cfg/get/accepted").GetProperty("version").GetInt64());
        _logger.AssertNoErrors();
    }

    [Fact]
    public async Task HandleAsync_BadPayloadOrMissingShadow_PublishesRejectedWithCode()
    {
        var requests = new ShadowPubSubRequests(_bus, new FixedShadowService(_service), _logger);

        await requests.HandleAsync(Binary("$aws/things/lamp/shadow/update", "{not json"), CancellationToken.None);
        await requests.HandleAsync(Binary("$aws/things/lamp/shadow/delete", "{}"), CancellationToken.None);

        Assert.Equal(400, Reply("$aws/things/lamp/shadow/update/rejected").GetProperty("code").GetInt32());
        Assert.Equal(404, Reply("$aws/things/lamp/shadow/delete/rejected").GetProperty("code").GetInt32());
        await Assert.ThrowsAsync<ShadowException>(() => _service.GetAsync("lamp", "", CancellationToken.None));
    }

    [Fact]
    public async Task HandleAsync_VersionConflict_RejectedWith409AndClientToken()
    {
        var requests = new ShadowPubSubRequests(_bus, new FixedShadowService(_service), _logger);

        await requests.HandleAsync(Binary("$aws/things/lamp/shadow/update", """{"state":{"reported":{"a":1}},"version":7,"clientToken":"c"}"""), CancellationToken.None);

        var rejected = Reply("$aws/things/lamp/shadow/update/rejected");
        Assert.Equal(409, rejected.GetProperty("code").GetInt32());
        Assert.Equal("c", rejected.GetProperty("clientToken").GetString());
    }

    [Fact]
    public async Task HandleAsync_ShadowManagerNotDeployed_NothingHappens()
    {
        var requests = new ShadowPubSubRequests(_bus, new NoShadowService(), _logger);

        await requests.HandleAsync(Binary("$aws/things/lamp/shadow/update", """{"state":{"reported":{"a":1}}}"""), CancellationToken.None);

        Assert.Empty(_replies);
        Assert.False(Directory.Exists(Path.Combine(_directory.Path, "lamp")));
    }

    [Theory]
    [InlineData("$aws/things/t1/shadow/update", "t1", "", "Update")]
    [InlineData("$aws/things/t1/shadow/name/s1/get", "t1", "s1", "Get")]
    [InlineData("$aws/things/t1/shadow/name/s1/delete", "t1", "s1", "Delete")]
    public void ParseTopic_FilteredTopics_SplitIntoThingShadowAndOperation(string topic, string thing, string shadow, string operation) =>
        Assert.Equal((thing, shadow, Enum.Parse<ShadowOperation>(operation)), ShadowPubSubRequests.ParseTopic(topic));
}
