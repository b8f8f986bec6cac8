using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Greengrass.Nucleus.Mqtt.Spool;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Greengrass.Nucleus.Threading;

namespace Greengrass.Nucleus.Mqtt.Bridge;

/// <summary>
/// The nucleus's upstream MQTT client: mutual TLS with the device certificate, reconnect with exponential back-off
/// and jitter, re-subscribe after every reconnect, and a delivery loop that drains the durable spool in order.
/// </summary>
internal sealed partial class UpstreamMqttConnection : IUpstreamMqtt, IHostedService, IAsyncDisposable
{
    private int _disposed;
    private readonly UpstreamOptions _options;
    private readonly DiskSpool _spool;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IMqttClient _client;
    private readonly ConcurrentDictionary<Guid, (string Filter, Func<UpstreamMessage, CancellationToken, ValueTask> Handler)> _subscriptions = new();
    private readonly CancellationTokenSource _stopping = new();
    private X509Certificate2? _certificate;
    private X509Certificate2Collection? _trust;
    private Task? _loop;
    private volatile CancellationTokenSource _connection = new();
    private volatile bool _ready;

    public UpstreamMqttConnection(UpstreamOptions options, DiskSpool spool, TimeProvider time, ILogger<UpstreamMqttConnection> logger)
    {
        options.Validate();
        _options = options;
        _spool = spool;
        _time = time;
        _logger = logger;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _client.DisconnectedAsync += e =>
        {
            _ready = false;
            _connection.Cancel();
            return Task.CompletedTask;
        };
    }

    public bool IsConnected => _client.IsConnected;

    /// <summary>Connected and every subscription re-established.</summary>
    public bool IsReady => _ready && _client.IsConnected;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _certificate = X509Certificate2.CreateFromPemFile(_options.CertificatePath, _options.PrivateKeyPath);
        _trust = [];
        _trust.ImportFromPemFile(_options.CaCertificatePath);
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await _spool.FlushCursorAsync(CancellationToken.None);
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None);
        }
    }

    public async Task PublishAsync(UpstreamMessage message, CancellationToken ct) =>
        await _spool.AppendAsync(message.Topic, message.Payload, message.Qos, message.Retain, ct);

    public async Task<IAsyncDisposable> SubscribeAsync(
        string topicFilter, Func<UpstreamMessage, CancellationToken, ValueTask> handler, CancellationToken ct)
    {
        var id = Guid.NewGuid();
        _subscriptions[id] = (topicFilter, handler);
        if (_client.IsConnected)
        {
            await _client.SubscribeAsync(topicFilter, MqttQualityOfServiceLevel.AtLeastOnce, ct);
        }

        return new Unsubscriber(this, id);
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        var delay = TimeSpan.FromMilliseconds(_options.MinReconnectDelayMs);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                _connection = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                await ConnectAsync(stopping);
                delay = TimeSpan.FromMilliseconds(_options.MinReconnectDelayMs);
                await DeliverAsync(_connection.Token);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                // Whatever broke the connection (TLS, refused CONNECT, socket, broker gone), the answer is the same:
                // back off and reconnect; the loop must never end while the nucleus runs.
                LogUpstreamDown(_logger, _options.Host, _options.Port, e.Message, delay.TotalMilliseconds);
            }

            _spool.SetOnline(false);
            await _spool.FlushCursorAsync(CancellationToken.None);
            var jitter = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * delay.TotalMilliseconds * 0.2);
            await Task.Delay(delay + jitter, _time, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, _options.MaxReconnectDelayMs));
        }
    }

    private async Task ConnectAsync(CancellationToken ct)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.Host, _options.Port)
            .WithClientId(_options.ClientId)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(_options.KeepAliveSeconds))
            .WithTimeout(TimeSpan.FromSeconds(20))
            .WithProtocolVersion(_options.UseMqtt5 ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311)
            .WithTlsOptions(tls => tls
                .UseTls()
                .WithTargetHost(_options.Host)
                .WithClientCertificates([_certificate!])
                .WithApplicationProtocols(_options.Port == 443 ? [new SslApplicationProtocol("x-amzn-mqtt-ca")] : null!)
                .WithCertificateValidationHandler(e => ValidateServer(e.Certificate, e.SslPolicyErrors)));
        if (_options.UseMqtt5)
        {
            builder.WithCleanStart(false).WithSessionExpiryInterval(uint.MaxValue);
        }
        else
        {
            builder.WithCleanSession(false);
        }

        await _client.ConnectAsync(builder.Build(), ct);
        foreach (var filter in _subscriptions.Values.Select(s => s.Filter).Distinct(StringComparer.Ordinal))
        {
            await _client.SubscribeAsync(filter, MqttQualityOfServiceLevel.AtLeastOnce, ct);
        }

        _spool.SetOnline(true);
        _ready = true;
        LogConnected(_logger, _options.Host, _options.Port, _spool.Count);
    }

    private bool ValidateServer(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_trust!);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate as X509Certificate2 ?? new X509Certificate2(certificate));
    }

    /// <summary>Sends spooled messages one at a time, in order; each leaves the spool only after its PUBACK.</summary>
    private async Task DeliverAsync(CancellationToken ct)
    {
        while (true)
        {
            var message = await _spool.PeekAsync(ct);
            var result = await _client.PublishAsync(new MqttApplicationMessageBuilder()
                .WithTopic(message.Topic)
                .WithPayload(message.Payload.ToArray())
                .WithQualityOfServiceLevel((MqttQualityOfServiceLevel)Math.Min(message.Qos, 1))
                .WithRetainFlag(message.Retain)
                .Build(), ct);
            if (!result.IsSuccess)
            {
                // A broker that answers with an error will answer the same on every retry: drop, do not block the queue.
                LogRejected(_logger, message.Topic, result.ReasonCode.ToString());
            }

            await ThreadPoolHop.Ensure(); // the PUBACK may complete on a socket thread; the cursor write ends in an fsync
            await _spool.MarkDeliveredAsync(message, ct);
        }
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        await ThreadPoolHop.Ensure(); // handlers publish locally or over IPC: not on the upstream socket's thread
        var message = new UpstreamMessage(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray(), (int)e.ApplicationMessage.QualityOfServiceLevel);
        foreach (var (filter, handler) in _subscriptions.Values)
        {
            if (MqttTopicFilterComparer.Compare(message.Topic, filter) == MqttTopicFilterCompareResult.IsMatch)
            {
                await handler(message, _stopping.Token);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Registered under several service types, so the container may dispose the same instance more than once.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await StopAsync(CancellationToken.None);
        _client.Dispose();
        _certificate?.Dispose();
        _stopping.Dispose();
    }

    private sealed class Unsubscriber(UpstreamMqttConnection owner, Guid id) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (owner._subscriptions.TryRemove(id, out var removed) && owner._client.IsConnected &&
                owner._subscriptions.Values.All(s => s.Filter != removed.Filter))
            {
                await owner._client.UnsubscribeAsync(removed.Filter);
            }
        }
    }

    [LoggerMessage(EventId = 7301, Level = LogLevel.Information, Message = "Connected upstream to {Host}:{Port}; {Queued} spooled messages to deliver")]
    private static partial void LogConnected(ILogger logger, string host, int port, int queued);

    [LoggerMessage(EventId = 7302, Level = LogLevel.Warning, Message = "Upstream {Host}:{Port} unavailable ({Reason}); retrying in {DelayMs} ms")]
    private static partial void LogUpstreamDown(ILogger logger, string host, int port, string reason, double delayMs);

    [LoggerMessage(EventId = 7303, Level = LogLevel.Warning, Message = "Upstream rejected a message to {Topic} with {ReasonCode}; dropped")]
    private static partial void LogRejected(ILogger logger, string topic, string reasonCode);
}
