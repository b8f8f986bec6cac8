using System.Text.Json.Nodes;
using Greengrass.EdgeCluster.Resources;

namespace Greengrass.EdgeCluster.Store;

internal sealed partial class ResourceStore
{
    public const string ForegroundFinalizer = "foregroundDeletion";
    public const string OrphanFinalizer = "orphan";

    /// <summary>
    /// Deletes an object, or marks it with a deletionTimestamp when finalizers (or a pod's grace
    /// period) hold it back. Returns the object and whether it is gone.
    /// </summary>
    public (StoredObject Object, bool Gone) Delete(ResourceType t, string? ns, string name, DeleteOptions options)
    {
        (StoredObject, bool) result;
        using (Enter(StoreOp.Delete))
        {
            var current = Bucket(t.StorageKey).GetValueOrDefault(KeyOf(ns, name)) ?? throw ApiException.NotFound(t, name);
            CheckPreconditions(t, name, current, options);
            var obj = current.Parse();
            if (options.DryRun)
            {
                return (current, false);
            }
            result = t.StorageKey == "/namespaces" ? (MarkNamespaceTerminating(t, name, obj, current), false) : DeleteObject(t, ns, name, obj, current, options);
        }
        RaiseCommitted(t.StorageKey);
        RaiseDeleting(t.StorageKey);
        return result;
    }

    /// <summary>Removes an object outright (the garbage collector's last step for namespaces).</summary>
    public void Remove(ResourceType t, string? ns, string name)
    {
        using (Enter(StoreOp.Delete))
        {
            if (Bucket(t.StorageKey).GetValueOrDefault(KeyOf(ns, name)) is { } current)
            {
                Commit(t, ns, name, current.Parse(), "DELETED", current);
            }
        }
        RaiseCommitted(t.StorageKey);
        RaiseDeleting(t.StorageKey);
    }

    private (StoredObject, bool) DeleteObject(ResourceType t, string? ns, string name, JsonObject obj, StoredObject current, DeleteOptions options)
    {
        var finalizers = Meta.Finalizers(obj);
        var deleting = Meta.IsDeleting(obj);
        if (!deleting)
        {
            var extra = options.PropagationPolicy switch
            {
                "Foreground" => ForegroundFinalizer,
                "Orphan" => OrphanFinalizer,
                null or "" or "Background" => null,
                var other => throw ApiException.BadRequest($"propagationPolicy: Unsupported value: \"{other}\": supported values: \"Foreground\", \"Background\", \"Orphan\""),
            };
            if (extra is not null && !finalizers.Contains(extra))
            {
                finalizers.Add(extra);
                Meta.SetFinalizers(obj, finalizers);
            }
        }
        var grace = PodGracePeriod(t, obj, options);
        if (finalizers.Count == 0 && grace == 0)
        {
            return (Commit(t, ns, name, obj, "DELETED", current), true);
        }
        if (deleting)
        {
            return (current, false);
        }
        var meta = Meta.Of(obj);
        meta["deletionTimestamp"] = Meta.Timestamp(_time.GetUtcNow().AddSeconds(grace));
        meta["deletionGracePeriodSeconds"] = grace;
        return (Commit(t, ns, name, obj, "MODIFIED", current), false);
    }

    /// <summary>Pods bound to a node get a grace period so the node can stop their containers first.</summary>
    private static long PodGracePeriod(ResourceType t, JsonObject obj, DeleteOptions options)
    {
        if (t.StorageKey != "/pods" || obj["spec"]?["nodeName"] is null || options.GracePeriodSeconds == 0)
        {
            return 0;
        }
        if (obj["status"]?["phase"] is JsonValue phase && (string?)phase is "Succeeded" or "Failed")
        {
            return 0;
        }
        return options.GracePeriodSeconds ?? Meta.Long(obj["spec"]?["terminationGracePeriodSeconds"]) ?? 30;
    }

    private StoredObject MarkNamespaceTerminating(ResourceType t, string name, JsonObject obj, StoredObject current)
    {
        if (Meta.IsDeleting(obj))
        {
            return current;
        }
        Meta.Of(obj)["deletionTimestamp"] = Now();
        Meta.Of(obj)["deletionGracePeriodSeconds"] = 0;
        obj["status"] = new JsonObject { ["phase"] = "Terminating" };
        return Commit(t, null, name, obj, "MODIFIED", current);
    }

    private static void CheckPreconditions(ResourceType t, string name, StoredObject obj, DeleteOptions options)
    {
        if (options.PreconditionUid is { } uid && uid != obj.Uid)
        {
            throw new ApiException(409, "Conflict",
                $"Operation cannot be fulfilled on {t.QualifiedResource} \"{name}\": Precondition failed: UID in precondition: {uid}, UID in object meta: {obj.Uid}");
        }
        if (options.PreconditionResourceVersion is { } rv && rv != obj.ResourceVersionText)
        {
            throw new ApiException(409, "Conflict",
                $"Operation cannot be fulfilled on {t.QualifiedResource} \"{name}\": Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {obj.ResourceVersionText}");
        }
    }
}
