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
