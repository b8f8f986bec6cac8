using System.Text.Json;

namespace Greengrass.Nucleus.Ipc.Services;

/// <summary>One message on the local bus: a JSON document or bytes, with its topic and publishing component.</summary>
internal sealed class PubSubMessage
{
    public PubSubMessage(string topic, string publisher, JsonElement? json, byte[]? binary)
    {
        if ((json is null) == (binary is null))
        {
            throw new ArgumentException("a message is either JSON or binary", nameof(json));
        }

        Topic = topic;
        Publisher = publisher;
        Json = json;
        Binary = binary;
    }

    public string Topic { get; }

    public string Publisher { get; }

    public JsonElement? Json { get; }

    public byte[]? Binary { get; }

    /// <summary>The richer message an internal route carries over the bus (e.g. an MQTT message with its properties).</summary>
    public object? Attachment { get; init; }

    /// <summary>Per-message cache for a serialized form shared by all subscribers (benign race: same bytes).</summary>
    internal byte[]? EncodedEvent { get; set; }
}

/// <summary>
/// The in-process publish/subscribe bus of local IPC (PublishToTopic/SubscribeToTopic), usable by any nucleus
/// part. Filters may use MQTT wildcards <c>+</c> and <c>#</c>; published topics may not. Delivery is synchronous
/// on the publisher's thread, so subscribers must only enqueue.
/// </summary>
internal sealed class LocalPubSub
{
    private readonly Lock _gate = new();
    private Dictionary<string, Subscription[]> _exact = new(StringComparer.Ordinal);
    private Subscription[] _wildcard = [];

    /// <summary>Subscribes; dispose the result to unsubscribe. <paramref name="receiveOwn"/> false skips messages <paramref name="subscriber"/> published.</summary>
    public IDisposable Subscribe(string filter, string subscriber, bool receiveOwn, Action<PubSubMessage> deliver)
    {
        ValidateFilter(filter);
        var subscription = new Subscription(this, filter, subscriber, receiveOwn, deliver);
        lock (_gate)
        {
            if (HasWildcard(filter))
            {
                _wildcard = [.. _wildcard, subscription];
            }
            else
            {
                var next = new Dictionary<string, Subscription[]>(_exact, StringComparer.Ordinal);
                next[filter] = next.TryGetValue(filter, out var list) ? [.. list, subscription] : [subscription];
                _exact = next;
            }
        }

        return subscription;
    }

    /// <summary>Delivers to every matching subscriber; returns how many received it.</summary>
    public int Publish(PubSubMessage message)
    {
        ValidateTopic(message.Topic);
        var delivered = 0;
        if (_exact.TryGetValue(message.Topic, out var exact))
        {
            delivered += Deliver(exact, message, checkFilter: false);
        }

        return delivered + Deliver(_wildcard, message, checkFilter: true);
    }

    private static int Deliver(Subscription[] subscriptions, PubSubMessage message, bool checkFilter)
    {
        var delivered = 0;
        foreach (var subscription in subscriptions)
        {
            if ((subscription.ReceiveOwn || subscription.Subscriber != message.Publisher)
                && (!checkFilter || TopicMatches(subscription.Filter, message.Topic)))
            {
                subscription.Deliver(message);
                delivered++;
            }
        }

        return delivered;
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            if (HasWildcard(subscription.Filter))
            {
                _wildcard = [.. _wildcard.Where(s => s != subscription)];
                return;
            }

            var next = new Dictionary<string, Subscription[]>(_exact, StringComparer.Ordinal);
            if (next.TryGetValue(subscription.Filter, out var list))
            {
                Subscription[] rest = [.. list.Where(s => s != subscription)];
                if (rest.Length == 0)
                {
                    next.Remove(subscription.Filter);
                }
                else
                {
                    next[subscription.Filter] = rest;
                }
            }

            _exact = next;
        }
    }

    public static bool HasWildcard(string filter) => filter.Contains('+') || filter.Contains('#');

    /// <summary>MQTT matching: <c>+</c> is one level, <c>#</c> (last level only) is the rest, including none.</summary>
    public static bool TopicMatches(string filter, string topic)
    {
        var f = 0;
        var t = 0;
        while (f < filter.Length)
        {
            var fEnd = NextLevel(filter, f);
            var level = filter.AsSpan(f, fEnd - f);
            if (level is "#")
            {
                return true;
            }

            if (t > topic.Length)
            {
                return false;
            }

            var tEnd = NextLevel(topic, t);
            if (level is not "+" && !level.SequenceEqual(topic.AsSpan(t, tEnd - t)))
            {
                return false;
            }

            f = fEnd + 1;
            t = tEnd + 1;
        }

        return t > topic.Length && f > filter.Length;
    }

    private static int NextLevel(string text, int start)
    {
        var slash = text.IndexOf('/', start);
        return slash < 0 ? text.Length : slash;
    }

    /// <summary>Throws InvalidArgumentsError for an empty topic or a topic with wildcards.</summary>
    public static void ValidateTopic(string topic)
    {
        if (string.IsNullOrEmpty(topic))
        {
            throw IpcServiceException.InvalidArguments("topic is required");
        }

        if (HasWildcard(topic))
        {
            throw IpcServiceException.InvalidArguments($"topic '{topic}' must not contain the wildcards + or #");
        }
    }

    /// <summary>Throws InvalidArgumentsError unless <c>+</c> fills whole levels and <c>#</c> is only the last level.</summary>
    public static void ValidateFilter(string filter)
    {
        if (string.IsNullOrEmpty(filter))
        {
            throw IpcServiceException.InvalidArguments("topic is required");
        }

        var levels = filter.Split('/');
        for (var i = 0; i < levels.Length; i++)
        {
            var level = levels[i];
            var bad = (level.Contains('+') && level != "+") || (level.Contains('#') && (level != "#" || i != levels.Length - 1));
            if (bad)
            {
                throw IpcServiceException.InvalidArguments($"topic filter '{filter}' is not valid: + and # must fill a whole level, # only the last");
            }
        }
    }

    private sealed class Subscription(LocalPubSub bus, string filter, string subscriber, bool receiveOwn, Action<PubSubMessage> deliver) : IDisposable
    {
        private int _disposed;

        public string Filter { get; } = filter;

        public string Subscriber { get; } = subscriber;

        public bool ReceiveOwn { get; } = receiveOwn;

        public void Deliver(PubSubMessage message) => deliver(message);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                bus.Remove(this);
            }
        }
    }
}
