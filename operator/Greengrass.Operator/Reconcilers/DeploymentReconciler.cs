using Greengrass.Api;
using Greengrass.Operator.Runtime;
using Greengrass.Operator.Runtime.Cache;
using Greengrass.Operator.Runtime.Controllers;
using Greengrass.Operator.Runtime.Writes;
using ApiDeployment = Greengrass.Api.Deployment;

namespace Greengrass.Operator.Reconcilers;

/// <summary>
/// Reconciles one Deployment: resolves its targets and aggregates their progress from the CoreDevice
/// statuses (the devices' plans are computed by the CoreDevice reconciler, which every Deployment
/// change triggers through the map functions).
/// </summary>
internal sealed class DeploymentReconciler(ClusterState state, ResourceClient client, StatusWriter statusWriter, TimeProvider time)
    : IReconciler<ResourceKey>
{
    public async Task<ReconcileResult> ReconcileAsync(ResourceKey key, CancellationToken cancellationToken)
    {
        var deployment = await client.GetAsync<ApiDeployment>(ResourceTypes.Deployments, key.Namespace, key.Name, cancellationToken);
        if (deployment is null || deployment.Metadata.DeletionTimestamp is not null)
        {
            return ReconcileResult.Done;
        }

        var devices = state.DevicesTargetedBy(deployment).ToList();
        var progress = DeploymentProgress.Compute(deployment, devices);
        await statusWriter.UpdateAsync<ApiDeployment, DeploymentStatus>(ResourceTypes.Deployments, key.Namespace, key.Name,
            (fresh, status) => DeploymentProgress.Apply(fresh, status, progress, time.GetUtcNow()), cancellationToken);
        return ReconcileResult.Done;
    }
}
