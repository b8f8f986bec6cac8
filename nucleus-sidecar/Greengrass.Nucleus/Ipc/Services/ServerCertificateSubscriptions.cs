using System.Security.Cryptography;
using Greengrass.Nucleus.Mqtt.Auth;
using Greengrass.Nucleus.Mqtt.Broker;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Ipc.Services;

/// <summary>
/// The streams of <c>SubscribeToCertificateUpdates</c> (certificate type SERVER). Each subscription gets its own server
/// certificate from the core device CA (subject CN = the component, SANs = the core device's host addresses plus
/// <c>localhost</c>) at once, and a new one, as Greengrass rotates it: 24 hours before the current one expires, and when
/// what it was issued from changes (a new CA, other host addresses, another validity). The streams end when client
/// device auth is no longer deployed.
/// </summary>
internal sealed partial class ServerCertificateSubscriptions : BackgroundService
{
    public const string EventShape = IpcFrames.ShapePrefix + "CertificateUpdateEvent";

    /// <summary>How long before expiry a certificate is replaced (Greengrass's CertificateExpiryMonitor).</summary>
    public static readonly TimeSpan RotateBeforeExpiry = TimeSpan.FromHours(24);

    private readonly IClientDeviceAuthAccess _access;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly List<Subscription> _subscriptions = [];

    public ServerCertificateSubscriptions(IClientDeviceAuthAccess access, TimeProvider time, ILogger<ServerCertificateSubscriptions> logger)
    {
        _access = access;
        _time = time;
        _logger = logger;
    }

    /// <summary>How often the subscriptions are checked for expiry and a changed context; 5 s by default.</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromSeconds(5);

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _subscriptions.Count;
            }
        }
    }

    /// <summary>
    /// Issues the first certificate and queues its event on <paramref name="stream"/> (it follows the initial response);
    /// throws when the certificate cannot be issued, before anything is registered.
    /// </summary>
    public void Subscribe(IpcStream stream, ClientDeviceAuthContext context)
    {
        var subscription = new Subscription(stream, context);
        Send(subscription, context);
        lock (_gate)
        {
            _subscriptions.Add(subscription);
        }

        stream.OnClosed(() =>
        {
            lock (_gate)
            {
                _subscriptions.Remove(subscription);
            }
        });
    }

    /// <summary>
    /// Sends a new certificate to every subscription whose certificate is due (expiry or a changed context) and ends them
    /// all when client device auth is gone. Runs every <see cref="CheckInterval"/>.
    /// </summary>
    public void Refresh()
    {
        Subscription[] all;
        lock (_gate)
        {
            all = [.. _subscriptions];
        }

        if (all.Length == 0)
        {
            return; // nothing to check, and no need to ask the runtime whether Auth is deployed
        }

        var current = _access.Current;

        foreach (var subscription in all)
        {
            if (current is null)
            {
                subscription.Stream.Close();
                continue;
            }

            var changed = subscription.IssuedFrom != current.ServerCertificateIdentity;
            if (changed || _time.GetUtcNow() >= subscription.NotAfter - RotateBeforeExpiry)
            {
                LogRotating(_logger, subscription.Stream.Component, changed ? "the CA, host addresses or validity changed" : "it expires within 24 hours");
                TrySend(subscription, current);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(CheckInterval, _time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (!stoppingToken.IsCancellationRequested)
            {
                Refresh();
            }
        }
    }

    private void TrySend(Subscription subscription, ClientDeviceAuthContext context)
    {
        try
        {
            Send(subscription, context);
        }
        catch (Exception e) when (e is CryptographicException or ObjectDisposedException or InvalidOperationException)
        {
            // The stack may be replaced while issuing: the next check issues from the new one.
            LogIssueFailed(_logger, e, subscription.Stream.Component);
        }
    }

    private void Send(Subscription subscription, ClientDeviceAuthContext context)
    {
        var ca = context.CertificateAuthority;
        using var certificate = ca.IssueServerCertificate(subscription.Stream.Component, context.ServerHosts, context.ServerCertificateValidity, _time);
        var update = new CertificateUpdateEvent
        {
            CertificateUpdate = new CertificateUpdate
            {
                Certificate = certificate.ExportCertificatePem(),
                PrivateKey = CertificateAuthority.ExportKeyPem(certificate),
                PublicKey = PemEncoding.WriteString("PUBLIC KEY", certificate.PublicKey.ExportSubjectPublicKeyInfo()),
                CaCertificates = [ca.CertificatePem],
            },
        };
        subscription.IssuedFrom = context.ServerCertificateIdentity;
        subscription.NotAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
        if (!subscription.Stream.SendEvent(EventShape, update) && !subscription.Stream.IsClosed)
        {
            LogNotDelivered(_logger, subscription.Stream.Component);
        }
    }

    private sealed class Subscription(IpcStream stream, ClientDeviceAuthContext context)
    {
        public IpcStream Stream { get; } = stream;

        public string IssuedFrom { get; set; } = context.ServerCertificateIdentity;

        public DateTimeOffset NotAfter { get; set; }
    }

    internal sealed class CertificateUpdateEvent
    {
        public CertificateUpdate? CertificateUpdate { get; set; }
    }

    internal sealed class CertificateUpdate
    {
        public string? PrivateKey { get; set; }

        public string? PublicKey { get; set; }

        public string? Certificate { get; set; }

        public IReadOnlyList<string> CaCertificates { get; set; } = [];
    }

    [LoggerMessage(3401, LogLevel.Information, "Issuing a new server certificate for {Component}: {Reason}")]
    private static partial void LogRotating(ILogger logger, string component, string reason);

    [LoggerMessage(3402, LogLevel.Warning, "Could not issue a new server certificate for {Component}; retried at the next check")]
    private static partial void LogIssueFailed(ILogger logger, Exception exception, string component);

    [LoggerMessage(3403, LogLevel.Warning, "A new server certificate for {Component} was not delivered: its IPC connection does not read fast enough")]
    private static partial void LogNotDelivered(ILogger logger, string component);
}
