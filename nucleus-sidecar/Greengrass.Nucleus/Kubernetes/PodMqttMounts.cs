namespace Greengrass.Nucleus.Kubernetes;

/// <summary>
/// What the operator mounts and passes to a nucleus pod for MQTT: the upstream certificate Secret
/// (<c>GG_MQTT_UPSTREAM_DIR</c>), the core device CA Secret (<c>GG_CA_DIRECTORY</c>) and the CoreDevice's
/// connectivity host addresses for the broker's server certificate (<c>GG_BROKER_HOSTS</c>, comma-separated).
/// </summary>
internal sealed record PodMqttMounts(string? UpstreamDirectory, string? CaDirectory, string? BrokerHosts)
{
    /// <summary>Nothing mounted: the broker makes its own CA, and no upstream can be configured.</summary>
    public static readonly PodMqttMounts None = new(null, null, null);
}
