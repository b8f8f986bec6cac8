using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Implementations;
using MQTTnet.Server;

namespace Greengrass.Nucleus.Mqtt.Broker;

/// <summary>
/// The broker's TLS listener, in place of MQTTnet's: binds in <see cref="StartAsync"/> (a port clash throws),
/// requires a client certificate that chains to the core device CA, accepts ALPN <c>x-amzn-mqtt-ca</c> (the device
/// SDKs always offer it), puts <see cref="PacketSizeGuardStream"/> in front of MQTTnet's packet reader and
/// <see cref="CoalescingWriteStream"/> behind its packet writer.
/// </summary>
internal sealed partial class TlsServerAdapter(
    MqttBrokerOptions options, X509Certificate2 serverCertificate, Func<X509Certificate2, bool> verifyClient, ILogger logger) : IMqttServerAdapter
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<long, Task> _connections = new();
    private long _nextConnectionId;
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _listener;
    private Task? _acceptLoop;

    public Func<IMqttChannelAdapter, Task>? ClientHandler { get; set; }

    public int BoundPort => ((IPEndPoint)_listener!.LocalEndPoint!).Port;

    public Task StartAsync(MqttServerOptions serverOptions, IMqttNetLogger mqttLogger)
    {
        var listener = new Socket(options.BindAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(options.BindAddress, options.Port));
            listener.Listen(512);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _listener = listener;
        _acceptLoop = Task.Run(() => AcceptLoopAsync(_stopping.Token));
        return Task.CompletedTask;
    }

    public async Task StopAsync()
    {
        await _stopping.CancelAsync();
        _listener?.Dispose();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        // MQTTnet closes its sessions before stopping adapters; a connection stuck beyond that must not hang shutdown.
        await Task.WhenAll(_connections.Values).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task AcceptLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener!.AcceptAsync(ct);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException && ct.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                LogAcceptFailed(logger, e.SocketErrorCode);
                continue;
            }

            // Every connection task is tracked until it ends, so StopAsync can wait for all of them.
            var id = Interlocked.Increment(ref _nextConnectionId);
            _connections[id] = Task.CompletedTask;
            _connections.TryUpdate(id, HandleConnectionAsync(socket, id, ct), Task.CompletedTask);
        }
    }

    private async Task HandleConnectionAsync(Socket socket, long id, CancellationToken ct)
    {
        await Task.Yield();
        var remote = socket.RemoteEndPoint;
        socket.NoDelay = options.NoDelay;
        var network = new NetworkStream(socket, ownsSocket: true);
        var tls = new SslStream(network, leaveInnerStreamOpen: false);
        var output = new CoalescingWriteStream(tls);
        try
        {
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                timeout.CancelAfter(HandshakeTimeout);
                await tls.AuthenticateAsServerAsync(ServerOptions(), timeout.Token);
            }

            var clientCertificate = tls.RemoteCertificate as X509Certificate2 ??
                                    (tls.RemoteCertificate is { } c ? new X509Certificate2(c) : null);
            // MQTTnet writes one packet at a time; the coalescing stream lets a PUBACK and a forwarded PUBLISH share a TLS
            // record and a send, knowing from the inbound headers when a PUBACK is owed.
            var input = new PacketSizeGuardStream(output, options.MaxPacketSizeBytes, output.OnInboundPacket);
            var channel = new MqttTcpChannel(input, socket.LocalEndPoint, remote, clientCertificate);
            using var adapter = new MqttChannelAdapter(channel, new MqttPacketFormatterAdapter(new MqttBufferWriter(4096, 65535)), MqttNetNullLogger.Instance)
            {
                // One write per packet: fragmented, a PUBLISH costs two TLS records and two send calls (header, payload).
                AllowPacketFragmentation = false,
            };
            if (ClientHandler is { } handler)
            {
                await handler(adapter);
            }
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException or SocketException or MQTTnet.Exceptions.MqttCommunicationException)
        {
            LogConnectionClosed(logger, remote, e.Message);
        }
        catch (Exception e)
        {
            // One broken connection must never reach the accept loop or the process.
            LogConnectionFailed(logger, e, remote);
        }
        finally
        {
            await output.DisposeAsync(); // flushes what MQTTnet wrote last (a refusing CONNACK), then closes TLS and the socket
            await tls.DisposeAsync();
            _connections.TryRemove(id, out _);
        }
    }

    private SslServerAuthenticationOptions ServerOptions() => new()
    {
        ServerCertificate = serverCertificate,
        ClientCertificateRequired = true,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        ApplicationProtocols = [new SslApplicationProtocol("x-amzn-mqtt-ca"), new SslApplicationProtocol("mqtt")],
        RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && verifyClient(certificate as X509Certificate2 ?? new X509Certificate2(certificate)),
    };

    public void Dispose()
    {
        _listener?.Dispose();
        _stopping.Dispose();
    }

    [LoggerMessage(EventId = 7005, Level = LogLevel.Debug, Message = "Connection from {Remote} closed: {Reason}")]
    private static partial void LogConnectionClosed(ILogger logger, EndPoint? remote, string reason);

    [LoggerMessage(EventId = 7007, Level = LogLevel.Warning, Message = "Connection from {Remote} failed unexpectedly")]
    private static partial void LogConnectionFailed(ILogger logger, Exception e, EndPoint? remote);

    [LoggerMessage(EventId = 7006, Level = LogLevel.Warning, Message = "Accepting a connection failed: {Error}")]
    private static partial void LogAcceptFailed(ILogger logger, SocketError error);
}
