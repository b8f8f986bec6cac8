using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Greengrass.Nucleus.Ipc;
using Greengrass.Nucleus.Ipc.Services;
using Greengrass.Nucleus.Mqtt.Bridge;
using Greengrass.Nucleus.Mqtt.Spool;
using Greengrass.Nucleus.Tests.TestSupport;
using BridgeMessage = Greengrass.Nucleus.Mqtt.Bridge.PubSubMessage;
using IpcMessage = Greengrass.Nucleus.Ipc.Services.PubSubMessage;

namespace Greengrass.Nucleus.Tests.Mqtt;

/// <summary>The two adapters between the bridge and IPC: the shared local bus and the IoT Core router over upstream.</summary>
public sealed class IpcBridgeAdapterTests
{
    [Fact]
    public async Task IpcBusLocalPubSub_ComponentPublishesJsonAndBinary_BridgeReceivesBytesInOrder()
    {
        var bus = new LocalPubSub();
        await using var adapter = new IpcBusLocalPubSub(bus, new ListLogger<IpcBusLocalPubSub>());
        var received = new ConcurrentQueue<string>();
        using var subscription = adapter.Subscribe("out/#", (m, _) =>
        {
            received.Enqueue($"{m.Topic} {Encoding.UTF8.GetString(m.Payload.Span)}");
            return ValueTask.CompletedTask;
        });

        bus.Publish(new IpcMessage("out/a", "com.example.Sender", JsonDocument.Parse("""{"t":1}""").RootElement, null));
        bus.Publish(new IpcMessage("out/b", "com.example.Sender", null, "raw"u8.ToArray()));
        bus.Publish(new IpcMessage("other", "com.example.Sender", null, "no"u8.ToArray()));

        await Eventually.HoldsAsync(() => received.Count >= 2, "the bridge handler ran for both messages");
        Assert.Equal(["out/a {\"t\":1}", "out/b raw"], received);
    }

    [Fact]
    public async Task IpcBusLocalPubSub_BridgePublishes_IpcSubscriberGetsBinaryAndBridgeDoesNotGetItBack()
    {
        var bus = new LocalPubSub();
        await using var adapter = new IpcBusLocalPubSub(bus, new ListLogger<IpcBusLocalPubSub>());
        var component = new ConcurrentQueue<IpcMessage>();
        var bridge = new ConcurrentQueue<BridgeMessage>();
        using var componentSubscription = bus.Subscribe("shared/#", "com.example.Listener", receiveOwn: false, component.Enqueue);
        using var bridgeSubscription = adapter.Subscribe("shared/#", (m, _) =>
        {
            bridge.Enqueue(m);
            return ValueTask.CompletedTask;
        });

        await adapter.PublishAsync(new BridgeMessage("shared/x", "from-device"u8.ToArray()), CancellationToken.None);
        bus.Publish(new IpcMessage("shared/y", "com.example.Listener", null, "from-component"u8.ToArray()));

        await Eventually.HoldsAsync(() => !bridge.IsEmpty, "the bridge received the component's message");
        var delivered = Assert.Single(component);
        Assert.Equal(("shared/x", IpcBusLocalPubSub.Publisher, "from-device"), (delivered.Topic, delivered.Publisher, Encoding.UTF8.GetString(delivered.Binary!)));
        Assert.Equal("shared/y", Assert.Single(bridge).Topic);
    }

    [Fact]
    public async Task IpcBusLocalPubSub_HandlerThrows_LogsAndKeepsDelivering()
    {
        var bus = new LocalPubSub();
        var logger = new ListLogger<IpcBusLocalPubSub>();
        await using var adapter = new IpcBusLocalPubSub(bus, logger);
        var received = new ConcurrentQueue<string>();
        using var subscription = adapter.Subscribe("t", (m, _) =>
        {
            var text = Encoding.UTF8.GetString(m.Payload.Span);
            received.Enqueue(text);
            return text == "bad" ? throw new SpoolFullException("spool full") : ValueTask.CompletedTask;
        });

        bus.Publish(new IpcMessage("t", "c", null, "bad"u8.ToArray()));
        bus.Publish(new IpcMessage("t", "c", null, "good"u8.ToArray()));

        await Eventually.HoldsAsync(() => received.Count == 2, "both messages reached the handler");
        Assert.Contains(logger.Entries, e => e.Id.Id == 7411 && e.Message.Contains("message from t ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UpstreamIotCoreRouter_Publish_ReachesUpstreamWithQosAndRetain()
    {
        var upstream = new RecordingUpstream();
        await using var router = new UpstreamIotCoreRouter(upstream, new ListLogger<UpstreamIotCoreRouter>());

        await router.PublishAsync(new IotCoreMessage("dt/a", "p"u8.ToArray(), Retain: true), 0, CancellationToken.None);

        var sent = Assert.Single(upstream.Published);
        Assert.Equal(("dt/a", "p", 0, true), (sent.Topic, Encoding.UTF8.GetString(sent.Payload.Span), sent.Qos, sent.Retain));
    }

    [Fact]
    public async Task UpstreamIotCoreRouter_SpoolFull_ServiceErrorNamingTheSpooler()
    {
        var upstream = new RecordingUpstream { Refuse = true };
        await using var router = new UpstreamIotCoreRouter(upstream, new ListLogger<UpstreamIotCoreRouter>());

        var error = await Assert.ThrowsAsync<IpcServiceException>(async () =>
            await router.PublishAsync(new IotCoreMessage("dt/a", [1]), 1, CancellationToken.None));

        Assert.Equal(IpcErrors.ServiceError, error.ErrorCode);
        Assert.Contains("spooler is full", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpstreamIotCoreRouter_StreamClosed_UnsubscribesUpstreamAndDeliversNoMore()
    {
        var upstream = new RecordingUpstream();
        var delivered = new ConcurrentQueue<IotCoreMessage>();
        await using (var router = new UpstreamIotCoreRouter(upstream, new ListLogger<UpstreamIotCoreRouter>()))
        {
            var subscription = await router.SubscribeAsync("cloud/#", 1, delivered.Enqueue, CancellationToken.None);
            await upstream.DeliverAsync(new UpstreamMessage("cloud/1", "one"u8.ToArray()));
            subscription.Dispose();
            await upstream.DeliverAsync(new UpstreamMessage("cloud/2", "two"u8.ToArray()));
        }

        Assert.Equal("cloud/1", Assert.Single(delivered).TopicName);
        Assert.Equal(1, upstream.Unsubscribed);
    }

    private sealed class RecordingUpstream : IUpstreamMqtt
    {
        private readonly List<Func<UpstreamMessage, CancellationToken, ValueTask>> _handlers = [];
        private int _unsubscribed;

        public bool Refuse { get; init; }

        public ConcurrentQueue<UpstreamMessage> Published { get; } = new();

        public int Unsubscribed => Volatile.Read(ref _unsubscribed);

        public Task PublishAsync(UpstreamMessage message, CancellationToken ct)
        {
            if (Refuse)
            {
                throw new SpoolFullException("spool is full (10 bytes)");
            }

            Published.Enqueue(message);
            return Task.CompletedTask;
        }

        public Task<IAsyncDisposable> SubscribeAsync(string topicFilter, Func<UpstreamMessage, CancellationToken, ValueTask> handler, CancellationToken ct)
        {
            _handlers.Add(handler);
            return Task.FromResult<IAsyncDisposable>(new Unsubscriber(this));
        }

        /// <summary>Like the real connection, a handler keeps being called until the unsubscribe completes.</summary>
        public async Task DeliverAsync(UpstreamMessage message)
        {
            foreach (var handler in _handlers)
            {
                await handler(message, CancellationToken.None);
            }
        }

        private sealed class Unsubscriber(RecordingUpstream owner) : IAsyncDisposable
        {
            public async ValueTask DisposeAsync()
            {
                await Task.Yield();
                Interlocked.Increment(ref owner._unsubscribed);
            }
        }
    }
}
