using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using IpcBus = Greengrass.Nucleus.Ipc.Services.LocalPubSub;
using IpcMessage = Greengrass.Nucleus.Ipc.Services.PubSubMessage;

namespace Greengrass.Nucleus.Mqtt.Bridge;

/// <summary>
/// The bridge's Pubsub endpoint on the IPC bus itself (PublishToTopic/SubscribeToTopic), so components and the bridge
/// share one local pub/sub. The bridge publishes binary messages as <see cref="Publisher"/> and never receives its own
/// (no-local, as with the in-memory stand-in). The IPC bus delivers synchronously on the publisher's thread, so each
/// subscription only enqueues there and one pump per subscription runs the bridge's async handler in order.
/// </summary>
internal sealed partial class IpcBusLocalPubSub : ILocalPubSub, IAsyncDisposable
{
    /// <summary>The publisher name IPC subscribers see on bridged messages: the Greengrass bridge component.</summary>
    public const string Publisher = "aws.greengrass.clientdevices.mqtt.Bridge";

    private readonly IpcBus _bus;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<Task, byte> _pumps = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;

    public IpcBusLocalPubSub(IpcBus bus, ILogger<IpcBusLocalPubSub> logger)
    {
        _bus = bus;
        _logger = logger;
    }

    public ValueTask PublishAsync(PubSubMessage message, CancellationToken ct)
    {
        _bus.Publish(new IpcMessage(message.Topic, Publisher, null, message.Payload.ToArray()));
        return ValueTask.CompletedTask;
    }

    public IDisposable Subscribe(string topicFilter, Func<PubSubMessage, CancellationToken, ValueTask> handler)
    {
        var queue = Channel.CreateUnbounded<PubSubMessage>(new() { SingleReader = true });
        var subscription = _bus.Subscribe(topicFilter, Publisher, receiveOwn: false, message => queue.Writer.TryWrite(ToBridge(message)));
        var pump = Task.Run(() => PumpAsync(topicFilter, queue.Reader, handler), CancellationToken.None);
        _pumps[pump] = 0;
        return new Subscription(subscription, queue.Writer);
    }

    private async Task PumpAsync(string filter, ChannelReader<PubSubMessage> queue, Func<PubSubMessage, CancellationToken, ValueTask> handler)
    {
        try
        {
            await foreach (var message in queue.ReadAllAsync(_stopping.Token))
            {
                try
                {
                    await handler(message, _stopping.Token);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One failing message (a refused upstream publish, a closed broker) must not end the subscription.
                    LogHandlerFailed(_logger, filter, message.Topic, e);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // stopping: whatever is still queued is dropped, as QoS 0 local messages are
        }
    }

    /// <summary>JSON messages cross to MQTT as their UTF-8 JSON text, binary ones as they are.</summary>
    private static PubSubMessage ToBridge(IpcMessage message) =>
        new(message.Topic, message.Binary ?? JsonSerializer.SerializeToUtf8Bytes(message.Json!.Value));

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        await Task.WhenAll(_pumps.Keys).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    private sealed class Subscription(IDisposable busSubscription, ChannelWriter<PubSubMessage> queue) : IDisposable
    {
        public void Dispose()
        {
            busSubscription.Dispose();
            queue.TryComplete();
        }
    }

    [LoggerMessage(EventId = 7411, Level = LogLevel.Warning, Message = "Bridge could not relay a local pub/sub message from {Topic} (subscription {Filter})")]
    private static partial void LogHandlerFailed(ILogger logger, string filter, string topic, Exception exception);
}
