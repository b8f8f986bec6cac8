using k8s;
using k8s.Models;

namespace Greengrass.Api;

/// <summary>An MQTT client device: an IoT thing that discovers and talks to core devices.</summary>
[KubernetesEntity(Group = GreengrassApi.Group, ApiVersion = GreengrassApi.Version, Kind = GreengrassApi.ClientDeviceKind, PluralName = GreengrassApi.ClientDevicePlural)]
[CrdNames(ShortNames = [GreengrassApi.ClientDeviceShortName], Categories = [GreengrassApi.Category])]
[CrdPrinterColumn("Thing", "string", ".spec.thingName")]
[CrdPrinterColumn("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status")]
[CrdPrinterColumn("Age", "date", ".metadata.creationTimestamp")]
public sealed class ClientDevice : IKubernetesObject<V1ObjectMeta>, ISpec<ClientDeviceSpec>, IStatus<ClientDeviceStatus?>
{
    /// <summary>Always <see cref="GreengrassApi.ApiVersion"/>.</summary>
    public string ApiVersion { get; set; } = GreengrassApi.ApiVersion;

    /// <summary>Always <see cref="GreengrassApi.ClientDeviceKind"/>.</summary>
    public string Kind { get; set; } = GreengrassApi.ClientDeviceKind;

    /// <summary>Standard object metadata.</summary>
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>The thing, its certificate and the core devices it may discover.</summary>
    public ClientDeviceSpec Spec { get; set; } = new();

    /// <summary>Certificate status and associations.</summary>
    public ClientDeviceStatus? Status { get; set; }
}

/// <summary>A list of <see cref="ClientDevice"/>.</summary>
public sealed class ClientDeviceList : IKubernetesObject<V1ListMeta>, IItems<ClientDevice>
{
    /// <summary>Always <see cref="GreengrassApi.ApiVersion"/>.</summary>
    public string ApiVersion { get; set; } = GreengrassApi.ApiVersion;

    /// <summary>Always <see cref="GreengrassApi.ClientDeviceListKind"/>.</summary>
    public string Kind { get; set; } = GreengrassApi.ClientDeviceListKind;

    /// <summary>Standard list metadata.</summary>
    public V1ListMeta Metadata { get; set; } = new();

    /// <summary>The client devices.</summary>
    public IList<ClientDevice> Items { get; set; } = [];
}
