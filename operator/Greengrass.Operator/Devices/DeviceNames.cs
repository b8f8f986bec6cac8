namespace Greengrass.Operator.Devices;

/// <summary>Deterministic names of what the operator creates for one CoreDevice (all in the device's namespace).</summary>
internal static class DeviceNames
{
    /// <summary>The nucleus pod.</summary>
    public static string Pod(string device) => $"{device}-nucleus";

    /// <summary>The ConfigMap carrying the device plan.</summary>
    public static string PlanConfigMap(string device) => $"{device}-plan";

    /// <summary>The nucleus's own ServiceAccount, Role and RoleBinding.</summary>
    public static string Identity(string device) => $"{device}-nucleus";

    /// <summary>The Secret (type kubernetes.io/tls) with the core device CA certificate and key.</summary>
    public static string CaSecret(string device) => $"{device}-ca";

    /// <summary>Where the nucleus container sees the CA Secret (read-only).</summary>
    public const string CaMountPath = "/greengrass/ca";

    /// <summary>The key of the plan document inside the plan ConfigMap.</summary>
    public const string PlanKey = "plan.json";

    /// <summary>Root of the nucleus inside its container (Greengrass's default layout, GREENGRASS.md §0.1).</summary>
    public const string NucleusRoot = "/greengrass/v2";
}
