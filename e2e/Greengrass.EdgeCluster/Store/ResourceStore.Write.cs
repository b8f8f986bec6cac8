using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Greengrass.EdgeCluster.Resources;

namespace Greengrass.EdgeCluster.Store;

internal sealed partial class ResourceStore
{
    private const string NameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    public StoredObject Create(ResourceType t, string? ns, JsonObject obj, WriteContext ctx)
    {
        StoredObject result;
        using (Enter(StoreOp.Create))
        {
            PrepareCreate(t, ns, obj);
            var name = Meta.Name(obj);
            if (Bucket(t.StorageKey).ContainsKey(KeyOf(ns, name)))
            {
                throw ApiException.AlreadyExists(t, name);
            }
            Admission?.Admit(t, null, obj, false, ctx);
            if (ctx.DryRun)
            {
                return StoredObject.From(obj, CheckSize(t, obj), _resourceVersion);
            }
            result = Commit(t, ns, name, obj, "ADDED", null, checkSize: true);
        }
        RaiseCommitted(t.StorageKey);
        return result;
    }

    public StoredObject Update(ResourceType t, string? ns, string name, JsonObject body, bool statusWrite, WriteContext ctx) =>
        Mutate(t, ns, name, _ => body, statusWrite, ctx);

    /// <summary>Read-modify-write under the lock: <paramref name="change"/> gets a private parse of the current object.</summary>
    public StoredObject Mutate(ResourceType t, string? ns, string name, Func<JsonObject, JsonObject> change, bool statusWrite, WriteContext ctx)
    {
        StoredObject result;
        using (Enter(StoreOp.Mutate))
        {
            var current = Bucket(t.StorageKey).GetValueOrDefault(KeyOf(ns, name)) ?? throw ApiException.NotFound(t, name);
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
            result = ApplyUpdate(t, ns, name, current, old, incoming, statusWrite, ctx);
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

    private StoredObject ApplyUpdate(ResourceType t, string? ns, string name, StoredObject current, JsonObject old, JsonObject incoming, bool statusWrite, WriteContext ctx)
    {
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
        if (JsonNode.DeepEquals(old, next))
        {
            return current; // a no-op write does not bump the resourceVersion, as in the API server
        }
        if (ctx.DryRun)
        {
            return StoredObject.From(next, CheckSize(t, next), current.ResourceVersion);
        }
        var finalizersCleared = Meta.IsDeleting(next) && Meta.Finalizers(next).Count == 0 && Meta.Finalizers(old).Count > 0;
        return Commit(t, ns, name, next, finalizersCleared ? "DELETED" : "MODIFIED", current, checkSize: true);
    }

    /// <summary>
    /// A status write keeps everything but the status of the stored object. <paramref name="incoming"/> is
    /// always the request's private copy, so when it differs from the stored object only in its status (the
    /// usual case: a controller read, changed the status and wrote back) it becomes the result as it is,
    /// instead of a fresh copy of the whole stored object.
    /// </summary>
    private static JsonObject StatusOnly(JsonObject old, JsonObject incoming)
    {
        if (SameExcept(old, incoming, "status"))
        {
            var keep = incoming["status"];
            incoming.Remove("status"); // detached, so it can move to the end without a copy
            if (keep is not null)
            {
                incoming["status"] = keep;
            }
            return incoming;
        }
        var next = old.DeepClone().AsObject();
        next.Remove("status");
        if (incoming["status"] is { } status)
        {
            next["status"] = status.DeepClone();
        }
        return next;
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

    private void PrepareCreate(ResourceType t, string? ns, JsonObject obj)
    {
        var meta = Meta.Of(obj);
        if (t.Namespaced)
        {
            var bodyNs = Meta.Namespace(obj);
            if (!string.IsNullOrEmpty(bodyNs) && bodyNs != ns)
            {
                throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }
            meta["namespace"] = ns;
            EnsureNamespaceAcceptsContent(ns!);
        }
        else
        {
            meta.Remove("namespace");
        }
        AssignName(t, ns, obj, meta);
        meta["uid"] = Guid.NewGuid().ToString();
        meta["creationTimestamp"] = Now();
        meta["generation"] = 1L;
        foreach (var field in new[] { "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "resourceVersion" })
        {
            meta.Remove(field);
        }
        obj["apiVersion"] = t.ApiVersion;
        obj["kind"] = t.Kind;
        if (t.HasStatus && t.IsCustom)
        {
            obj.Remove("status"); // status of a custom resource with a status subresource is written through /status only
        }
    }

    private void AssignName(ResourceType t, string? ns, JsonObject obj, JsonObject meta)
    {
        var name = Meta.Name(obj);
        if (name.Length == 0 && Meta.Str(meta["generateName"]) is { Length: > 0 } prefix)
        {
            do
            {
                name = prefix + new string([.. Enumerable.Range(0, 5).Select(_ => NameAlphabet[Random.Shared.Next(NameAlphabet.Length)])]);
            }
            while (Bucket(t.StorageKey).ContainsKey(KeyOf(ns, name)));
            meta["name"] = name;
        }
        if (name.Length == 0)
        {
            throw ApiException.Invalid(t, "", [new FieldError("metadata.name", "FieldValueRequired", "Required value: name or generateName is required")]);
        }
        var valid = t.Group == "rbac.authorization.k8s.io" ? !name.Contains('/') && name is not ("." or "..") : DnsSubdomain().IsMatch(name) && name.Length <= 253;
        if (!valid)
        {
            throw ApiException.Invalid(t, name, [FieldError.InvalidValue("metadata.name", JsonValue.Create(name),
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character")]);
        }
    }

    private void EnsureNamespaceAcceptsContent(string ns)
    {
        var nsObj = Bucket("/namespaces").GetValueOrDefault(KeyOf(null, ns)) ?? throw ApiException.NamespaceNotFound(ns);
        if (nsObj.IsDeleting)
        {
            throw ApiException.Forbidden($"unable to create new content in namespace {ns} because it is being terminated");
        }
    }

    private byte[] CheckSize(ResourceType t, JsonObject obj)
    {
        var bytes = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(obj);
        if (bytes.Length > _options.MaxObjectBytes)
        {
            throw ApiException.TooLarge($"{t.QualifiedResource} \"{Meta.Name(obj)}\" is too large: {bytes.Length} bytes exceeds the limit of {_options.MaxObjectBytes} bytes");
        }
        return bytes;
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();
}
