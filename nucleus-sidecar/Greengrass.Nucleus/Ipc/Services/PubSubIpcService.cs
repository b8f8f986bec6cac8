using System.Text.Json;
using Greengrass.Nucleus.Ipc.Authorization;

namespace Greengrass.Nucleus.Ipc.Services;

/// <summary>PublishToTopic and SubscribeToTopic over <see cref="LocalPubSub"/> (§6.6, authz service aws.greengrass.ipc.pubsub).</summary>
internal sealed class PubSubIpcService
{
    public const string EventShape = IpcFrames.ShapePrefix + "SubscriptionResponseMessage";
    private static readonly JsonElement NullJson = JsonSerializer.SerializeToElement<object?>(null);
    private readonly LocalPubSub _bus;

    public PubSubIpcService(LocalPubSub bus)
    {
        _bus = bus;
    }

    public IEnumerable<IIpcOperationHandler> Operations()
    {
        yield return new IpcOperation<PublishToTopicRequest>("PublishToTopic", PublishAsync);
        yield return new IpcOperation<SubscribeToTopicRequest>("SubscribeToTopic", SubscribeAsync);
    }

    private ValueTask<IpcResponse> PublishAsync(IpcCall call, PublishToTopicRequest request, CancellationToken cancellationToken)
    {
        var topic = IpcJson.Require(request.Topic, "topic");
        LocalPubSub.ValidateTopic(topic);
        var body = IpcJson.Require(request.PublishMessage, "publishMessage");
        if ((body.JsonMessage is null) == (body.BinaryMessage is null))
        {
            throw IpcServiceException.InvalidArguments("publishMessage must hold exactly one of jsonMessage or binaryMessage");
        }

        call.Authorize(IpcAuthorizationServices.PubSub, topic);
        var message = body.JsonMessage is { } json
            ? new PubSubMessage(topic, call.Component, json.Message ?? NullJson, null)
            : new PubSubMessage(topic, call.Component, null, body.BinaryMessage!.Message ?? []);
        _bus.Publish(message);
        return ValueTask.FromResult(IpcResponse.Complete("PublishToTopic", IpcEmptyResponse.Instance));
    }

    private ValueTask<IpcResponse> SubscribeAsync(IpcCall call, SubscribeToTopicRequest request, CancellationToken cancellationToken)
    {
        var filter = IpcJson.Require(request.Topic, "topic");
        LocalPubSub.ValidateFilter(filter);
        var receiveOwn = request.ReceiveMode switch
        {
            null => !LocalPubSub.HasWildcard(filter),
            "RECEIVE_ALL_MESSAGES" => true,
            "RECEIVE_MESSAGES_FROM_OTHERS" => false,
            _ => throw IpcServiceException.InvalidArguments(
                $"receiveMode '{request.ReceiveMode}' is not RECEIVE_ALL_MESSAGES or RECEIVE_MESSAGES_FROM_OTHERS"),
        };
        call.Authorize(IpcAuthorizationServices.PubSub, filter);
        var stream = call.Stream;
        var subscription = _bus.Subscribe(filter, call.Component, receiveOwn, message => stream.SendEventFrame(Frame(stream.Id, message)));
        stream.OnClosed(subscription.Dispose);
        return ValueTask.FromResult(IpcResponse.Streaming("SubscribeToTopic", new SubscribeToTopicResponse { TopicName = filter }));
    }

    private static EventStream.EventStreamMessage Frame(int streamId, PubSubMessage message)
    {
        // Serialized once per message, whatever the number of subscribers.
        var payload = message.EncodedEvent ??= IpcJson.Write(ToEvent(message));
        return IpcFrames.Application(IpcMessageType.ApplicationMessage, streamId, IpcMessageFlags.None, EventShape, IpcFrames.JsonContentType, payload);
    }

    private static SubscriptionResponseMessage ToEvent(PubSubMessage message)
    {
        var context = new MessageContext { Topic = message.Topic };
        return message.Json is { } json
            ? new SubscriptionResponseMessage { JsonMessage = new JsonMessage { Message = json, Context = context } }
            : new SubscriptionResponseMessage { BinaryMessage = new BinaryMessage { Message = message.Binary, Context = context } };
    }

    internal sealed class PublishToTopicRequest
    {
        public string? Topic { get; set; }

        public PublishMessage? PublishMessage { get; set; }
    }

    internal sealed class PublishMessage
    {
        public JsonMessage? JsonMessage { get; set; }

        public BinaryMessage? BinaryMessage { get; set; }
    }

    internal sealed class JsonMessage
    {
        public JsonElement? Message { get; set; }

        public MessageContext? Context { get; set; }
    }

    internal sealed class BinaryMessage
    {
        public byte[]? Message { get; set; }

        public MessageContext? Context { get; set; }
    }

    internal sealed class MessageContext
    {
        public string? Topic { get; set; }
    }

    internal sealed class SubscribeToTopicRequest
    {
        public string? Topic { get; set; }

        public string? ReceiveMode { get; set; }
    }

    internal sealed class SubscribeToTopicResponse
    {
        public string? TopicName { get; set; }
    }

    internal sealed class SubscriptionResponseMessage
    {
        public JsonMessage? JsonMessage { get; set; }

        public BinaryMessage? BinaryMessage { get; set; }
    }
}
