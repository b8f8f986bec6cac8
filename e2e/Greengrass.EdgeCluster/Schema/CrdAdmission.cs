using System.Text.Json.Nodes;
using Greengrass.EdgeCluster.Resources;
using Greengrass.EdgeCluster.Store;

namespace Greengrass.EdgeCluster.Schema;

/// <summary>Validates a CustomResourceDefinition and sets the status a real API server reports once it serves it.</summary>
internal static class CrdAdmission
{
    /// <summary>Held until every instance of the CRD has been deleted, as in the API server.</summary>
    public const string CleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io";

    public static void Admit(ResourceType type, JsonObject? old, JsonObject crd, WriteContext context, DateTimeOffset now)
    {
        var errors = Validate(crd);
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(type, Meta.Name(crd), errors);
        }
        var spec = crd["spec"]!.AsObject();
        spec["scope"] ??= "Namespaced";
        foreach (var version in spec["versions"]!.AsArray())
        {
            if (version?["schema"]?["openAPIV3Schema"] is { } schema &&
                schema.ToJsonString().Contains("\"x-kubernetes-validations\"", StringComparison.Ordinal))
            {
                context.Warnings.Add(Admission.CelNotEnforcedWarning);
                break;
            }
        }
        var status = BuildStatus(spec, now);
        if (old?["status"]?["conditions"] is JsonArray previous && previous.Count == 2)
        {
            status["conditions"] = previous.DeepClone(); // conditions already True: lastTransitionTime must not move
        }
        crd["status"] = status;
        if (old is null)
        {
            var finalizers = Meta.Finalizers(crd);
            if (!finalizers.Contains(CleanupFinalizer))
            {
                finalizers.Add(CleanupFinalizer);
                Meta.SetFinalizers(crd, finalizers);
            }
        }
    }

    private static List<FieldError> Validate(JsonObject crd)
    {
        var errors = new List<FieldError>();
        var spec = crd["spec"] as JsonObject;
        var group = (string?)spec?["group"];
        var plural = (string?)spec?["names"]?["plural"];
        if (string.IsNullOrEmpty(group))
        {
            errors.Add(FieldError.Required("spec.group"));
        }
        if (string.IsNullOrEmpty(plural))
        {
            errors.Add(FieldError.Required("spec.names.plural"));
        }
        if (string.IsNullOrEmpty((string?)spec?["names"]?["kind"]))
        {
            errors.Add(FieldError.Required("spec.names.kind"));
        }
        if (group is not null && plural is not null && Meta.Name(crd) != $"{plural}.{group}")
        {
            errors.Add(FieldError.InvalidValue("metadata.name", JsonValue.Create(Meta.Name(crd)), $"must be spec.names.plural+\".\"+spec.group"));
        }
        if (spec?["scope"] is { } scope && (string?)scope is not ("Namespaced" or "Cluster"))
        {
            errors.Add(FieldError.Unsupported("spec.scope", scope, ["\"Cluster\"", "\"Namespaced\""]));
        }
        var versions = spec?["versions"] as JsonArray;
        if (versions is null || versions.Count == 0)
        {
            errors.Add(FieldError.Required("spec.versions"));
        }
        else if (versions.Count(v => v?["storage"]?.GetValue<bool>() == true) != 1)
        {
            errors.Add(FieldError.InvalidValue("spec.versions", null, "must have exactly one version marked as storage version"));
        }
        return errors;
    }

    private static JsonObject BuildStatus(JsonObject spec, DateTimeOffset now)
    {
        var storage = spec["versions"]!.AsArray().First(v => v?["storage"]?.GetValue<bool>() == true)!["name"]!.DeepClone();
        JsonObject Condition(string type, string reason, string message) => new()
        {
            ["type"] = type,
            ["status"] = "True",
            ["lastTransitionTime"] = Meta.Timestamp(now),
            ["reason"] = reason,
            ["message"] = message,
        };
        return new JsonObject
        {
            ["acceptedNames"] = spec["names"]!.DeepClone(),
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found"),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted")),
            ["storedVersions"] = new JsonArray(storage),
        };
    }
}
