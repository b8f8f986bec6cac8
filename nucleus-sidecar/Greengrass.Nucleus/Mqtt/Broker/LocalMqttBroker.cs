using System.Net;
using System.Security.Cryptography.X509Certificates;
using Greengrass.Nucleus.Mqtt.Auth;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Protocol;
using MQTTnet.Server;
using Greengrass.Nucleus.Threading;

namespace Greengrass.Nucleus.Mqtt.Broker;

/// <summary>
/// The nucleus's local MQTT broker for client devices: MQTTnet behind a TLS listener that requires a client
/// certificate issued by the core device CA, with client device auth on CONNECT, PUBLISH and SUBSCRIBE.
/// The listener binds inside <see cref="StartAsync"/> so a port clash fails the host.
/// </summary>
internal sealed partial class LocalMqttBroker : IHostedService, IAsyncDisposable
{
    private int _disposed;
    /// <summary>Sender id of messages the nucleus injects (bridge, local pub/sub); listeners skip them (no-local).</summary>
    public const string NucleusSenderId = "$greengrass-nucleus";
    private const string ThingKey = "greengrass.thing";

    private readonly MqttBrokerOptions _options;
    private readonly CertificateAuthority _ca;
    private readonly ClientDeviceAuthorizer _authorizer;
    private readonly SessionStore _sessions;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly List<ILocalMqttListener> _listeners = [];
    private MqttServer? _server;
    private X509Certificate2? _serverCertificate;

    private readonly StaticClientDeviceRegistry? _attached;

    // attached: certificates the device plan attaches to things (ClientDevice resources). As in Greengrass, where the TLS
    // layer asks client device auth to verify whatever certificate is presented, such a certificate is accepted whoever
    // issued it, and the CONNECT check maps it to its thing; any other must be issued by the core device CA.
    public LocalMqttBroker(
        MqttBrokerOptions options, CertificateAuthority ca, ClientDeviceAuthorizer authorizer, TimeProvider time, ILogger<LocalMqttBroker> logger,
        StaticClientDeviceRegistry? attached = null)
    {
        _attached = attached;
        options.Validate();
        _options = options;
        _ca = ca;
        _authorizer = authorizer;
        _time = time;
        _logger = logger;
        _sessions = new SessionStore(Path.Combine(options.StateDirectory, "sessions"), logger);
    }

    /// <summary>The bound port (the configured one, or the ephemeral one the OS chose for port 0).</summary>
    public int Port { get; private set; }

    public MqttServer Server => _server ?? throw new InvalidOperationException("the broker is not started");

    public void AddListener(ILocalMqttListener listener) => _listeners.Add(listener);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            return; // no broker component on this device: the upstream and IPC still run
        }

        _serverCertificate = _ca.IssueServerCertificate(_options.ServerHosts, TimeSpan.FromSeconds(_options.ServerCertificateValiditySeconds), _time);
        var serverOptions = new MqttServerOptionsBuilder()
            .WithoutDefaultEndpoint()
            .WithPersistentSessions()
            .WithMaxPendingMessagesPerClient(_options.MaxPendingMessagesPerClient)
            .Build();
        var listener = new TlsServerAdapter(_options, _serverCertificate, c => _ca.Verifies(c) || _attached?.IsAttached(c) == true, _logger);
        var server = new MqttServer(serverOptions, [listener], MqttNetNullLogger.Instance);
        server.ValidatingConnectionAsync += ValidateConnectionAsync;
        server.InterceptingPublishAsync += InterceptPublishAsync;
        server.InterceptingSubscriptionAsync += InterceptSubscriptionAsync;
        server.ClientSubscribedTopicAsync += e => _sessions.OnSubscribedAsync(e.ClientId, e.TopicFilter);
        server.ClientUnsubscribedTopicAsync += e => _sessions.OnUnsubscribedAsync(e.ClientId, e.TopicFilter);
        server.ClientConnectedAsync += e => _sessions.OnConnectedAsync(server, e.ClientId);
        server.ClientDisconnectedAsync += e => _sessions.OnDisconnectedAsync(e.ClientId, e.SessionExpiryInterval);
        server.RetainedMessageChangedAsync += e => _sessions.SaveRetainedAsync(e.StoredRetainedMessages);
        server.LoadingRetainedMessageAsync += e =>
        {
            e.LoadedRetainedMessages = _sessions.LoadRetained();
            return Task.CompletedTask;
        };
        await server.StartAsync();
        _server = server;
        Port = listener.BoundPort;
        LogStarted(_logger, Port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is { } server)
        {
            await server.StopAsync(new MqttServerStopOptions());
            _server = null;
            server.Dispose();
        }
    }

    /// <summary>Publishes a message as the nucleus (bridge, local pub/sub); no policy applies to the nucleus itself.</summary>
    public Task PublishAsync(MqttApplicationMessage message, CancellationToken ct) =>
        Server.InjectApplicationMessage(new InjectedMqttApplicationMessage(message) { SenderClientId = NucleusSenderId }, ct);

    private async Task ValidateConnectionAsync(ValidatingConnectionEventArgs e)
    {
        await ThreadPoolHop.Ensure(); // the auth cache and the session store write files: never on a socket thread
        var decision = await _authorizer.AuthenticateAsync(e.ClientCertificate, e.ClientId, e.CancellationToken);
        if (!decision.Allowed)
        {
            e.ReasonCode = decision.ReasonCode;
            LogConnectRefused(_logger, e.ClientId, e.RemoteEndPoint, decision.Reason);
            return;
        }

        e.SessionItems[ThingKey] = decision.ThingName;
        _sessions.OnConnecting(e.ClientId, e.CleanSession ?? true, e.ProtocolVersion, e.SessionExpiryInterval);
    }

    // Runs before the PUBACK of every client publish: the authorization is a set lookup and the common case (no
    // listener busy, no offline session to queue for) completes synchronously, without an async state machine.
    private Task InterceptPublishAsync(InterceptingPublishEventArgs e)
    {
        if (e.SessionItems[ThingKey] is not string thing)
        {
            return Task.CompletedTask; // injected by the nucleus itself
        }

        var topic = e.ApplicationMessage.Topic;
        if (!_authorizer.CanPublish(thing, topic))
        {
            // MQTT 5 clients get PUBACK 0x87; MQTT 3.1.1 has no negative PUBACK, so the message is dropped.
            e.ProcessPublish = false;
            e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            LogPublishDenied(_logger, e.ClientId, topic);
            return Task.CompletedTask;
        }

        var publish = new LocalMqttPublish(e.ClientId, e.ApplicationMessage);
        for (var i = 0; i < _listeners.Count; i++)
        {
            var taken = _listeners[i].OnPublishAsync(publish, e.CancellationToken);
            if (!taken.IsCompletedSuccessfully)
            {
                return NotifyListenersAsync(e, publish, i, taken);
            }

            RefuseUnless(e, taken.Result);
        }

        return _sessions.OnPublishedAsync(e.ApplicationMessage, e.CancellationToken);
    }

    private async Task NotifyListenersAsync(InterceptingPublishEventArgs e, LocalMqttPublish publish, int first, ValueTask<bool> pending)
    {
        RefuseUnless(e, await pending);
        for (var i = first + 1; i < _listeners.Count; i++)
        {
            RefuseUnless(e, await _listeners[i].OnPublishAsync(publish, e.CancellationToken));
        }

        await _sessions.OnPublishedAsync(e.ApplicationMessage, e.CancellationToken);
    }

    private static void RefuseUnless(InterceptingPublishEventArgs e, bool taken)
    {
        if (!taken)
        {
            e.Response.ReasonCode = MqttPubAckReasonCode.QuotaExceeded;
        }
    }

    private Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs e)
    {
        if (e.SessionItems[ThingKey] is string thing && !_authorizer.CanSubscribe(thing, e.TopicFilter.Topic))
        {
            e.ProcessSubscription = false;
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            LogSubscribeDenied(_logger, e.ClientId, e.TopicFilter.Topic);
        }

        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        // Registered under several service types, so the container may dispose the same instance more than once.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await StopAsync(CancellationToken.None);
        _serverCertificate?.Dispose();
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Local MQTT broker listening with TLS on port {Port}")]
    private static partial void LogStarted(ILogger logger, int port);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Refused MQTT connection of client {ClientId} from {Remote}: {Reason}")]
    private static partial void LogConnectRefused(ILogger logger, string clientId, EndPoint? remote, string reason);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "Denied publish of client {ClientId} to topic {Topic}")]
    private static partial void LogPublishDenied(ILogger logger, string clientId, string topic);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Information, Message = "Denied subscription of client {ClientId} to filter {Filter}")]
    private static partial void LogSubscribeDenied(ILogger logger, string clientId, string filter);
}
