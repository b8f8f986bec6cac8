using System.Collections.Concurrent;
using System.Net;
using Greengrass.Nucleus.Mqtt;
using Greengrass.Nucleus.Mqtt.Bridge;
using Greengrass.Nucleus.Mqtt.Broker;
using Greengrass.Nucleus.Mqtt.Spool;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Formatter;

namespace Greengrass.Nucleus.Tests.Mqtt;

/// <summary>The MQTT part of the nucleus in-process, on an ephemeral loopback port, recording error logs.</summary>
internal sealed class NucleusMqttHarness : IAsyncDisposable
{
    private readonly IHost _host;

    private NucleusMqttHarness(IHost host, ErrorLogSink errors)
    {
        _host = host;
        Errors = errors;
    }

    public ErrorLogSink Errors { get; }

    public LocalMqttBroker Broker => _host.Services.GetRequiredService<LocalMqttBroker>();

    public ILocalPubSub PubSub => _host.Services.GetRequiredService<ILocalPubSub>();

    public DiskSpool Spool => _host.Services.GetRequiredService<DiskSpool>();

    public UpstreamMqttConnection Upstream => _host.Services.GetRequiredService<UpstreamMqttConnection>();

    public int Port => Broker.Port;

    public static async Task<NucleusMqttHarness> StartAsync(MqttSettings settings, CertificateAuthority ca)
    {
        settings.Broker.Port = 0;
        settings.Broker.BindAddress = IPAddress.Loopback;
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        var errors = new ErrorLogSink();
        builder.Logging.AddProvider(errors);
        builder.Services.AddGreengrassMqtt(settings);
        builder.Services.AddSingleton(ca); // the test CA replaces the persisted one
        var host = builder.Build();
        await host.StartAsync();
        return new NucleusMqttHarness(host, errors);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        if (_host is IAsyncDisposable asyncHost)
        {
            await asyncHost.DisposeAsync();
        }
        else
        {
            _host.Dispose();
        }
    }
}

/// <summary>Collects Error/Critical log entries so tests can fail when the system under test logged one.</summary>
internal sealed class ErrorLogSink : ILoggerProvider
{
    public ConcurrentQueue<string> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Sink(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Sink(ErrorLogSink owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.Entries.Enqueue($"{category}: {formatter(state, exception)} {exception}");
            }
        }
    }
}

/// <summary>MQTTnet as a client device (to read MQTT 5 reason codes the CLI tools do not expose).</summary>
internal static class DeviceClient
{
    public static MqttClientOptions Options(int port, ClientIdentity id, string caPath, MqttProtocolVersion version = MqttProtocolVersion.V500, string? clientId = null)
    {
        var trust = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
        trust.ImportFromPemFile(caPath);
        return new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(clientId ?? id.ThingName)
            .WithProtocolVersion(version)
            .WithTimeout(TimeSpan.FromSeconds(20))
            .WithTlsOptions(t => t.UseTls().WithTargetHost("localhost").WithClientCertificates([id.Certificate]).WithTrustChain(trust))
            .Build();
    }
}
