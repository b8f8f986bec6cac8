using Greengrass.Api;
using k8s.Models;

namespace Greengrass.Operator.Devices;

/// <summary>
/// The least-privilege identity of one nucleus: its own ServiceAccount, and a Role limited by
/// <c>resourceNames</c> to its own plan ConfigMap, its own CoreDevice status and its own pod status,
/// so a compromised device can read or change nothing of any other device.
/// </summary>
internal static class DeviceRbacBuilder
{
    public static V1ServiceAccount BuildServiceAccount(CoreDevice device) => new()
    {
        ApiVersion = "v1",
        Kind = "ServiceAccount",
        Metadata = Meta(device),
    };

    public static V1Role BuildRole(CoreDevice device)
    {
        var name = device.Metadata.Name;
        return new V1Role
        {
            ApiVersion = "rbac.authorization.k8s.io/v1",
            Kind = "Role",
            Metadata = Meta(device),
            Rules =
            [
                new V1PolicyRule
                {
                    ApiGroups = [""], Resources = ["configmaps"], ResourceNames = [DeviceNames.PlanConfigMap(name)],
                    Verbs = ["get", "list", "watch"],
                },
                new V1PolicyRule
                {
                    ApiGroups = [GreengrassApi.Group], Resources = [GreengrassApi.CoreDevicePlural], ResourceNames = [name],
                    Verbs = ["get", "list", "watch"],
                },
                new V1PolicyRule
                {
                    ApiGroups = [GreengrassApi.Group], Resources = [$"{GreengrassApi.CoreDevicePlural}/status"], ResourceNames = [name],
                    Verbs = ["get", "patch", "update"],
                },
                new V1PolicyRule
                {
                    ApiGroups = [""], Resources = ["pods/status"], ResourceNames = [DeviceNames.Pod(name)],
                    Verbs = ["get", "patch", "update"],
                },
                new V1PolicyRule
                {
                    ApiGroups = [""], Resources = ["pods"], ResourceNames = [DeviceNames.Pod(name)],
                    Verbs = ["get"],
                },
            ],
        };
    }

    public static V1RoleBinding BuildRoleBinding(CoreDevice device) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "RoleBinding",
        Metadata = Meta(device),
        RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = DeviceNames.Identity(device.Metadata.Name) },
        Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = DeviceNames.Identity(device.Metadata.Name), NamespaceProperty = device.Metadata.NamespaceProperty }],
    };

    private static V1ObjectMeta Meta(CoreDevice device) => new()
    {
        Name = DeviceNames.Identity(device.Metadata.Name),
        NamespaceProperty = device.Metadata.NamespaceProperty,
        Labels = new Dictionary<string, string>
        {
            [Labels.ManagedBy] = Labels.ManagedByValue,
            [Labels.CoreDevice] = device.Metadata.Name,
        },
        OwnerReferences = [OwnerReferences.ControlledBy(device)],
    };
}
