using System.Text.Json.Nodes;

namespace Greengrass.Model.Recipes;

/// <summary>One entry of a recipe's <c>Manifests</c> list: what to install and run on matching platforms.</summary>
public sealed record PlatformManifest
{
    /// <summary>
    /// Platform attribute templates (<c>os</c>, <c>architecture</c>, <c>architecture.detail</c>, any other key);
    /// absent or empty matches every device. A <see langword="null"/> value acts like <c>*</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string?>? Platform { get; init; }

    /// <summary>Manifest name, when present.</summary>
    public string? Name { get; init; }

    /// <summary>This manifest's lifecycle as a free-form tree; when non-empty it is used verbatim.</summary>
    public JsonObject? Lifecycle { get; init; }

    /// <summary>Selection keywords, in priority order, that filter the global lifecycle.</summary>
    public IReadOnlyList<string>? Selections { get; init; }

    /// <summary>Artifacts to download for this platform.</summary>
    public IReadOnlyList<ComponentArtifact>? Artifacts { get; init; }

    /// <inheritdoc/>
    public bool Equals(PlatformManifest? other) =>
        other is not null
        && Name == other.Name
        && StructuralEquality.MapEquals(Platform, other.Platform)
        && StructuralEquality.NodeEquals(Lifecycle, other.Lifecycle)
        && StructuralEquality.ListEquals(Selections, other.Selections)
        && StructuralEquality.ListEquals(Artifacts, other.Artifacts);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, Platform?.Count, Artifacts?.Count);
}
