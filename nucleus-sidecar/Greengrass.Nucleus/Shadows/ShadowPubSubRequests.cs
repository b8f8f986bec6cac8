using System.Text;
using System.Threading.Channels;
using Greengrass.Nucleus.Ipc.Services;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Shadows;

/// <summary>
/// Shadow requests published on the local pub/sub bus, as ShadowManager answers them: a message on
/// <c>$aws/things/T/shadow[/name/S]/update|get|delete</c> (from a component or from client devices through the MQTT
/// bridge) runs that operation, and the outcome goes to the <c>…/accepted</c> and <c>…/rejected</c> topics. These
/// requests act as ShadowManager itself, so no accessControl applies (publishing on the topic is what is authorized).
/// Delivery on the bus is synchronous, so requests are queued and run one by one here.
/// </summary>
internal sealed class ShadowPubSubRequests : BackgroundService
{
    private const int Capacity = 1000;

    private static readonly string[] Filters =
    [
        "$aws/things/+/shadow/update", "$aws/things/+/shadow/get", "$aws/things/+/shadow/delete",
        "$aws/things/+/shadow/name/+/update", "$aws/things/+/shadow/name/+/get", "$aws/things/+/shadow/name/+/delete",
    ];

    private readonly LocalPubSub _bus;
    private readonly IShadowServiceAccess _access;
    private readonly ILogger _logger;
    private readonly List<IDisposable> _subscriptions = [];
    private readonly Channel<PubSubMessage> _queue = Channel.CreateBounded<PubSubMessage>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public ShadowPubSubRequests(LocalPubSub bus, IShadowServiceAccess access, ILogger<ShadowPubSubRequests> logger)
    {
        _bus = bus;
        _access = access;
        _logger = logger;
    }

    /// <summary>Subscribes before returning, so a request published once the start completed is never missed.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _subscriptions.AddRange(Filters.Select(f => _bus.Subscribe(f, ShadowService.ComponentName, receiveOwn: false, Enqueue)));
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _subscriptions.ForEach(s => s.Dispose());
        _subscriptions.Clear();
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var message in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                await HandleAsync(message, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    private void Enqueue(PubSubMessage message)
    {
        if (!_queue.Writer.TryWrite(message))
        {
            ShadowLog.RequestDropped(_logger, message.Topic, Capacity);
        }
    }

    /// <summary>Runs one request; every refusal becomes a <c>…/rejected</c> message, never an exception.</summary>
    public async Task HandleAsync(PubSubMessage message, CancellationToken ct)
    {
        if (_access.Current is not { } service)
        {
            ShadowLog.RequestIgnored(_logger, message.Topic);
            return;
        }

        var (thing, shadow, operation) = ParseTopic(message.Topic);
        try
        {
            ShadowRules.ValidateThingName(thing);
            ShadowRules.ValidateShadowName(shadow);
            switch (operation)
            {
                case ShadowOperation.Update:
                    await service.UpdateAsync(thing, shadow, Payload(message), ct);
                    break;
                case ShadowOperation.Get:
                    await service.GetAsync(thing, shadow, ct);
                    break;
                default:
                    await service.DeleteAsync(thing, shadow, ct);
                    break;
            }
        }
        catch (ShadowException ex)
        {
            service.PublishRejected(thing, shadow, operation, ex.Kind, ex.Message, ex.ClientToken);
        }
    }

    /// <summary>Splits a topic the filters matched: <c>$aws/things/T/shadow[/name/S]/op</c>.</summary>
    public static (string Thing, string Shadow, ShadowOperation Operation) ParseTopic(string topic)
    {
        var levels = topic.Split('/');
        var operation = levels[^1] switch
        {
            "update" => ShadowOperation.Update,
            "get" => ShadowOperation.Get,
            _ => ShadowOperation.Delete,
        };
        return (levels[2], levels.Length == 7 ? levels[5] : "", operation);
    }

    private static byte[] Payload(PubSubMessage message) =>
        message.Binary ?? Encoding.UTF8.GetBytes(message.Json!.Value.GetRawText());
}
