using System.Text.Json.Nodes;

namespace Greengrass.EdgeCluster.Resources;

/// <summary>A printer column shown by <c>kubectl get</c> (Table responses).</summary>
internal sealed record PrinterColumn(string Name, string Type, string JsonPath, string Description = "", string? Format = null, int Priority = 0);

/// <summary>One served resource at one version: everything discovery, routing and storage need to know.</summary>
internal sealed record ResourceType
{
    public required string Group { get; init; }
    public required string Version { get; init; }
    public required string Resource { get; init; }
    public required string Kind { get; init; }
    public required bool Namespaced { get; init; }
    public string Singular { get; init; } = "";
    public IReadOnlyList<string> ShortNames { get; init; } = [];
    public IReadOnlyList<string> Categories { get; init; } = [];
    /// <summary>Subresources besides the main one, e.g. status, log, token, eviction.</summary>
    public IReadOnlyList<string> Subresources { get; init; } = [];
    public IReadOnlyList<PrinterColumn> PrinterColumns { get; init; } = [];
    /// <summary>Structural OpenAPI schema of a custom resource, or null for built-in kinds.</summary>
    public JsonObject? Schema { get; init; }
    /// <summary>Names of CEL rules found in the schema; they are reported, not enforced.</summary>
    public bool HasCelRules { get; init; }
    public bool IsCustom { get; init; }

    public bool HasStatus => Subresources.Contains("status");
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";
    public string ListKind => Kind + "List";
    /// <summary>Storage key: one bucket per group and resource, shared by all versions.</summary>
    public string StorageKey => $"{Group}/{Resource}";
    /// <summary>The name used in Kubernetes error messages: <c>pods</c>, <c>widgets.example.com</c>.</summary>
    public string QualifiedResource => Group.Length == 0 ? Resource : $"{Resource}.{Group}";
    public string QualifiedKind => Group.Length == 0 ? Kind : $"{Kind}.{Group}";

    public static IReadOnlyList<string> AllVerbs { get; } =
        ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
}
