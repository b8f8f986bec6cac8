using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Ipc.Services;
using Greengrass.Nucleus.Mqtt.Auth;

namespace Greengrass.Nucleus.Runtime;

/// <summary>
/// The runtime's client device auth for IPC: offered while the applied deployment contains
/// <c>aws.greengrass.clientdevices.Auth</c> (implemented natively, like ShadowManager) and an MQTT stack runs, whose
/// authorizer, registry and CA it then uses.
/// </summary>
internal sealed class RuntimeClientDeviceAuth(NucleusRuntime runtime, Func<RuntimeMqttHost?> mqtt) : IClientDeviceAuthAccess
{
    public ClientDeviceAuthContext? Current =>
        mqtt() is { } host && runtime.IsDeployed(MqttPlan.AuthComponent) ? host.ClientDeviceAuth : null;
}
