namespace Greengrass.EdgeCluster.Resources;

/// <summary>The built-in kinds the emulator serves.</summary>
internal static class BuiltInTypes
{
    public static IReadOnlyList<ResourceType> All { get; } = Build();

    private static List<ResourceType> Build()
    {
        PrinterColumn age = new("Age", "date", ".metadata.creationTimestamp");
        return
        [
            Core("namespaces", "Namespace", false, ["ns"], ["status", "finalize"],
                [new("Status", "string", ".status.phase"), age]),
            Core("pods", "Pod", true, ["po"], ["status", "log", "eviction", "binding"],
                [new("Ready", "string", "__ready"), new("Status", "string", ".status.phase"),
                 new("Restarts", "integer", "__restarts"), age, new("Node", "string", ".spec.nodeName", Priority: 1)],
                ["all"]),
            Core("configmaps", "ConfigMap", true, ["cm"], [], [new("Data", "integer", "__datacount"), age]),
            Core("secrets", "Secret", true, [], [], [new("Type", "string", ".type"), new("Data", "integer", "__datacount"), age]),
            Core("services", "Service", true, ["svc"], ["status"],
                [new("Type", "string", ".spec.type"), new("Cluster-IP", "string", ".spec.clusterIP"), age], ["all"]),
            Core("serviceaccounts", "ServiceAccount", true, ["sa"], ["token"], [age]),
            Core("nodes", "Node", false, ["no"], ["status"],
                [new("Status", "string", "__nodeready"), new("Roles", "string", "__roles"), age,
                 new("Version", "string", ".status.nodeInfo.kubeletVersion")]),
            Core("events", "Event", true, ["ev"], [],
                [new("Type", "string", ".type"), new("Reason", "string", ".reason"), new("Message", "string", ".message"), age]),
            Named("events.k8s.io", "v1", "events", "Event", true, ["ev"], [], [age]),
            Named("coordination.k8s.io", "v1", "leases", "Lease", true, [], [],
                [new("Holder", "string", ".spec.holderIdentity"), age]),
            Named("rbac.authorization.k8s.io", "v1", "roles", "Role", true, [], [], [age]),
            Named("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true, [], [], [age]),
            Named("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false, [], [], [age]),
            Named("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false, [], [], [age]),
            Named("apps", "v1", "deployments", "Deployment", true, ["deploy"], ["status", "scale"], [age], ["all"]),
            Named("apps", "v1", "daemonsets", "DaemonSet", true, ["ds"], ["status"], [age], ["all"]),
            Named("apps", "v1", "statefulsets", "StatefulSet", true, ["sts"], ["status", "scale"], [age], ["all"]),
            Named("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false,
                ["crd", "crds"], ["status"], [new("Created At", "date", ".metadata.creationTimestamp")]),
        ];
    }

    private static ResourceType Core(string resource, string kind, bool namespaced, string[] shortNames,
        string[] subresources, PrinterColumn[] columns, string[]? categories = null) =>
        Named("", "v1", resource, kind, namespaced, shortNames, subresources, columns, categories);

    private static ResourceType Named(string group, string version, string resource, string kind, bool namespaced,
        string[] shortNames, string[] subresources, PrinterColumn[] columns, string[]? categories = null) => new()
    {
        Group = group,
        Version = version,
        Resource = resource,
        Kind = kind,
        Namespaced = namespaced,
        Singular = kind.ToLowerInvariant(),
        ShortNames = shortNames,
        Subresources = subresources,
        PrinterColumns = columns,
        Categories = categories ?? [],
    };
}
