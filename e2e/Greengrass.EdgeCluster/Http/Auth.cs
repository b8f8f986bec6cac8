using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Greengrass.EdgeCluster.Store;
using Microsoft.AspNetCore.Http;

namespace Greengrass.EdgeCluster.Http;

/// <summary>Who made a request: the cluster admin or a service account.</summary>
internal sealed record UserInfo(string Name, bool IsAdmin, string? ServiceAccountNamespace = null, string? ServiceAccountName = null);

/// <summary>Issues and checks service-account bearer tokens (TokenRequest and projected token volumes).</summary>
internal sealed class TokenAuthority(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (string Ns, string Name, DateTimeOffset Expires)> _tokens = new(StringComparer.Ordinal);

    public (string Token, DateTimeOffset Expires) Issue(string ns, string serviceAccount, TimeSpan lifetime)
    {
        var token = "sa." + Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        var expires = time.GetUtcNow() + lifetime;
        _tokens[token] = (ns, serviceAccount, expires);
        return (token, expires);
    }

    public UserInfo? Validate(string token) =>
        _tokens.TryGetValue(token, out var t) && t.Expires > time.GetUtcNow()
            ? new UserInfo($"system:serviceaccount:{t.Ns}:{t.Name}", false, t.Ns, t.Name)
            : null;
}

/// <summary>Bearer-token authentication and, when enabled, RBAC authorization of service accounts.</summary>
internal sealed class Authenticator(string adminToken, bool rbac, TokenAuthority tokens, ResourceStore store)
{
    private static readonly HashSet<string> PublicPaths = ["/version", "/healthz", "/livez", "/readyz"];

    // Roles and bindings are few and read on every service-account request: each committed version is parsed once,
    // and its parse goes when the store lets go of that version.
    private readonly ConditionalWeakTable<StoredObject, JsonObject> _parsed = new();

    public UserInfo Authenticate(HttpContext http)
    {
        var header = (string?)http.Request.Headers.Authorization ?? "";
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
        if (token is not null && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(token), System.Text.Encoding.UTF8.GetBytes(adminToken)))
        {
            return new UserInfo("admin", true);
        }
        if (token is not null && tokens.Validate(token) is { } user)
        {
            return user;
        }
        if (PublicPaths.Contains(http.Request.Path.Value ?? ""))
        {
            return new UserInfo("system:anonymous", false);
        }
        throw new ApiException(401, "Unauthorized", "Unauthorized");
    }

    public void Authorize(UserInfo user, string verb, ApiPath path, string? pinnedName = null)
    {
        if (user.IsAdmin || !rbac || user.ServiceAccountName is null)
        {
            if (!user.IsAdmin && user.ServiceAccountName is null)
            {
                throw Denied(user, verb, path);
            }
            return;
        }
        var resource = path.Subresource is null ? path.Type.Resource : $"{path.Type.Resource}/{path.Subresource}";
        var name = path.Name ?? pinnedName;
        foreach (var rules in RulesFor(user, path.Namespace))
        {
            if (rules.Any(r => RuleAllows(r, verb, path.Type.Group, resource, name)))
            {
                return;
            }
        }
        throw Denied(user, verb, path);
    }

    private static ApiException Denied(UserInfo user, string verb, ApiPath path)
    {
        var subject = path.Name is null ? path.Type.QualifiedResource : $"{path.Type.QualifiedResource} \"{path.Name}\"";
        var where = path.Namespace is null ? "at the cluster scope" : $"in the namespace \"{path.Namespace}\"";
        var resource = path.Subresource is null ? path.Type.Resource : $"{path.Type.Resource}/{path.Subresource}";
        return ApiException.Forbidden($"{subject} is forbidden: User \"{user.Name}\" cannot {verb} resource \"{resource}\" in API group \"{path.Type.Group}\" {where}");
    }

    private IEnumerable<JsonArray> RulesFor(UserInfo user, string? ns)
    {
        foreach (var binding in store.Snapshot("rbac.authorization.k8s.io/clusterrolebindings"))
        {
            if (Binds(Parsed(binding), user, null) && Role("clusterroles", null, Parsed(binding)) is { } rules)
            {
                yield return rules;
            }
        }
        if (ns is null)
        {
            yield break;
        }
        foreach (var binding in store.Snapshot("rbac.authorization.k8s.io/rolebindings"))
        {
            if (binding.Namespace == ns && Binds(Parsed(binding), user, ns))
            {
                var kind = (string?)Parsed(binding)["roleRef"]?["kind"];
                if (Role(kind == "ClusterRole" ? "clusterroles" : "roles", kind == "ClusterRole" ? null : ns, Parsed(binding)) is { } rules)
                {
                    yield return rules;
                }
            }
        }
    }

    private static bool Binds(JsonObject binding, UserInfo user, string? bindingNs) =>
        (binding["subjects"]?.AsArray() ?? []).Any(s =>
            (string?)s?["kind"] == "ServiceAccount" && (string?)s["name"] == user.ServiceAccountName &&
            ((string?)s["namespace"] ?? bindingNs) == user.ServiceAccountNamespace);

    private JsonArray? Role(string resource, string? ns, JsonObject binding)
    {
        var name = (string?)binding["roleRef"]?["name"] ?? "";
        var role = store.Snapshot($"rbac.authorization.k8s.io/{resource}").FirstOrDefault(r => r.Name == name && r.Namespace == ns);
        return role is null ? null : Parsed(role)["rules"] as JsonArray;
    }

    // Read by several requests at once: materialized before it is shared.
    private JsonObject Parsed(StoredObject obj) => _parsed.GetValue(obj, static o => Meta.Materialized(o.Parse()));

    private static bool RuleAllows(JsonNode? rule, string verb, string group, string resource, string? name)
    {
        static bool Has(JsonNode? list, string value) => (list?.AsArray() ?? []).Any(v => (string?)v is { } s && (s == "*" || s == value));
        if (!Has(rule?["verbs"], verb) || !Has(rule?["apiGroups"], group) || !Has(rule?["resources"], resource))
        {
            return false;
        }
        var names = rule?["resourceNames"]?.AsArray();
        return names is null || names.Count == 0 || (name is not null && Has(names, name));
    }
}
