namespace Greengrass.Operator.Runtime.Cache;

/// <summary>Where a kind of resource lives in the API: group, version, plural, and whether it is namespaced.</summary>
public sealed record ResourceType(string Group, string Version, string Plural, bool Namespaced)
{
    /// <summary>The collection path, across all namespaces when <paramref name="ns"/> is null.</summary>
    public string CollectionPath(string? ns = null)
    {
        var root = Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";
        return Namespaced && ns is not null ? $"{root}/namespaces/{Uri.EscapeDataString(ns)}/{Plural}" : $"{root}/{Plural}";
    }
}
