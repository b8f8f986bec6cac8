using System.Security.Cryptography.X509Certificates;
using Greengrass.Nucleus.Mqtt.Auth;
using Greengrass.Nucleus.Mqtt.Bridge;
using Greengrass.Nucleus.Mqtt.Broker;
using Greengrass.Nucleus.Mqtt.Spool;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Mqtt;

/// <summary>
/// Registers the broker, client device auth, spool, upstream connection and bridge, in start order.
/// <see cref="ILocalPubSub"/> defaults to <see cref="InMemoryLocalPubSub"/> unless registered first (the nucleus
/// runtime registers <see cref="IpcBusLocalPubSub"/>).
/// </summary>
internal static class MqttServiceCollectionExtensions
{
    public static IServiceCollection AddGreengrassMqtt(this IServiceCollection services, MqttSettings settings)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(settings);
        services.AddSingleton(sp => settings.Broker.CertificateAuthorityDirectory is { } mounted
            ? CertificateAuthority.LoadMounted(mounted)
            : CertificateAuthority.LoadOrCreate(
                Path.Combine(settings.Broker.StateDirectory, "ca"), "Greengrass Core CA", CaKeyType.Rsa2048, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp =>
        {
            var registry = new StaticClientDeviceRegistry();
            foreach (var device in settings.ClientDevices)
            {
                registry.Attach(device.ThingName, X509Certificate2.CreateFromPem(device.CertificatePem));
            }

            return registry;
        });
        services.AddSingleton<IClientDeviceRegistry>(sp => new CachingClientDeviceRegistry(
            sp.GetRequiredService<StaticClientDeviceRegistry>(),
            Path.Combine(settings.Broker.StateDirectory, "auth", "certificate-things.json"),
            TimeSpan.FromMinutes(settings.Broker.ClientDeviceTrustDurationMinutes),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<CachingClientDeviceRegistry>>()));
        services.AddSingleton(sp =>
        {
            var authorizer = new ClientDeviceAuthorizer(sp.GetRequiredService<IClientDeviceRegistry>());
            authorizer.Configure(settings.DeviceGroups);
            return authorizer;
        });
        services.AddSingleton(settings.Broker);
        services.AddSingleton<LocalMqttBroker>();
        services.AddHostedService(sp => sp.GetRequiredService<LocalMqttBroker>());
        services.AddSingleton(sp => new DiskSpool(settings.Spool, sp.GetRequiredService<ILogger<DiskSpool>>()));
        services.TryAddSingleton<ILocalPubSub, InMemoryLocalPubSub>();
        if (settings.Upstream is { } upstream)
        {
            services.AddSingleton(upstream);
            services.AddSingleton<UpstreamMqttConnection>();
            services.AddSingleton<IUpstreamMqtt>(sp => sp.GetRequiredService<UpstreamMqttConnection>());
            services.AddHostedService(sp => sp.GetRequiredService<UpstreamMqttConnection>());
        }
        else
        {
            services.AddSingleton<IUpstreamMqtt, NoUpstream>();
        }

        services.AddSingleton(sp => new MqttBridge(settings.Mappings, sp.GetRequiredService<LocalMqttBroker>(),
            sp.GetRequiredService<ILocalPubSub>(), sp.GetRequiredService<IUpstreamMqtt>(), sp.GetRequiredService<ILogger<MqttBridge>>()));
        services.AddHostedService(sp => sp.GetRequiredService<MqttBridge>());
        return services;
    }

    /// <summary>Upstream when none is configured: IotCore mappings fail loudly instead of spooling forever.</summary>
    private sealed class NoUpstream : IUpstreamMqtt
    {
        public Task PublishAsync(UpstreamMessage message, CancellationToken ct) =>
            throw new InvalidOperationException("no upstream is configured (upstream.host)");

        public Task<IAsyncDisposable> SubscribeAsync(string topicFilter, Func<UpstreamMessage, CancellationToken, ValueTask> handler, CancellationToken ct) =>
            throw new InvalidOperationException("no upstream is configured (upstream.host)");
    }
}
