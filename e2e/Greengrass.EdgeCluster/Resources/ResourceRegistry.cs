using System.Text.Json.Nodes;

namespace Greengrass.EdgeCluster.Resources;

/// <summary>
/// Every served (group, version, resource): the built-in kinds plus whatever the stored
/// CustomResourceDefinitions declare. Readers take a snapshot, so a CRD change never tears a request.
/// </summary>
internal sealed class ResourceRegistry
{
    private static readonly ResourceType CrdType = BuiltInTypes.All.First(t => t.Group == "apiextensions.k8s.io" && t.Resource == "customresourcedefinitions");

    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<ResourceType>> _custom = new(StringComparer.Ordinal);
    private volatile Served _served = new(BuiltInTypes.All);

    public IReadOnlyList<ResourceType> All => _served.All;

    /// <summary>A lookup on every request and every controller write: a dictionary, not a scan of the served types.</summary>
    public ResourceType? Find(string group, string version, string resource) =>
        _served.ByResource.GetValueOrDefault((group, version, resource));

    public ResourceType? FindByKind(string apiVersion, string kind) =>
        _served.ByKind.GetValueOrDefault((apiVersion, kind));

    public ResourceType Crds => CrdType;

    /// <summary>All served versions of one storage bucket (group/resource).</summary>
    public IEnumerable<ResourceType> ByStorageKey(string storageKey) => _served.All.Where(t => t.StorageKey == storageKey);

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
            _served = new Served([.. BuiltInTypes.All, .. _custom.Values.SelectMany(v => v)]);
        }
    }

    /// <summary>The served types and their indexes, swapped whole so a reader never sees a half-applied CRD.</summary>
    private sealed class Served(IReadOnlyList<ResourceType> all)
    {
        public IReadOnlyList<ResourceType> All { get; } = all;

        // First wins, as the scan this replaces found the first match.
        public Dictionary<(string Group, string Version, string Resource), ResourceType> ByResource { get; } =
            all.DistinctBy(t => (t.Group, t.Version, t.Resource)).ToDictionary(t => (t.Group, t.Version, t.Resource));

        public Dictionary<(string ApiVersion, string Kind), ResourceType> ByKind { get; } =
            all.DistinctBy(t => (t.ApiVersion, t.Kind)).ToDictionary(t => (t.ApiVersion, t.Kind));
    }
}
