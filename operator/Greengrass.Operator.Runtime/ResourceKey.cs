namespace Greengrass.Operator.Runtime;

/// <summary>The identity a controller reconciles: a namespaced (or cluster-scoped, Namespace null) object name.</summary>
public readonly record struct ResourceKey(string? Namespace, string Name)
{
    /// <summary>Parses <c>namespace/name</c> or <c>name</c>.</summary>
    public static ResourceKey Parse(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? new ResourceKey(null, value) : new ResourceKey(value[..slash], value[(slash + 1)..]);
    }

    /// <inheritdoc />
    public override string ToString() => Namespace is null ? Name : $"{Namespace}/{Name}";
}
