using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Greengrass.EdgeCluster.Resources;

namespace Greengrass.EdgeCluster.Store;

internal sealed partial class ResourceStore
{
    private const string NameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>Names that <c>generateName</c> draws again when the one drawn is taken, as the API server retries.</summary>
    private const int GenerateNameAttempts = 8;

    /// <summary>
    /// Creates an object. Defaulting, admission and serialization happen before the store lock is taken; under it the
    /// create checks again that its namespace accepts content, checks that the name is free, and commits. A name drawn
    /// from <c>generateName</c> that turns out to be taken is drawn again. The order of the answers is the API
    /// server's: a missing or terminating namespace (its lifecycle admission) before an invalid object, an invalid
    /// object before a taken name.
    /// </summary>
    public StoredObject Create(ResourceType t, string? ns, JsonObject obj, WriteContext ctx)
    {
        PrepareCreate(t, ns, obj);
        if (t.Namespaced)
        {
            using (Enter(StoreOp.Read))
            {
                EnsureNamespaceAcceptsContent(ns!);
            }
        }
        var generated = AssignName(t, obj);
        Admission?.Admit(t, null, obj, false, ctx);
        for (var attempt = 1; ; attempt++)
        {
            if (CommitCreate(t, ns, obj, ctx) is { } result)
            {
                if (!ctx.DryRun)
                {
                    RaiseCommitted(t.StorageKey);
                }
                return result;
            }
            if (!generated || attempt == GenerateNameAttempts)
            {
                throw ApiException.AlreadyExists(t, Meta.Name(obj));
            }
            Meta.Of(obj)["name"] = GenerateName(Meta.Str(Meta.Of(obj)["generateName"])!);
        }
    }

    /// <summary>The part of a create that needs the lock, after its draft is made: null when the name is taken.</summary>
    private StoredObject? CommitCreate(ResourceType t, string? ns, JsonObject obj, WriteContext ctx)
    {
        var name = Meta.Name(obj);
        var draft = Draft(t, obj, previous: null);
        using (Enter(StoreOp.Create))
        {
            if (t.Namespaced)
            {
                EnsureNamespaceAcceptsContent(ns!);
            }
            if (Bucket(t.StorageKey).ContainsKey(KeyOf(ns, name)))
            {
                return null;
            }
            if (ctx.DryRun)
            {
                Meta.Of(obj).Remove("resourceVersion");
                return StoredObject.From(obj, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(obj), _resourceVersion);
            }
            return Commit(t, ns, name, draft, "ADDED", null);
        }
    }

    /// <summary>Defaults the metadata of a new object; reads no store state, so it runs before the lock is taken.</summary>
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
        }
        else
        {
            meta.Remove("namespace");
        }
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

    /// <summary>Checks the name, drawing one from <c>generateName</c> when there is none; true when it was drawn.</summary>
    private static bool AssignName(ResourceType t, JsonObject obj)
    {
        var meta = Meta.Of(obj);
        var name = Meta.Name(obj);
        var generated = false;
        if (name.Length == 0 && Meta.Str(meta["generateName"]) is { Length: > 0 } prefix)
        {
            name = GenerateName(prefix);
            meta["name"] = name;
            generated = true;
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
        return generated;
    }

    private static string GenerateName(string prefix) =>
        prefix + new string([.. Enumerable.Range(0, 5).Select(_ => NameAlphabet[Random.Shared.Next(NameAlphabet.Length)])]);

    private void EnsureNamespaceAcceptsContent(string ns)
    {
        var nsObj = Bucket("/namespaces").GetValueOrDefault(KeyOf(null, ns)) ?? throw ApiException.NamespaceNotFound(ns);
        if (nsObj.IsDeleting)
        {
            throw ApiException.Forbidden($"unable to create new content in namespace {ns} because it is being terminated");
        }
    }

    private ApiException TooLarge(ResourceType t, JsonObject obj, int length) =>
        ApiException.TooLarge($"{t.QualifiedResource} \"{Meta.Name(obj)}\" is too large: {length} bytes exceeds the limit of {_options.MaxObjectBytes} bytes");

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();
}
