using Greengrass.Nucleus.Ipc.Services;
using Greengrass.Nucleus.Mqtt;
using Greengrass.Nucleus.Mqtt.Auth;
using Greengrass.Nucleus.Mqtt.Bridge;
using Greengrass.Nucleus.Mqtt.Broker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Runtime;

/// <summary>
/// The MQTT stack of a runtime (broker, client device auth, spool, upstream, bridge) in a service container of its own,
/// on the IPC bus it is given, so that a changed MQTT section replaces it without touching IPC or the components.
/// Sessions, the auth cache and the spool live on disk, so a replacement keeps them.
/// </summary>
internal sealed class RuntimeMqttHost : IAsyncDisposable
{
    private readonly List<IHostedService> _started = [];
    private readonly ServiceProvider _provider;

    private RuntimeMqttHost(ServiceProvider provider, MqttSettings settings)
    {
        _provider = provider;
        Settings = settings;
    }

    public MqttSettings Settings { get; }

    /// <summary>PublishToIoTCore/SubscribeToIoTCore over the upstream; null when the settings name no upstream.</summary>
    public IIotCoreRouter? Router => Settings.Upstream is null ? null : _provider.GetRequiredService<UpstreamIotCoreRouter>();

    /// <summary>Client device auth of this stack, for the IPC operations of aws.greengrass.clientdevices.Auth.</summary>
    public ClientDeviceAuthContext ClientDeviceAuth { get; private set; } = null!;

    /// <summary>The bound broker port; 0 when the broker is off.</summary>
    public int BrokerPort => _provider.GetRequiredService<LocalMqttBroker>().Port;

    /// <summary>Builds and starts the stack; a failed start stops what started and throws.</summary>
    public static async Task<RuntimeMqttHost> StartAsync(MqttSettings settings, LocalPubSub bus, ILoggerFactory loggers, TimeProvider time, CancellationToken ct)
    {
        var services = new ServiceCollection();
        services.AddSingleton(loggers);
        services.AddLogging();
        services.AddSingleton(time);
        services.AddSingleton(bus);
        services.AddRuntimeMqtt(settings);
        var host = new RuntimeMqttHost(services.BuildServiceProvider(), settings);
        foreach (var service in host._provider.GetServices<IHostedService>())
        {
            try
            {
                await service.StartAsync(ct);
            }
            catch
            {
                await host.DisposeAsync();
                throw;
            }

            host._started.Add(service);
        }

        // Resolved after the start: these singletons exist by now (the broker took them), so nothing here can fail.
        var provider = host._provider;
        host.ClientDeviceAuth = new ClientDeviceAuthContext(
            provider.GetRequiredService<ClientDeviceAuthorizer>(),
            provider.GetRequiredService<IClientDeviceRegistry>(),
            provider.GetRequiredService<StaticClientDeviceRegistry>(),
            provider.GetRequiredService<CertificateAuthority>(),
            [.. settings.Broker.ServerHosts],
            TimeSpan.FromSeconds(settings.Broker.ServerCertificateValiditySeconds),
            settings.MaxActiveAuthTokens);
        return host;
    }

    /// <summary>Stops the bridge, upstream and broker (the reverse of the start order) and releases them.</summary>
    public async ValueTask DisposeAsync()
    {
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            await _started[i].StopAsync(CancellationToken.None);
        }

        _started.Clear();
        await _provider.DisposeAsync();
    }
}

/// <summary>
/// The IPC server's IoT Core router: the upstream of the MQTT stack running now, or the on-device stand-in while none
/// is. Subscriptions follow the router they were made on; a replaced MQTT stack ends them.
/// </summary>
internal sealed class SwitchingIotCoreRouter(Func<IIotCoreRouter?> current, IIotCoreRouter fallback) : IIotCoreRouter
{
    public ValueTask PublishAsync(IotCoreMessage message, int qos, CancellationToken cancellationToken) =>
        (current() ?? fallback).PublishAsync(message, qos, cancellationToken);

    public ValueTask<IDisposable> SubscribeAsync(string topicFilter, int qos, Action<IotCoreMessage> deliver, CancellationToken cancellationToken) =>
        (current() ?? fallback).SubscribeAsync(topicFilter, qos, deliver, cancellationToken);
}
