using Greengrass.Nucleus.Mqtt.Auth;

namespace Greengrass.Nucleus.Ipc.Services;

/// <summary>
/// Whether the client device auth operations are offered now. As in Greengrass, they exist only while the component
/// <c>aws.greengrass.clientdevices.Auth</c> is deployed (and here, while the MQTT stack that carries its
/// configuration runs).
/// </summary>
internal interface IClientDeviceAuthAccess
{
    /// <summary>Client device auth while it runs, else null.</summary>
    ClientDeviceAuthContext? Current { get; }
}

/// <summary>No client device auth: the default when the host registers nothing.</summary>
internal sealed class NoClientDeviceAuth : IClientDeviceAuthAccess
{
    public ClientDeviceAuthContext? Current => null;
}

/// <summary>Client device auth that a host switches by hand (standalone hosts and tests).</summary>
internal sealed class SwitchableClientDeviceAuth(ClientDeviceAuthContext? initial) : IClientDeviceAuthAccess
{
    private volatile ClientDeviceAuthContext? _current = initial;

    public ClientDeviceAuthContext? Current
    {
        get => _current;
        set => _current = value;
    }
}
