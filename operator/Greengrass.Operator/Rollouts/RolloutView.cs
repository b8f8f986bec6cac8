using Greengrass.Api;
using k8s.Models;
using ApiDeployment = Greengrass.Api.Deployment;

namespace Greengrass.Operator.Rollouts;

/// <summary>
/// What each Deployment gives one device, given its rollout: the revision the device is admitted to (or the stable
/// revision when it has no entry), as a Deployment whose spec is that revision's and whose generation is that revision.
/// A Deployment not yet admitted to the device is left out. Pure.
/// </summary>
internal static class RolloutView
{
    public static IEnumerable<ApiDeployment> EffectiveFor(CoreDevice device, IEnumerable<ApiDeployment> deployments)
    {
        foreach (var deployment in deployments)
        {
            if (RevisionFor(device.Metadata.Name, deployment) is { } effective)
            {
                yield return effective;
            }
        }
    }

    /// <summary>The Deployment as the named device should run it, or null when none of its revisions is admitted there yet.</summary>
    public static ApiDeployment? RevisionFor(string device, ApiDeployment deployment)
    {
        var generation = deployment.Metadata.Generation;
        if (deployment.Spec.Rollout is null)
        {
            return deployment;
        }

        var record = deployment.Status?.Rollout;
        if (record is null)
        {
            // No rollout recorded yet: only a revision an older operator already rolled out at once is on the devices.
            return deployment.Status?.ObservedGeneration == generation ? deployment : null;
        }

        var revision = record.Devices?.FirstOrDefault(e => e.Name == device)?.Revision ?? record.StableRevision;
        if (revision is null)
        {
            return null;
        }

        if (revision == generation)
        {
            return deployment;
        }

        var spec = record.Revisions?.FirstOrDefault(r => r.Revision == revision);
        return spec is null ? null : AtRevision(deployment, spec);
    }

    private static ApiDeployment AtRevision(ApiDeployment deployment, DeploymentRevisionSpec revision) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = deployment.Metadata.Name,
            NamespaceProperty = deployment.Metadata.NamespaceProperty,
            Uid = deployment.Metadata.Uid,
            CreationTimestamp = deployment.Metadata.CreationTimestamp,
            Labels = deployment.Metadata.Labels,
            Generation = revision.Revision,
        },
        Spec = new DeploymentSpec
        {
            CoreDeviceName = deployment.Spec.CoreDeviceName,
            CoreDeviceSelector = deployment.Spec.CoreDeviceSelector,
            Components = revision.Components,
            Policies = revision.Policies,
            Rollout = deployment.Spec.Rollout,
        },
        Status = deployment.Status,
    };
}
