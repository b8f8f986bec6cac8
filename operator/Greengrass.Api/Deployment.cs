using k8s;
using k8s.Models;

namespace Greengrass.Api;

/// <summary>
/// The desired component set of one target: a CoreDevice by name, or every CoreDevice matching a label selector
/// (a thing group). Kubectl users write deployments.greengrass.edge.dev or ggdeploy, since deployments alone means apps/v1.
/// </summary>
[KubernetesEntity(Group = GreengrassApi.Group, ApiVersion = GreengrassApi.Version, Kind = GreengrassApi.DeploymentKind, PluralName = GreengrassApi.DeploymentPlural)]
[CrdNames(ShortNames = [GreengrassApi.DeploymentShortName], Categories = [GreengrassApi.Category])]
[CrdPrinterColumn("Target", "string", ".status.target")]
[CrdPrinterColumn("Revision", "integer", ".status.revision")]
[CrdPrinterColumn("Rollout", "string", ".status.rollout.phase")]
[CrdPrinterColumn("InProgress", "integer", ".status.devices.inProgress")]
[CrdPrinterColumn("Succeeded", "integer", ".status.devices.succeeded")]
[CrdPrinterColumn("Failed", "integer", ".status.devices.failed")]
[CrdPrinterColumn("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status")]
public sealed class Deployment : IKubernetesObject<V1ObjectMeta>, ISpec<DeploymentSpec>, IStatus<DeploymentStatus?>
{
    /// <summary>Always <see cref="GreengrassApi.ApiVersion"/>.</summary>
    public string ApiVersion { get; set; } = GreengrassApi.ApiVersion;

    /// <summary>Always <see cref="GreengrassApi.DeploymentKind"/>.</summary>
    public string Kind { get; set; } = GreengrassApi.DeploymentKind;

    /// <summary>Standard object metadata.</summary>
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>The target, the components and how to roll them out.</summary>
    public DeploymentSpec Spec { get; set; } = new();

    /// <summary>Rollout progress across the targeted devices.</summary>
    public DeploymentStatus? Status { get; set; }
}

/// <summary>A list of <see cref="Deployment"/>.</summary>
public sealed class DeploymentList : IKubernetesObject<V1ListMeta>, IItems<Deployment>
{
    /// <summary>Always <see cref="GreengrassApi.ApiVersion"/>.</summary>
    public string ApiVersion { get; set; } = GreengrassApi.ApiVersion;

    /// <summary>Always <see cref="GreengrassApi.DeploymentListKind"/>.</summary>
    public string Kind { get; set; } = GreengrassApi.DeploymentListKind;

    /// <summary>Standard list metadata.</summary>
    public V1ListMeta Metadata { get; set; } = new();

    /// <summary>The deployments.</summary>
    public IList<Deployment> Items { get; set; } = [];
}
