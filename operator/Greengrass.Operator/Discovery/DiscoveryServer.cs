using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Greengrass.Api;
using Greengrass.Operator.Reconcilers;
using Greengrass.Operator.Runtime.Cache;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Greengrass.Operator.Discovery;

/// <summary>Settings of the discovery server.</summary>
internal sealed record DiscoverySettings(int Port, string SecretNamespace, string SecretName, IReadOnlyList<string> Hosts, DiscoveryArn Arn);

/// <summary>
/// The Greengrass discovery API (<c>GET /greengrass/discover/thing/&lt;thingName&gt;</c>) over mutual TLS. Client
/// certificates are required but not chain-validated: like AWS IoT, a certificate is valid when it is the one
/// registered for a thing (here: a ClientDevice), which <see cref="DiscoveryResponder"/> decides. Every replica
/// serves it from its caches, leader or not.
/// </summary>
internal sealed partial class DiscoveryServer(
    DiscoverySettings settings,
    ResourceCache<ClientDevice> clientDevices,
    ResourceCache<CoreDevice> coreDevices,
    ResourceClient client,
    CollectorRegistry registry,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>The ALPN protocol the AWS IoT Device SDKs offer for discovery on port 443.</summary>
    public static readonly SslApplicationProtocol AwsHttpAlpn = new("x-amzn-http-ca");

    private readonly Counter _requests = Prometheus.Metrics.WithCustomRegistry(registry)
        .CreateCounter("greengrass_discovery_requests_total", "Discovery requests by result.", new CounterConfiguration { LabelNames = ["result"] });

    /// <summary>Binds the listener (a port clash fails the host) and serves until the returned app is disposed.</summary>
    public async Task<WebApplication> StartAsync(CancellationToken cancellationToken)
    {
        var certificate = await DiscoveryServingCertificate.LoadOrCreateAsync(client, settings.SecretNamespace, settings.SecretName, settings.Hosts,
            time, cancellationToken);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenAnyIP(settings.Port, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificate = certificate,
                ClientCertificateMode = ClientCertificateMode.RequireCertificate,
                ClientCertificateValidation = (_, _, _) => true,
                // The SDKs offer only x-amzn-http-ca on 443; plain HTTP/1.1 clients offer http/1.1 or nothing.
                OnAuthenticate = (_, ssl) => ssl.ApplicationProtocols = [AwsHttpAlpn, SslApplicationProtocol.Http11],
            });
        }));
        var app = builder.Build();
        app.MapGet("/greengrass/discover/thing/{thingName}", (string thingName, HttpContext context) => DiscoverAsync(thingName, context));
        app.MapFallback((HttpContext context) => Write(context, new DiscoveryAnswer(404, "bad_path", """{"errorMessage":"not found"}""")));
        await app.StartAsync(cancellationToken);
        foreach (var url in app.Urls)
        {
            LogListening(logger, url);
        }

        return app;
    }

    private async Task DiscoverAsync(string thingName, HttpContext context)
    {
        if (!clientDevices.Synced.IsCompletedSuccessfully || !coreDevices.Synced.IsCompletedSuccessfully)
        {
            // Before the first list an unknown certificate would be answered 401 wrongly; the SDKs retry on errors.
            await Write(context, new DiscoveryAnswer(StatusCodes.Status503ServiceUnavailable, "unavailable", """{"errorMessage":"starting: resources not listed yet"}"""));
            return;
        }

        var presented = context.Connection.ClientCertificate?.RawData;
        var cores = coreDevices.List();
        var all = clientDevices.List();
        // Reading the thing's own ClientDevices settles the usual request; only a rejected one needs every
        // certificate, to tell a certificate of another thing (403) from an unknown one (401).
        var own = await IdentitiesAsync(all.Where(d => d.Spec.ThingName == thingName), context.RequestAborted);
        var answer = DiscoveryResponder.Answer(thingName, presented, own, cores, settings.Arn);
        if (answer.StatusCode == StatusCodes.Status401Unauthorized && presented is not null)
        {
            var everyone = await IdentitiesAsync(all, context.RequestAborted);
            answer = DiscoveryResponder.Answer(thingName, presented, everyone, cores, settings.Arn);
        }
        LogRequest(logger, thingName, answer.StatusCode, answer.Result);
        await Write(context, answer);
    }

    private async Task<List<ClientDeviceIdentity>> IdentitiesAsync(IEnumerable<ClientDevice> devices, CancellationToken cancellationToken)
    {
        var identities = new List<ClientDeviceIdentity>();
        foreach (var device in devices)
        {
            identities.Add(new ClientDeviceIdentity(device, await CertificateOfAsync(device, cancellationToken)));
        }

        return identities;
    }

    private async Task Write(HttpContext context, DiscoveryAnswer answer)
    {
        _requests.WithLabels(answer.Result).Inc();
        context.Response.StatusCode = answer.StatusCode;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.Body, context.RequestAborted);
    }

    private async Task<byte[]?> CertificateOfAsync(ClientDevice device, CancellationToken cancellationToken)
    {
        var source = device.Spec.Certificate;
        var pem = source?.Pem;
        if (source?.SecretRef is { } reference)
        {
            var secret = await client.GetAsync<V1Secret>(ResourceTypes.Secrets, device.Metadata.NamespaceProperty, reference.Name, cancellationToken);
            pem = secret?.Data?.TryGetValue("tls.crt", out var bytes) == true && bytes is not null ? Encoding.ASCII.GetString(bytes) : null;
        }

        if (pem is null)
        {
            return null;
        }

        try
        {
            using var certificate = X509Certificate2.CreateFromPem(pem);
            return certificate.RawData;
        }
        catch (CryptographicException)
        {
            LogBadCertificate(logger, device.Metadata.NamespaceProperty, device.Metadata.Name);
            return null;
        }
    }

    [LoggerMessage(EventId = 2301, Level = LogLevel.Information, Message = "Serving the Greengrass discovery API on {Url}")]
    private static partial void LogListening(ILogger logger, string url);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Debug, Message = "Discovery for {Thing}: {Status} {Result}")]
    private static partial void LogRequest(ILogger logger, string thing, int status, string result);

    [LoggerMessage(EventId = 2303, Level = LogLevel.Warning, Message = "ClientDevice {ClientNamespace}/{Name} has a certificate that is not valid PEM")]
    private static partial void LogBadCertificate(ILogger logger, string clientNamespace, string name);
}
