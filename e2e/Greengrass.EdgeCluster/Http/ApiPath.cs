using Greengrass.EdgeCluster.Resources;
using Greengrass.EdgeCluster.Store;

namespace Greengrass.EdgeCluster.Http;

/// <summary>A parsed resource URL: <c>/api/v1/namespaces/{ns}/pods/{name}/status</c> and its cousins.</summary>
internal sealed record ApiPath(ResourceType Type, string? Namespace, string? Name, string? Subresource)
{
    /// <summary>Parses the segments after <c>/api/v1</c> or <c>/apis/{group}/{version}</c>; null when no resource matches.</summary>
    public static ApiPath? Parse(ResourceRegistry registry, string group, string version, string[] rest)
    {
        ResourceType? Find(string resource) => registry.Find(group, version, resource);

        if (rest.Length >= 3 && rest[0] == "namespaces" && group.Length == 0 && rest.Length == 3 && rest[2] is "status" or "finalize")
        {
            return Find("namespaces") is { } nsType ? new ApiPath(nsType, null, rest[1], rest[2]) : null;
        }
        if (rest.Length >= 3 && rest[0] == "namespaces" && rest.Length <= 5)
        {
            var t = Find(rest[2]);
            if (t is null || !t.Namespaced)
            {
                return null;
            }
            return new ApiPath(t, rest[1], rest.Length > 3 ? rest[3] : null, rest.Length > 4 ? rest[4] : null);
        }
        if (rest.Length is >= 1 and <= 3 && Find(rest[0]) is { } type)
        {
            return new ApiPath(type, null, rest.Length > 1 ? rest[1] : null, rest.Length > 2 ? rest[2] : null);
        }
        return null;
    }

    public void CheckSubresource()
    {
        if (Subresource is not null && !Type.Subresources.Contains(Subresource))
        {
            throw new ApiException(404, "NotFound", $"the server could not find the requested resource ({Type.QualifiedResource}/{Subresource})");
        }
    }
}
