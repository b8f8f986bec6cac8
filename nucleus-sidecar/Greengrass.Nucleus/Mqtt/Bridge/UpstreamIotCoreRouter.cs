using System.Collections.Concurrent;
using Greengrass.Nucleus.Ipc;
using Greengrass.Nucleus.Ipc.Services;
using Greengrass.Nucleus.Mqtt.Spool;
using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Mqtt.Bridge;

/// <summary>
/// IPC <c>PublishToIoTCore</c>/<c>SubscribeToIoTCore</c> over the upstream connection (aws.greengrass.Nucleus's
/// MQTT client, §7.3): publishes go through the durable spool and the operation answers once the message is spooled;
/// subscriptions survive reconnects. Only topic, payload, QoS and retain cross upstream; MQTT 5 properties do not yet.
/// </summary>
internal sealed partial class UpstreamIotCoreRouter : IIotCoreRouter, IAsyncDisposable
{
    private readonly IUpstreamMqtt _upstream;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<Task, byte> _unsubscribing = new();

    public UpstreamIotCoreRouter(IUpstreamMqtt upstream, ILogger<UpstreamIotCoreRouter> logger)
    {
        _upstream = upstream;
        _logger = logger;
    }

    public async ValueTask PublishAsync(IotCoreMessage message, int qos, CancellationToken cancellationToken)
    {
        try
        {
            await _upstream.PublishAsync(new UpstreamMessage(message.TopicName, message.Payload, qos, message.Retain), cancellationToken);
        }
        catch (SpoolFullException e)
        {
            // Greengrass answers a publish the spooler refuses with a service error; the component may retry later.
            throw new IpcServiceException(IpcErrors.ServiceError, $"the MQTT spooler is full: {e.Message}");
        }
    }

    public async ValueTask<IDisposable> SubscribeAsync(string topicFilter, int qos, Action<IotCoreMessage> deliver, CancellationToken cancellationToken)
    {
        var subscription = new Subscription(this, deliver);
        subscription.Upstream = await _upstream.SubscribeAsync(topicFilter, subscription.OnMessageAsync, cancellationToken);
        return subscription;
    }

    /// <summary>Waits for the upstream unsubscribes that closed IPC streams started.</summary>
    public async ValueTask DisposeAsync() =>
        await Task.WhenAll(_unsubscribing.Keys).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

    /// <summary>IPC closes a stream synchronously; the upstream unsubscribe is kept and awaited when the router goes.</summary>
    private void Unsubscribe(IAsyncDisposable upstream)
    {
        var task = UnsubscribeAsync(upstream);
        _unsubscribing[task] = 0;
        _ = task.ContinueWith(t => _unsubscribing.TryRemove(t, out _), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task UnsubscribeAsync(IAsyncDisposable upstream)
    {
        try
        {
            await upstream.DisposeAsync();
        }
        catch (Exception e)
        {
            LogUnsubscribeFailed(_logger, e);
        }
    }

    private sealed class Subscription(UpstreamIotCoreRouter owner, Action<IotCoreMessage> deliver) : IDisposable
    {
        private int _disposed;

        public IAsyncDisposable? Upstream { get; set; }

        public ValueTask OnMessageAsync(UpstreamMessage message, CancellationToken ct)
        {
            if (Volatile.Read(ref _disposed) == 0)
            {
                deliver(new IotCoreMessage(message.Topic, message.Payload.ToArray(), message.Retain));
            }

            return ValueTask.CompletedTask;
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0 && Upstream is { } upstream)
            {
                owner.Unsubscribe(upstream);
            }
        }
    }

    [LoggerMessage(EventId = 7412, Level = LogLevel.Warning, Message = "Unsubscribing upstream for a closed SubscribeToIoTCore stream failed")]
    private static partial void LogUnsubscribeFailed(ILogger logger, Exception exception);
}
