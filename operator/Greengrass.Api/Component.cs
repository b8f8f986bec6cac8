using k8s;
using k8s.Models;

namespace Greengrass.Api;

/// <summary>
/// One immutable Greengrass component version. The spec is the component recipe, 1:1 with the Greengrass recipe keys
/// in camelCase; a new version is a new Component.
/// </summary>
[KubernetesEntity(Group = GreengrassApi.Group, ApiVersion = GreengrassApi.Version, Kind = GreengrassApi.ComponentKind, PluralName = GreengrassApi.ComponentPlural)]
[CrdNames(ShortNames = [GreengrassApi.ComponentShortName], Categories = [GreengrassApi.Category])]
[CrdPrinterColumn("Component", "string", ".spec.componentName")]
[CrdPrinterColumn("Version", "string", ".spec.componentVersion")]
[CrdPrinterColumn("Type", "string", ".spec.componentType")]
[CrdPrinterColumn("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status")]
[CrdPrinterColumn("Age", "date", ".metadata.creationTimestamp")]
public sealed class Component : IKubernetesObject<V1ObjectMeta>, ISpec<ComponentSpec>, IStatus<ComponentStatus?>
{
    /// <summary>Always <see cref="GreengrassApi.ApiVersion"/>.</summary>
    public string ApiVersion { get; set; } = GreengrassApi.ApiVersion;

    /// <summary>Always <see cref="GreengrassApi.ComponentKind"/>.</summary>
    public string Kind { get; set; } = GreengrassApi.ComponentKind;

    /// <summary>Standard object metadata.</summary>
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>The component recipe. Immutable: publish a new version as a new Component.</summary>
    [CrdValidation("self == oldSelf", Message = "spec is immutable: a Component is one component version; create a new Component for a new version")]
    public ComponentSpec Spec { get; set; } = new();

    /// <summary>What the operator observed about this component version.</summary>
    public ComponentStatus? Status { get; set; }
}

/// <summary>A list of <see cref="Component"/>.</summary>
public sealed class ComponentList : IKubernetesObject<V1ListMeta>, IItems<Component>
{
    /// <summary>Always <see cref="GreengrassApi.ApiVersion"/>.</summary>
    public string ApiVersion { get; set; } = GreengrassApi.ApiVersion;

    /// <summary>Always <see cref="GreengrassApi.ComponentListKind"/>.</summary>
    public string Kind { get; set; } = GreengrassApi.ComponentListKind;

    /// <summary>Standard list metadata.</summary>
    public V1ListMeta Metadata { get; set; } = new();

    /// <summary>The components.</summary>
    public IList<Component> Items { get; set; } = [];
}
