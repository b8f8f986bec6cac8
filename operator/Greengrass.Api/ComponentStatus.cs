using k8s.Models;

namespace Greengrass.Api;

/// <summary>What the operator observed about a component version.</summary>
public sealed class ComponentStatus
{
    /// <summary>The metadata.generation this status describes.</summary>
    public long? ObservedGeneration { get; set; }

    /// <summary>Ready (recipe valid, artifact digests known), Reconciling and Stalled.</summary>
    [CrdListMap("type")]
    public IList<V1Condition>? Conditions { get; set; }

    /// <summary>Names of the Deployments in this namespace that use this component version.</summary>
    public IList<string>? UsedBy { get; set; }

    /// <summary>Digests of the artifacts, as the operator verified or computed them.</summary>
    [CrdListMap("uri")]
    public IList<ArtifactDigest>? Artifacts { get; set; }
}

/// <summary>The verified digest of one artifact.</summary>
public sealed class ArtifactDigest
{
    /// <summary>URI of the artifact, as in the recipe.</summary>
    public string Uri { get; set; } = "";

    /// <summary>Hash algorithm, such as SHA-256.</summary>
    public string? Algorithm { get; set; }

    /// <summary>Standard Base64 of the hash.</summary>
    public string? Digest { get; set; }

    /// <summary>Size of the artifact in bytes, when known.</summary>
    public long? Size { get; set; }
}
