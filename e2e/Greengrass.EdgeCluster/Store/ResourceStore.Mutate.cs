using System.Text.Json.Nodes;
using Greengrass.EdgeCluster.Resources;

namespace Greengrass.EdgeCluster.Store;

internal sealed partial class ResourceStore
{
    /// <summary>How many times a mutation is worked out outside the lock before it is done under it.</summary>
    private const int OptimisticAttempts = 3;

    private long _mutationRetries;

    /// <summary>Mutations that had to start over because another write landed first, for <c>/metrics</c>.</summary>
    public long MutationRetries => Interlocked.Read(ref _mutationRetries);

    /// <summary>What a mutation worked out from one version: the object to commit, or the result when there is nothing to commit.</summary>
    private readonly record struct PreparedUpdate(ObjectDraft? Next, string Type, StoredObject? Result);

    public StoredObject Update(ResourceType t, string? ns, string name, JsonObject body, bool statusWrite, WriteContext ctx) =>
        // A copy per attempt: an attempt changes its object in place, and a retried one needs the request as it came.
        Mutate(t, ns, name, _ => body.DeepClone().AsObject(), statusWrite, ctx);

    /// <summary>
    /// Read-modify-write: <paramref name="change"/> gets a private parse of the current object. The parse, the change,
    /// admission and the no-op check run outside the store lock; under it the write commits only if the version it
    /// started from is still the stored one (one reference comparison), and otherwise starts over from the new
    /// version. After <see cref="OptimisticAttempts"/> lost races it works under the lock, so a hot object still
    /// makes progress. <paramref name="change"/> may therefore run more than once and must not depend on running once.
    /// </summary>
    public StoredObject Mutate(ResourceType t, string? ns, string name, Func<JsonObject, JsonObject> change, bool statusWrite, WriteContext ctx) =>
        Mutate(t, ns, name, change, statusWrite, ctx, out _);

    /// <summary>
    /// <see cref="Mutate(ResourceType, string?, string, Func{JsonObject, JsonObject}, bool, WriteContext)"/>, telling
    /// also which version the change was applied to (<paramref name="baseVersion"/>): a writer that knows the version
    /// it last saw learns whether anybody wrote in between without reading the object.
    /// </summary>
    public StoredObject Mutate(ResourceType t, string? ns, string name, Func<JsonObject, JsonObject> change, bool statusWrite, WriteContext ctx,
        out long baseVersion)
    {
        var key = KeyOf(ns, name);
        StoredObject? result = null;
        baseVersion = 0;
        for (var attempt = 1; attempt <= OptimisticAttempts && result is null; attempt++)
        {
            var current = Get(t, ns, name) ?? throw ApiException.NotFound(t, name);
            baseVersion = current.ResourceVersion;
            var prepared = Prepare(t, name, current, change, statusWrite, ctx);
            if (prepared.Next is null)
            {
                result = prepared.Result; // a no-op or a dry run: nothing to commit
                break;
            }
            using (Enter(StoreOp.Mutate))
            {
                if (ReferenceEquals(Bucket(t.StorageKey).GetValueOrDefault(key), current))
                {
                    result = Commit(t, ns, name, prepared.Next, prepared.Type, current);
                }
                else
                {
                    Interlocked.Increment(ref _mutationRetries);
                }
            }
        }
        if (result is null)
        {
            using (Enter(StoreOp.Mutate))
            {
                var current = Bucket(t.StorageKey).GetValueOrDefault(key) ?? throw ApiException.NotFound(t, name);
                baseVersion = current.ResourceVersion;
                var prepared = Prepare(t, name, current, change, statusWrite, ctx);
                result = prepared.Next is null ? prepared.Result! : Commit(t, ns, name, prepared.Next, prepared.Type, current);
            }
        }
        RaiseCommitted(t.StorageKey);
        if (!ContainsLocked(t, ns, name))
        {
            RaiseDeleting(t.StorageKey); // the last finalizer went: dependents may now be orphans
        }
        return result;
    }

    private bool ContainsLocked(ResourceType t, string? ns, string name)
    {
        using (Enter(StoreOp.Read))
        {
            return Bucket(t.StorageKey).ContainsKey(KeyOf(ns, name));
        }
    }

    /// <summary>
    /// Works out the write from <paramref name="current"/>, down to the serialized draft to commit; touches no store
    /// state, so it needs no lock.
    /// </summary>
    private PreparedUpdate Prepare(ResourceType t, string name, StoredObject current, Func<JsonObject, JsonObject> change, bool statusWrite, WriteContext ctx)
    {
        // Both copies are private and die young. A clone taken before either is read shares the parsed document
        // (immutable) and builds its own nodes only as they are touched, so this is one parse, not two.
        var old = current.Parse();
        var incoming = change(old.DeepClone().AsObject());
        var bodyName = Meta.Name(incoming);
        if (bodyName.Length > 0 && bodyName != name)
        {
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }
        var rv = Meta.ResourceVersion(incoming);
        if (!string.IsNullOrEmpty(rv) && rv != current.ResourceVersionText)
        {
            throw ApiException.Conflict(t, name);
        }
        var next = statusWrite ? StatusOnly(old, incoming) : MainOnly(t, old, incoming);
        next["apiVersion"] = old["apiVersion"]?.DeepClone();
        next["kind"] = t.Kind;
        Admission?.Admit(t, old, next, statusWrite, ctx);
        var generation = Meta.Long(old["metadata"]?["generation"]) ?? 1;
        if (!statusWrite && SpecChanged(t, old, next))
        {
            generation++;
        }
        Meta.Of(next)["generation"] = generation;
        Meta.Of(next)["resourceVersion"] = Meta.ResourceVersion(old);
        if (Unchanged(old, next, statusWrite))
        {
            return new PreparedUpdate(null, "", current); // a no-op write does not bump the resourceVersion, as in the API server
        }
        if (ctx.DryRun)
        {
            return new PreparedUpdate(null, "", Draft(t, next, current).Commit(current.ResourceVersion));
        }
        var finalizersCleared = Meta.IsDeleting(next) && Meta.Finalizers(next).Count == 0 && Meta.Finalizers(old).Count > 0;
        return new PreparedUpdate(Draft(t, next, current), finalizersCleared ? "DELETED" : "MODIFIED", null);
    }

    /// <summary>
    /// A status write keeps everything but the status of the stored object: a copy of it (the clone of a fresh parse
    /// shares the parsed document, so only what is touched is built) with the request's status, moved over from the
    /// request's private copy rather than copied.
    /// </summary>
    private static JsonObject StatusOnly(JsonObject old, JsonObject incoming)
    {
        var next = old.DeepClone().AsObject();
        next.Remove("status");
        if (incoming["status"] is { } status)
        {
            incoming.Remove("status");
            next["status"] = status;
        }
        return next;
    }

    /// <summary>
    /// Whether a write changes nothing, as <see cref="JsonNode.DeepEquals"/> says, looking first at the part the write
    /// most likely changes (the status of a status write, the spec of any other): a real change is then found without
    /// building both objects whole, which a comparison of everything does.
    /// </summary>
    private static bool Unchanged(JsonObject old, JsonObject next, bool statusWrite)
    {
        var likely = statusWrite ? "status" : "spec";
        return old.Count == next.Count && JsonNode.DeepEquals(old[likely], next[likely]) && JsonNode.DeepEquals(old, next);
    }

    /// <summary>Whether two objects have the same properties with equal values, ignoring the named ones.</summary>
    private static bool SameExcept(JsonObject a, JsonObject b, params ReadOnlySpan<string> ignored)
    {
        static bool Ignored(string key, ReadOnlySpan<string> ignored)
        {
            foreach (var name in ignored)
            {
                if (key == name)
                {
                    return true;
                }
            }
            return false;
        }
        foreach (var (key, value) in a)
        {
            if (!Ignored(key, ignored) && (!b.TryGetPropertyValue(key, out var other) || !JsonNode.DeepEquals(value, other)))
            {
                return false;
            }
        }
        foreach (var (key, _) in b)
        {
            if (!Ignored(key, ignored) && !a.ContainsKey(key))
            {
                return false;
            }
        }
        return true;
    }

    private static JsonObject MainOnly(ResourceType t, JsonObject old, JsonObject incoming)
    {
        var next = incoming;
        var meta = Meta.Of(next);
        var oldMeta = old["metadata"]!.AsObject();
        foreach (var field in new[] { "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "namespace", "name", "generateName" })
        {
            meta.Remove(field);
            if (oldMeta[field] is { } value)
            {
                meta[field] = value.DeepClone();
            }
        }
        meta.Remove("managedFields");
        if (t.HasStatus)
        {
            next.Remove("status");
            if (old["status"] is { } status)
            {
                next["status"] = status.DeepClone();
            }
        }
        return next;
    }

    /// <summary>Generation moves on spec changes (everything but metadata and, with a status subresource, status).</summary>
    private static bool SpecChanged(ResourceType t, JsonObject old, JsonObject next) =>
        t.HasStatus ? !SameExcept(old, next, "metadata", "apiVersion", "kind", "status") : !SameExcept(old, next, "metadata", "apiVersion", "kind");
}
