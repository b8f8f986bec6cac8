using System.Text.Json;
using Greengrass.Nucleus.Ipc;
using Greengrass.Nucleus.Ipc.Services;

namespace Greengrass.Nucleus.Tests.Ipc;

public sealed class LocalPubSubTests
{
    [Theory]
    [InlineData("a/b", "a/b", true)]
    [InlineData("a/b", "a/c", false)]
    [InlineData("a/+", "a/b", true)]
    [InlineData("a/+", "a/b/c", false)]
    [InlineData("a/+", "a", false)]
    [InlineData("a/+", "a/", true)]
    [InlineData("a/#", "a", true)]
    [InlineData("a/#", "a/b/c", true)]
    [InlineData("a/#", "ab", false)]
    [InlineData("#", "x/y", true)]
    [InlineData("+/+", "x/y", true)]
    [InlineData("+/b/#", "x/b", true)]
    [InlineData("+/b/#", "x/c/d", false)]
    [InlineData("a/b", "a/b/", false)]
    public void TopicMatches_FollowsMqttRules(string filter, string topic, bool expected) =>
        Assert.Equal(expected, LocalPubSub.TopicMatches(filter, topic));

    [Theory]
    [InlineData("a/b+")]
    [InlineData("a/#/b")]
    [InlineData("a#")]
    [InlineData("")]
    public void Subscribe_InvalidFilter_IsInvalidArguments(string filter)
    {
        var error = Assert.Throws<IpcServiceException>(() => new LocalPubSub().Subscribe(filter, "c", true, _ => { }));
        Assert.Equal(IpcErrors.InvalidArgumentsError, error.ErrorCode);
    }

    [Fact]
    public void Publish_WildcardTopic_IsInvalidArguments() =>
        Assert.Throws<IpcServiceException>(() => new LocalPubSub().Publish(Message("a/+", "c")));

    [Fact]
    public void Publish_ReachesExactAndWildcardSubscribers_RespectingReceiveMode()
    {
        var bus = new LocalPubSub();
        var got = new List<string>();
        using var exact = bus.Subscribe("a/b", "self", receiveOwn: true, m => got.Add("exact"));
        using var wildcard = bus.Subscribe("a/+", "other", receiveOwn: true, m => got.Add("wildcard"));
        using var notOwn = bus.Subscribe("a/#", "self", receiveOwn: false, m => got.Add("notOwn"));

        var delivered = bus.Publish(Message("a/b", "self"));

        Assert.Equal(2, delivered);
        Assert.Equal(["exact", "wildcard"], got);
    }

    [Fact]
    public void Dispose_Unsubscribes()
    {
        var bus = new LocalPubSub();
        var count = 0;
        var subscription = bus.Subscribe("a", "s", true, _ => count++);
        bus.Publish(Message("a", "p"));

        subscription.Dispose();
        bus.Publish(Message("a", "p"));

        Assert.Equal(1, count);
    }

    [Fact]
    public void Message_MustBeJsonOrBinary() =>
        Assert.Throws<ArgumentException>(() => new PubSubMessage("t", "p", JsonDocument.Parse("1").RootElement, [1]));

    private static PubSubMessage Message(string topic, string publisher) => new(topic, publisher, JsonDocument.Parse("{}").RootElement, null);
}
