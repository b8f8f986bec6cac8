using Greengrass.Api;
using Greengrass.Operator.Runtime.Cache;
using k8s.Models;
using ApiDeployment = Greengrass.Api.Deployment;

namespace Greengrass.Operator.Reconcilers;

/// <summary>The operator's caches: reconcilers read the world from here and write through the API.</summary>
internal sealed class ClusterState(
    ResourceCache<Component> components,
    ResourceCache<ApiDeployment> deployments,
    ResourceCache<CoreDevice> coreDevices,
    ResourceCache<V1Pod> pods,
    ResourceCache<V1ConfigMap> configMaps,
    ResourceCache<V1Node> nodes,
    ResourceCache<ClientDevice> clientDevices)
{
    public ResourceCache<Component> Components { get; } = components;

    public ResourceCache<ApiDeployment> Deployments { get; } = deployments;

    public ResourceCache<CoreDevice> CoreDevices { get; } = coreDevices;

    public ResourceCache<V1Pod> Pods { get; } = pods;

    public ResourceCache<V1ConfigMap> ConfigMaps { get; } = configMaps;

    public ResourceCache<V1Node> Nodes { get; } = nodes;

    public ResourceCache<ClientDevice> ClientDevices { get; } = clientDevices;

    public IEnumerable<Task> Synced => [Components.Synced, Deployments.Synced, CoreDevices.Synced, Pods.Synced, ConfigMaps.Synced, Nodes.Synced, ClientDevices.Synced];

    public Task RunAsync(CancellationToken cancellationToken) => Task.WhenAll(
        Components.RunAsync(cancellationToken), Deployments.RunAsync(cancellationToken), CoreDevices.RunAsync(cancellationToken),
        Pods.RunAsync(cancellationToken), ConfigMaps.RunAsync(cancellationToken), Nodes.RunAsync(cancellationToken),
        ClientDevices.RunAsync(cancellationToken));

    public IEnumerable<ApiDeployment> DeploymentsTargeting(CoreDevice device) =>
        Deployments.List().Where(d => d.Metadata.DeletionTimestamp is null && Targeting.Targets(d, device));

    public IEnumerable<CoreDevice> DevicesTargetedBy(ApiDeployment deployment) =>
        CoreDevices.List().Where(device => Targeting.Targets(deployment, device));
}
