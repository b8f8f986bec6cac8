using System.Text.Json;
using System.Text.Json.Nodes;
using Greengrass.Nucleus.Ipc.Services;
using Greengrass.Nucleus.Mqtt.Auth;
using Greengrass.Nucleus.Mqtt;
using Greengrass.Nucleus.Mqtt.Bridge;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Greengrass.Nucleus.Runtime;

/// <summary>How the runtime hosts the MQTT stack beside IPC, in the same container so both share one local bus.</summary>
internal static class RuntimeMqtt
{
    /// <summary>
    /// Parses the MQTT settings document (<c>--mqtt-config</c> file, <c>GG_MQTT_CONFIG</c>); every kind of bad input
    /// becomes a <see cref="FormatException"/> whose message names the field.
    /// </summary>
    public static MqttSettings ParseSettings(string json)
    {
        try
        {
            return MqttSettings.Parse(JsonNode.Parse(json) ?? throw new FormatException("mqtt settings: must be a JSON object"));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ClientDeviceAuthConfigException)
        {
            // JsonException: not JSON; InvalidOperationException: a value of the wrong JSON kind (GetValue<T>).
            throw new FormatException(e.Message, e);
        }
    }

    /// <summary>
    /// Adds the broker, client device auth, spool, upstream and bridge, with the bridge's Pubsub endpoint on the IPC
    /// bus and, when an upstream is configured, PublishToIoTCore/SubscribeToIoTCore over it. Must be called before
    /// <c>AddGreengrassIpc</c>, whose stand-in router is registered only when none is.
    /// </summary>
    public static IServiceCollection AddRuntimeMqtt(this IServiceCollection services, MqttSettings settings)
    {
        services.TryAddSingleton<LocalPubSub>();
        services.AddSingleton<IpcBusLocalPubSub>();
        services.AddSingleton<ILocalPubSub>(sp => sp.GetRequiredService<IpcBusLocalPubSub>());
        services.AddGreengrassMqtt(settings);
        if (settings.Upstream is not null)
        {
            services.AddSingleton<UpstreamIotCoreRouter>();
            services.AddSingleton<IIotCoreRouter>(sp => sp.GetRequiredService<UpstreamIotCoreRouter>());
        }

        return services;
    }
}
