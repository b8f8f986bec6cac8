using System.Text;
using System.Text.Json.Nodes;
using Greengrass.EdgeCluster.Resources;
using Greengrass.EdgeCluster.Store;

namespace Greengrass.EdgeCluster.Schema;

/// <summary>Defaulting and validation per kind: CRD schemas for custom resources, a few built-in rules.</summary>
internal sealed class Admission(TimeProvider time) : IAdmission
{
    public const string CelNotEnforcedWarning = "x-kubernetes-validations (CEL) rules are stored but not enforced by this API server";

    public void Admit(ResourceType type, JsonObject? old, JsonObject obj, bool statusWrite, WriteContext context)
    {
        if (MetadataValidation.Check(obj) is { Count: > 0 } metadataErrors)
        {
            throw ApiException.Invalid(type, Meta.Name(obj), metadataErrors);
        }
        if (type.IsCustom)
        {
            AdmitCustom(type, obj, context);
            return;
        }
        switch (type.StorageKey)
        {
            case "apiextensions.k8s.io/customresourcedefinitions":
                CrdAdmission.Admit(type, old, obj, context, time.GetUtcNow());
                break;
            case "/namespaces" when old is null:
                obj["spec"] ??= new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
                obj["status"] = new JsonObject { ["phase"] = "Active" };
                break;
            case "/pods" when !statusWrite:
                AdmitPod(type, old, obj);
                break;
            case "/secrets":
                FoldStringData(obj);
                break;
            case "/services" when old is null:
                obj["spec"] ??= new JsonObject();
                obj["spec"]!["type"] ??= "ClusterIP";
                break;
        }
    }

    private static void AdmitCustom(ResourceType type, JsonObject obj, WriteContext context)
    {
        if (type.Schema is null)
        {
            return;
        }
        var result = SchemaValidator.Run(type.Schema, obj);
        if (result.UnknownFields.Count > 0)
        {
            switch (context.FieldValidation)
            {
                case FieldValidation.Strict:
                    var list = string.Join(", ", result.UnknownFields.Select(f => $"unknown field \"{f}\""));
                    throw ApiException.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: strict decoding error: {list}");
                case FieldValidation.Warn:
                    context.Warnings.AddRange(result.UnknownFields.Select(f => $"unknown field \"{f}\""));
                    break;
            }
        }
        if (result.Errors.Count > 0)
        {
            throw ApiException.Invalid(type, Meta.Name(obj), result.Errors);
        }
    }

    private static void AdmitPod(ResourceType type, JsonObject? old, JsonObject obj)
    {
        var spec = obj["spec"] as JsonObject;
        var containers = spec?["containers"] as JsonArray;
        var errors = new List<FieldError>();
        if (containers is null || containers.Count == 0)
        {
            errors.Add(FieldError.Required("spec.containers"));
        }
        for (var i = 0; i < (containers?.Count ?? 0); i++)
        {
            if (containers![i]?["name"] is null)
            {
                errors.Add(FieldError.Required($"spec.containers[{i}].name"));
            }
            if (containers[i]?["image"] is null)
            {
                errors.Add(FieldError.Required($"spec.containers[{i}].image"));
            }
        }
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(type, Meta.Name(obj), errors);
        }
        spec!["restartPolicy"] ??= "Always";
        spec["terminationGracePeriodSeconds"] ??= 30L;
        spec["schedulerName"] ??= "default-scheduler";
        spec["dnsPolicy"] ??= "ClusterFirst";
        if (old is null)
        {
            obj["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = "BestEffort" };
        }
    }

    /// <summary>Secrets accept <c>stringData</c> on write and store it base64-encoded in <c>data</c>.</summary>
    private static void FoldStringData(JsonObject obj)
    {
        if (obj["stringData"] is not JsonObject stringData)
        {
            return;
        }
        var data = obj["data"] as JsonObject ?? new JsonObject();
        foreach (var (key, value) in stringData)
        {
            data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(Meta.Str(value) ?? ""));
        }
        obj["data"] = data;
        obj.Remove("stringData");
    }
}
