using Greengrass.Api;
using Greengrass.Operator.Runtime;
using Greengrass.Operator.Runtime.Cache;
using k8s.Models;
using ApiDeployment = Greengrass.Api.Deployment;

namespace Greengrass.Operator.Reconcilers;

/// <summary>
/// Map functions: a change of one kind becomes the keys of the reconcilers that must look again.
/// Pure over the cache snapshot they are given.
/// </summary>
internal static class EventMaps
{
    public static ResourceKey KeyOf(IMetadata<V1ObjectMeta> obj) => new(obj.Metadata.NamespaceProperty, obj.Metadata.Name);

    /// <summary>A Component change can change every plan of its namespace and the status of the Deployments naming it.</summary>
    public static (IEnumerable<ResourceKey> Devices, IEnumerable<ResourceKey> Deployments) ComponentChanged(
        Component component, IEnumerable<CoreDevice> devices, IEnumerable<ApiDeployment> deployments)
    {
        var ns = component.Metadata.NamespaceProperty;
        return (devices.Where(d => d.Metadata.NamespaceProperty == ns).Select(KeyOf),
            deployments.Where(d => d.Metadata.NamespaceProperty == ns && d.Spec.Components?.ContainsKey(component.Spec.ComponentName) == true).Select(KeyOf));
    }

    /// <summary>A Deployment change replans the devices it targets now and the ones it targeted before.</summary>
    public static IEnumerable<ResourceKey> DeploymentChanged(CacheEvent<ApiDeployment> e, IEnumerable<CoreDevice> devices) =>
        devices.Where(d => Targeting.Targets(e.Object, d) || (e.Old is { } old && Targeting.Targets(old, d))).Select(KeyOf).Distinct();

    /// <summary>A CoreDevice change (its status included) updates the Deployments that target it, before and after a label change.</summary>
    public static IEnumerable<ResourceKey> CoreDeviceChanged(CacheEvent<CoreDevice> e, IEnumerable<ApiDeployment> deployments) =>
        deployments.Where(d => Targeting.Targets(d, e.Object) || (e.Old is { } old && Targeting.Targets(d, old))).Select(KeyOf).Distinct();

    /// <summary>A pod or ConfigMap the operator made belongs to the CoreDevice named by its label.</summary>
    public static ResourceKey? OwnedObjectChanged(IMetadata<V1ObjectMeta> obj) =>
        obj.Metadata.Labels?.TryGetValue(Labels.CoreDevice, out var device) == true ? new ResourceKey(obj.Metadata.NamespaceProperty, device) : null;

    /// <summary>A node change (labels, readiness) concerns the devices whose nucleus pod runs there.</summary>
    public static IEnumerable<ResourceKey> NodeChanged(V1Node node, IEnumerable<V1Pod> pods) =>
        pods.Where(p => p.Spec?.NodeName == node.Metadata.Name).Select(OwnedObjectChanged).OfType<ResourceKey>();

    /// <summary>A ClientDevice change replans the core devices it is associated with now and the ones it was before.</summary>
    public static IEnumerable<ResourceKey> ClientDeviceChanged(CacheEvent<ClientDevice> e, IEnumerable<CoreDevice> devices) =>
        devices.Where(d => Devices.ClientDeviceAssociation.Selects(e.Object, d) || (e.Old is { } old && Devices.ClientDeviceAssociation.Selects(old, d)))
            .Select(KeyOf).Distinct();

    /// <summary>A CoreDevice change (labels, creation, deletion) changes the association list of the ClientDevices selecting it.</summary>
    public static IEnumerable<ResourceKey> CoreDeviceChangedForClients(CacheEvent<CoreDevice> e, IEnumerable<ClientDevice> clients) =>
        clients.Where(c => Devices.ClientDeviceAssociation.Selects(c, e.Object) || (e.Old is { } old && Devices.ClientDeviceAssociation.Selects(c, old)))
            .Select(KeyOf).Distinct();
}
