using System.Text;
using Greengrass.Nucleus.Ipc.Authorization;

namespace Greengrass.Nucleus.Ipc.Services;

/// <summary>PublishToIoTCore and SubscribeToIoTCore through <see cref="IIotCoreRouter"/> (authz service aws.greengrass.ipc.mqttproxy).</summary>
internal sealed class MqttProxyIpcService
{
    public const string EventShape = IpcFrames.ShapePrefix + "IoTCoreMessage";
    private readonly IIotCoreRouter _router;

    public MqttProxyIpcService(IIotCoreRouter router)
    {
        _router = router;
    }

    public IEnumerable<IIpcOperationHandler> Operations()
    {
        yield return new IpcOperation<PublishToIoTCoreRequest>("PublishToIoTCore", PublishAsync);
        yield return new IpcOperation<SubscribeToIoTCoreRequest>("SubscribeToIoTCore", SubscribeAsync);
    }

    private async ValueTask<IpcResponse> PublishAsync(IpcCall call, PublishToIoTCoreRequest request, CancellationToken cancellationToken)
    {
        var topic = IpcJson.Require(request.TopicName, "topicName");
        ValidateTopic(topic, allowWildcards: false);
        var qos = ParseQos(request.Qos);
        call.Authorize(IpcAuthorizationServices.MqttProxy, topic);
        var message = new IotCoreMessage(
            topic, request.Payload ?? [], request.Retain ?? false, request.UserProperties, request.MessageExpiryIntervalSeconds,
            request.CorrelationData, request.ResponseTopic, request.PayloadFormat, request.ContentType);
        await _router.PublishAsync(message, qos, cancellationToken);
        return IpcResponse.Complete("PublishToIoTCore", IpcEmptyResponse.Instance);
    }

    private async ValueTask<IpcResponse> SubscribeAsync(IpcCall call, SubscribeToIoTCoreRequest request, CancellationToken cancellationToken)
    {
        var filter = IpcJson.Require(request.TopicName, "topicName");
        ValidateTopic(filter, allowWildcards: true);
        var qos = ParseQos(request.Qos);
        call.Authorize(IpcAuthorizationServices.MqttProxy, filter);
        var stream = call.Stream;
        var subscription = await _router.SubscribeAsync(
            filter, qos, message => stream.SendEvent(EventShape, new IoTCoreMessageEvent { Message = message }), cancellationToken);
        stream.OnClosed(subscription.Dispose);
        return IpcResponse.Streaming("SubscribeToIoTCore", IpcEmptyResponse.Instance);
    }

    private static int ParseQos(string? qos) => qos switch
    {
        null or "0" or "AT_MOST_ONCE" => 0,
        "1" or "AT_LEAST_ONCE" => 1,
        _ => throw IpcServiceException.InvalidArguments($"qos '{qos}' is not 0 or 1"),
    };

    /// <summary>AWS IoT Core topic rules: at most 256 bytes and 7 slashes, not counting the reserved prefixes.</summary>
    internal static void ValidateTopic(string topic, bool allowWildcards)
    {
        if (allowWildcards)
        {
            LocalPubSub.ValidateFilter(topic);
        }
        else
        {
            LocalPubSub.ValidateTopic(topic);
        }

        var counted = StripReservedPrefix(topic);
        var limit = topic.StartsWith('$') ? 512 : 256;
        if (Encoding.UTF8.GetByteCount(topic) > limit)
        {
            throw IpcServiceException.InvalidArguments($"topicName is longer than {limit} bytes");
        }

        if (counted.Count(c => c == '/') > 7)
        {
            throw IpcServiceException.InvalidArguments("topicName has more than 7 forward slashes");
        }
    }

    private static string StripReservedPrefix(string topic)
    {
        foreach (var prefix in new[] { "$aws/rules/", "$share/" })
        {
            if (topic.StartsWith(prefix, StringComparison.Ordinal))
            {
                var next = topic.IndexOf('/', prefix.Length);
                return next < 0 ? string.Empty : topic[(next + 1)..];
            }
        }

        return topic;
    }

    internal sealed class PublishToIoTCoreRequest
    {
        public string? TopicName { get; set; }

        public string? Qos { get; set; }

        public byte[]? Payload { get; set; }

        public bool? Retain { get; set; }

        public List<IotCoreUserProperty>? UserProperties { get; set; }

        public long? MessageExpiryIntervalSeconds { get; set; }

        public byte[]? CorrelationData { get; set; }

        public string? ResponseTopic { get; set; }

        public string? PayloadFormat { get; set; }

        public string? ContentType { get; set; }
    }

    internal sealed class SubscribeToIoTCoreRequest
    {
        public string? TopicName { get; set; }

        public string? Qos { get; set; }
    }

    internal sealed class IoTCoreMessageEvent
    {
        public IotCoreMessage? Message { get; set; }
    }
}
