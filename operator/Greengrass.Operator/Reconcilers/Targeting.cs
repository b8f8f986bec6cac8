using Greengrass.Api;
using Greengrass.Operator.Runtime.Selectors;
using ApiDeployment = Greengrass.Api.Deployment;

namespace Greengrass.Operator.Reconcilers;

/// <summary>Which CoreDevices a Deployment targets: by name, or by label selector (labels are thing groups), in its own namespace.</summary>
internal static class Targeting
{
    public static bool Targets(ApiDeployment deployment, CoreDevice device)
    {
        if (deployment.Metadata.NamespaceProperty != device.Metadata.NamespaceProperty)
        {
            return false;
        }

        return deployment.Spec.CoreDeviceName is { } name
            ? name == device.Metadata.Name
            : LabelSelectors.Matches(deployment.Spec.CoreDeviceSelector, device.Metadata.Labels);
    }
}
