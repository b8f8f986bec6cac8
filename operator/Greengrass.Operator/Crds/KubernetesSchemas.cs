using k8s.Models;

namespace Greengrass.Operator.Crds;

/// <summary>
/// Schemas of the Kubernetes types the Greengrass resources embed. The small ones (label selector, toleration,
/// condition, resource requirements, volume sources) are written out in full, matching their Kubernetes OpenAPI
/// definitions, so the API server validates them on admission. <see cref="V1Affinity"/> alone uses the
/// preserve-unknown-fields escape: its schema runs to hundreds of lines, and the API server validates it anyway
/// when the operator creates the nucleus pod from it.
/// </summary>
internal static class KubernetesSchemas
{
    private const string QuantityPattern =
        "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$";

    private static readonly Dictionary<Type, Func<V1JSONSchemaProps>> Builders = new()
    {
        [typeof(V1ObjectMeta)] = () => new V1JSONSchemaProps { Type = "object" },
        [typeof(V1LabelSelector)] = LabelSelector,
        [typeof(V1Toleration)] = Toleration,
        [typeof(V1Condition)] = Condition,
        [typeof(V1ResourceRequirements)] = ResourceRequirements,
        [typeof(V1HostPathVolumeSource)] = HostPath,
        [typeof(V1PersistentVolumeClaimVolumeSource)] = PersistentVolumeClaim,
        [typeof(V1Affinity)] = Affinity,
    };

    /// <summary>A new schema for an embedded Kubernetes type, or false when the type is not one of them.</summary>
    public static bool TryBuild(Type type, out V1JSONSchemaProps schema)
    {
        if (Builders.TryGetValue(type, out var build))
        {
            schema = build();
            return true;
        }

        schema = null!;
        return false;
    }

    private static V1JSONSchemaProps Object(string description, IDictionary<string, V1JSONSchemaProps> properties, params string[] required) =>
        new()
        {
            Type = "object",
            Description = description,
            Properties = new SortedDictionary<string, V1JSONSchemaProps>(properties, StringComparer.Ordinal),
            Required = required.Length == 0 ? null : required,
        };

    private static V1JSONSchemaProps Text(string description) => new() { Type = "string", Description = description };

    private static V1JSONSchemaProps StringList(string description) =>
        new() { Type = "array", Description = description, Items = new V1JSONSchemaProps { Type = "string" }, XKubernetesListType = "atomic" };

    private static V1JSONSchemaProps StringMap(string description) =>
        new() { Type = "object", Description = description, AdditionalProperties = new V1JSONSchemaProps { Type = "string" } };

    private static V1JSONSchemaProps LabelSelector()
    {
        var requirement = Object(
            "A label selector requirement: a key, an operator and values.",
            new Dictionary<string, V1JSONSchemaProps>
            {
                ["key"] = Text("The label key the selector applies to."),
                ["operator"] = Text("In, NotIn, Exists or DoesNotExist."),
                ["values"] = StringList("Values for In and NotIn; empty for Exists and DoesNotExist."),
            },
            "key", "operator");
        var selector = Object(
            "A Kubernetes label selector: matchLabels and matchExpressions are ANDed; an empty selector matches everything.",
            new Dictionary<string, V1JSONSchemaProps>
            {
                ["matchExpressions"] = new() { Type = "array", Description = "Label selector requirements, ANDed.", Items = requirement, XKubernetesListType = "atomic" },
                ["matchLabels"] = StringMap("Labels that must match exactly."),
            });
        selector.XKubernetesMapType = "atomic";
        return selector;
    }

    private static V1JSONSchemaProps Toleration() => Object(
        "A Kubernetes toleration of a node taint.",
        new Dictionary<string, V1JSONSchemaProps>
        {
            ["effect"] = Text("Taint effect to match: NoSchedule, PreferNoSchedule or NoExecute; empty matches all."),
            ["key"] = Text("Taint key; empty with operator Exists matches all taints."),
            ["operator"] = Text("Exists or Equal (the default)."),
            ["tolerationSeconds"] = new() { Type = "integer", Format = "int64", Description = "How long a NoExecute taint is tolerated." },
            ["value"] = Text("Taint value for operator Equal."),
        });

    private static V1JSONSchemaProps Condition() => Object(
        "A status condition (metav1.Condition).",
        new Dictionary<string, V1JSONSchemaProps>
        {
            ["lastTransitionTime"] = new() { Type = "string", Format = "date-time", Description = "When the status last changed." },
            ["message"] = new() { Type = "string", MaxLength = 32768, Description = "Human-readable detail." },
            ["observedGeneration"] = new() { Type = "integer", Format = "int64", Minimum = 0, Description = "The metadata.generation the condition was set from." },
            ["reason"] = new()
            {
                Type = "string", MinLength = 1, MaxLength = 1024, Pattern = "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$",
                Description = "CamelCase reason for the last transition.",
            },
            ["status"] = new() { Type = "string", EnumProperty = ["True", "False", "Unknown"], Description = "True, False or Unknown." },
            ["type"] = new()
            {
                Type = "string", MaxLength = 316,
                Pattern = "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$",
                Description = "Condition type, such as Ready.",
            },
        },
        "lastTransitionTime", "message", "reason", "status", "type");

    private static V1JSONSchemaProps Quantities(string description) => new()
    {
        Type = "object",
        Description = description,
        AdditionalProperties = new V1JSONSchemaProps { XKubernetesIntOrString = true, Pattern = QuantityPattern },
    };

    private static V1JSONSchemaProps ResourceRequirements()
    {
        var claim = Object(
            "A dynamic resource claim of the pod.",
            new Dictionary<string, V1JSONSchemaProps> { ["name"] = Text("Name of the claim."), ["request"] = Text("Name of the request in the claim.") },
            "name");
        return Object(
            "Kubernetes compute resource requirements.",
            new Dictionary<string, V1JSONSchemaProps>
            {
                ["claims"] = new() { Type = "array", Items = claim, XKubernetesListType = "map", XKubernetesListMapKeys = ["name"], Description = "Dynamic resource claims." },
                ["limits"] = Quantities("Most of each resource the container may use, such as cpu: 500m, memory: 256Mi."),
                ["requests"] = Quantities("Resources reserved for the container."),
            });
    }

    private static V1JSONSchemaProps HostPath() => Object(
        "A directory on the node.",
        new Dictionary<string, V1JSONSchemaProps>
        {
            ["path"] = Text("Path of the directory on the node."),
            ["type"] = Text("Host path type, such as DirectoryOrCreate."),
        },
        "path");

    private static V1JSONSchemaProps PersistentVolumeClaim() => Object(
        "A PersistentVolumeClaim in the same namespace.",
        new Dictionary<string, V1JSONSchemaProps>
        {
            ["claimName"] = Text("Name of the claim."),
            ["readOnly"] = new() { Type = "boolean", Description = "Mount read-only." },
        },
        "claimName");

    private static V1JSONSchemaProps Affinity() => new()
    {
        Type = "object",
        Description = "Kubernetes affinity (nodeAffinity, podAffinity, podAntiAffinity), copied to the nucleus pod, which the API server validates.",
        XKubernetesPreserveUnknownFields = true,
    };
}
