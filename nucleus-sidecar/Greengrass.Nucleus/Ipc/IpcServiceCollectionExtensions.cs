using Greengrass.Nucleus.Ipc.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Ipc;

/// <summary>Registration of the IPC server and its operations.</summary>
internal static class IpcServiceCollectionExtensions
{
    /// <summary>
    /// Adds the IPC server as a hosted service with every operation. The host must register
    /// <see cref="IIpcComponentRegistry"/>, <see cref="IIpcLifecycle"/>, <see cref="IIpcComponentManager"/> and
    /// <see cref="IIpcLocalDeployments"/>. <see cref="IIpcConfigurationStore"/> and <see cref="IIotCoreRouter"/>
    /// default to their in-memory/local stand-ins unless registered first; <see cref="Shadows.IShadowServiceAccess"/>
    /// defaults to none (the shadow operations answer as unsupported, as without aws.greengrass.ShadowManager), so does
    /// <see cref="Secrets.ISecretServiceAccess"/> (GetSecretValue answers ServiceError, as without aws.greengrass.SecretManager), and
    /// <see cref="IClientDeviceAuthAccess"/> to none (the client device auth operations answer ServiceError, as without
    /// aws.greengrass.clientdevices.Auth).
    /// </summary>
    public static IServiceCollection AddGreengrassIpc(this IServiceCollection services, Action<IpcServerOptions> configure)
    {
        services.AddOptions<IpcServerOptions>().Configure(configure)
            .Validate(o => !string.IsNullOrWhiteSpace(o.SocketPath), "Ipc:SocketPath is required")
            .Validate(o => o.MaxMessageBytes is >= 1024 and <= EventStream.EventStreamLimits.MaxMessageLength, "Ipc:MaxMessageBytes must be 1 KiB..24 MiB")
            .Validate(o => o.OutboundQueueCapacity > 0, "Ipc:OutboundQueueCapacity must be above 0")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<LocalPubSub>();
        services.TryAddSingleton<IIotCoreRouter>(_ => new LocalBusIotCoreRouter(new LocalPubSub()));
        services.TryAddSingleton<IIpcConfigurationStore, InMemoryIpcConfigurationStore>();
        services.TryAddSingleton<ComponentUpdateCoordinator>();
        services.TryAddSingleton<ConfigurationValidationCoordinator>();
        services.TryAddSingleton<PubSubIpcService>();
        services.TryAddSingleton<MqttProxyIpcService>();
        services.TryAddSingleton<ConfigurationIpcService>();
        services.TryAddSingleton<LifecycleIpcService>();
        services.TryAddSingleton<AuthorizationTokenIpcService>();
        services.TryAddSingleton<CliIpcService>();
        services.TryAddSingleton<ComponentPauseIpcService>();
        services.TryAddSingleton<Observability.ComponentMetrics>();
        services.TryAddSingleton<ComponentMetricIpcService>();
        services.TryAddSingleton<Shadows.IShadowServiceAccess, Shadows.NoShadowService>();
        services.TryAddSingleton<ShadowIpcService>();
        services.TryAddSingleton<Secrets.ISecretServiceAccess, Secrets.NoSecretService>();
        services.TryAddSingleton<SecretIpcService>();
        services.TryAddSingleton<IClientDeviceAuthAccess, NoClientDeviceAuth>();
        services.TryAddSingleton<Mqtt.Auth.ClientDeviceSessions>();
        services.TryAddSingleton<ServerCertificateSubscriptions>();
        services.AddHostedService(sp => sp.GetRequiredService<ServerCertificateSubscriptions>());
        services.TryAddSingleton<ClientDeviceAuthIpcService>();
        services.TryAddSingleton(sp => new IpcOperationDispatcher(
            [
                .. sp.GetRequiredService<PubSubIpcService>().Operations(),
                .. sp.GetRequiredService<MqttProxyIpcService>().Operations(),
                .. sp.GetRequiredService<ConfigurationIpcService>().Operations(),
                .. sp.GetRequiredService<ConfigurationValidationCoordinator>().Operations(),
                .. sp.GetRequiredService<LifecycleIpcService>().Operations(),
                .. sp.GetRequiredService<AuthorizationTokenIpcService>().Operations(),
                .. sp.GetRequiredService<CliIpcService>().Operations(),
                .. sp.GetRequiredService<ComponentPauseIpcService>().Operations(),
                .. sp.GetRequiredService<ComponentMetricIpcService>().Operations(),
                .. sp.GetRequiredService<ShadowIpcService>().Operations(),
                .. sp.GetRequiredService<SecretIpcService>().Operations(),
                .. sp.GetRequiredService<ClientDeviceAuthIpcService>().Operations(),
            ],
            sp.GetRequiredService<ILogger<IpcOperationDispatcher>>()));
        services.TryAddSingleton<IpcServer>();
        services.AddHostedService(sp => sp.GetRequiredService<IpcServer>());
        return services;
    }
}
