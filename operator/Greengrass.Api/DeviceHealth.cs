namespace Greengrass.Api;

/// <summary>The health of a core device, as <c>CoreDevice.status.health</c> reports it.</summary>
public static class DeviceHealth
{
    /// <summary>The nucleus has not reported yet.</summary>
    public const string Pending = "PENDING";

    /// <summary>No component is BROKEN (ERRORED alone stays healthy, as in Greengrass fleet status).</summary>
    public const string Healthy = "HEALTHY";

    /// <summary>At least one component is BROKEN.</summary>
    public const string Unhealthy = "UNHEALTHY";

    /// <summary>The nucleus stopped reporting (pod gone or node unreachable).</summary>
    public const string Offline = "OFFLINE";
}
