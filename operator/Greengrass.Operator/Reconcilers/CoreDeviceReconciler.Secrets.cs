using Greengrass.Api;
using Greengrass.Operator.Devices;
using k8s.Models;

namespace Greengrass.Operator.Reconcilers;

/// <summary>The user's Secrets the nucleus pod mounts: a missing one is reported on the CoreDevice, naming it.</summary>
internal sealed partial class CoreDeviceReconciler
{
    /// <summary>
    /// Why the nucleus pod cannot start for want of a Secret, or null when every Secret it mounts exists. Only existence is
    /// looked at (a <c>get</c>, allowed by the operator's role): the values go into no plan, status, event or log.
    /// </summary>
    private async Task<string?> FindMissingSecretAsync(CoreDevice device, CancellationToken cancellationToken)
    {
        var ns = device.Metadata.NamespaceProperty;
        foreach (var secret in MountedSecrets.Of(device.Spec))
        {
            if (await client.GetAsync<V1Secret>(ResourceTypes.Secrets, ns, secret.Name, cancellationToken) is null)
            {
                return $"{secret.Field}: Secret \"{secret.Name}\" not found in namespace {ns}; the nucleus pod waits for it to mount";
            }
        }

        return null;
    }
}
