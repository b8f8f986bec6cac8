using Greengrass.Api;
using Greengrass.Operator.Runtime.Cache;

namespace Greengrass.Operator.Reconcilers;

/// <summary>Where each kind the operator reads or writes lives in the API.</summary>
internal static class ResourceTypes
{
    public static readonly ResourceType Components = new(GreengrassApi.Group, GreengrassApi.Version, GreengrassApi.ComponentPlural, true);
    public static readonly ResourceType Deployments = new(GreengrassApi.Group, GreengrassApi.Version, GreengrassApi.DeploymentPlural, true);
    public static readonly ResourceType CoreDevices = new(GreengrassApi.Group, GreengrassApi.Version, GreengrassApi.CoreDevicePlural, true);
    public static readonly ResourceType ClientDevices = new(GreengrassApi.Group, GreengrassApi.Version, GreengrassApi.ClientDevicePlural, true);
    public static readonly ResourceType Pods = new(string.Empty, "v1", "pods", true);
    public static readonly ResourceType ConfigMaps = new(string.Empty, "v1", "configmaps", true);
    public static readonly ResourceType Secrets = new(string.Empty, "v1", "secrets", true);
    public static readonly ResourceType ServiceAccounts = new(string.Empty, "v1", "serviceaccounts", true);
    public static readonly ResourceType Nodes = new(string.Empty, "v1", "nodes", false);
    public static readonly ResourceType Roles = new("rbac.authorization.k8s.io", "v1", "roles", true);
    public static readonly ResourceType RoleBindings = new("rbac.authorization.k8s.io", "v1", "rolebindings", true);
}
