using k8s;
using k8s.Models;

namespace Greengrass.Operator.Devices;

/// <summary>Owner references that make Kubernetes garbage-collect what the operator creates with its owner.</summary>
internal static class OwnerReferences
{
    public static V1OwnerReference ControlledBy(IKubernetesObject<V1ObjectMeta> owner) => new()
    {
        ApiVersion = owner.ApiVersion,
        Kind = owner.Kind,
        Name = owner.Metadata.Name,
        Uid = owner.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };
}
