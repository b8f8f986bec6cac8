using System.Text.Json.Nodes;

namespace Greengrass.EdgeCluster.Resources;

/// <summary>
/// Every served (group, version, resource): the built-in kinds plus whatever the stored
/// CustomResourceDefinitions declare. Readers take a snapshot, so a CRD change never tears a request.
/// </summary>
internal sealed class ResourceRegistry
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<ResourceType>> _custom = new(StringComparer.Ordinal);
    private volatile IReadOnlyList<ResourceType> _all = BuiltInTypes.All;

    public IReadOnlyList<ResourceType> All => _all;

    public ResourceType? Find(string group, string version, string resource) =>
        _all.FirstOrDefault(t => t.Group == group && t.Version == version && t.Resource == resource);

    public ResourceType? FindByKind(string apiVersion, string kind) =>
        _all.FirstOrDefault(t => t.ApiVersion == apiVersion && t.Kind == kind);

    public ResourceType Crds => Find("apiextensions.k8s.io", "v1", "customresourcedefinitions")!;

    /// <summary>All served versions of one storage bucket (group/resource).</summary>
    public IEnumerable<ResourceType> ByStorageKey(string storageKey) => _all.Where(t => t.StorageKey == storageKey);

    /// <summary>Serves (or stops serving) the resources a CRD declares; called after every CRD write. A CRD being deleted keeps serving until its instances are gone.</summary>
    public void ApplyCrd(string crdName, JsonObject? crd)
    {
        lock (_gate)
        {
            _custom.Remove(crdName);
            if (crd is not null)
            {
                _custom[crdName] = CrdTypes.FromCrd(crd);
            }
            _all = [.. BuiltInTypes.All, .. _custom.Values.SelectMany(v => v)];
        }
    }
}
