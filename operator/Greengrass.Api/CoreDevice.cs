using k8s;
using k8s.Models;

namespace Greengrass.Api;

/// <summary>One Greengrass core device: one nucleus pod on one edge node. Its labels are its thing groups.</summary>
[KubernetesEntity(Group = GreengrassApi.Group, ApiVersion = GreengrassApi.Version, Kind = GreengrassApi.CoreDeviceKind, PluralName = GreengrassApi.CoreDevicePlural)]
[CrdNames(ShortNames = [GreengrassApi.CoreDeviceShortName], Categories = [GreengrassApi.Category])]
[CrdPrinterColumn("Thing", "string", ".spec.thingName")]
[CrdPrinterColumn("Node", "string", ".status.node")]
[CrdPrinterColumn("Nucleus", "string", ".status.nucleusVersion")]
[CrdPrinterColumn("Health", "string", ".status.health")]
[CrdPrinterColumn("Components", "string", ".status.componentsSummary")]
[CrdPrinterColumn("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status")]
public sealed class CoreDevice : IKubernetesObject<V1ObjectMeta>, ISpec<CoreDeviceSpec>, IStatus<CoreDeviceStatus?>
{
    /// <summary>Always <see cref="GreengrassApi.ApiVersion"/>.</summary>
    public string ApiVersion { get; set; } = GreengrassApi.ApiVersion;

    /// <summary>Always <see cref="GreengrassApi.CoreDeviceKind"/>.</summary>
    public string Kind { get; set; } = GreengrassApi.CoreDeviceKind;

    /// <summary>Standard object metadata; labels are the device's thing groups.</summary>
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>Where and how the nucleus runs.</summary>
    public CoreDeviceSpec Spec { get; set; } = new();

    /// <summary>Health and component states as the nucleus reports them.</summary>
    public CoreDeviceStatus? Status { get; set; }
}

/// <summary>A list of <see cref="CoreDevice"/>.</summary>
public sealed class CoreDeviceList : IKubernetesObject<V1ListMeta>, IItems<CoreDevice>
{
    /// <summary>Always <see cref="GreengrassApi.ApiVersion"/>.</summary>
    public string ApiVersion { get; set; } = GreengrassApi.ApiVersion;

    /// <summary>Always <see cref="GreengrassApi.CoreDeviceListKind"/>.</summary>
    public string Kind { get; set; } = GreengrassApi.CoreDeviceListKind;

    /// <summary>Standard list metadata.</summary>
    public V1ListMeta Metadata { get; set; } = new();

    /// <summary>The core devices.</summary>
    public IList<CoreDevice> Items { get; set; } = [];
}
