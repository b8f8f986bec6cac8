using System.Text.Json.Nodes;

namespace Greengrass.Nucleus.Contracts;

/// <summary>One resolved component version as the nucleus must run it.</summary>
public sealed record PlannedComponent
{
    /// <summary>Component name, for example <c>com.example.HelloWorld</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Exact resolved version.</summary>
    public required string Version { get; init; }

    /// <summary>Kind of component; default generic.</summary>
    public ComponentType ComponentType { get; set; } = ComponentType.Generic;

    /// <summary>Lifecycle steps of the manifest selected for the device's platform, already interpolated.</summary>
    public LifecycleDefinition Lifecycle { get; set; } = new();

    /// <summary>Artifacts to download before Install.</summary>
    public IReadOnlyList<PlannedArtifact> Artifacts { get; set; } = [];

    /// <summary>The component's configuration after defaults, reset and merge were applied.</summary>
    public JsonObject Configuration { get; set; } = [];

    /// <summary>Direct dependencies; every name must also be a component of the plan.</summary>
    public IReadOnlyList<PlannedDependency> Dependencies { get; set; } = [];

    /// <summary>User and resource limits to run the lifecycle steps with; null uses the nucleus defaults.</summary>
    public RunWith? RunWith { get; init; }

    /// <summary>
    /// Digest of the recipe as resolved (for example <c>sha256:…</c>); a different digest for the same version
    /// means the recipe changed and the component is reinstalled.
    /// </summary>
    public string? RecipeDigest { get; init; }
}

/// <summary>A dependency of a planned component.</summary>
public sealed record PlannedDependency
{
    /// <summary>Name of the component depended on.</summary>
    public required string Name { get; init; }

    /// <summary>HARD (default) or SOFT.</summary>
    public DependencyType Type { get; set; } = DependencyType.Hard;
}

/// <summary>An artifact of a planned component (GREENGRASS.md §1.6).</summary>
public sealed record PlannedArtifact
{
    /// <summary>Where to fetch it (<c>s3://</c>, <c>https://</c>, <c>greengrass:</c>, <c>docker:</c>).</summary>
    public required string Uri { get; init; }

    /// <summary>Base64 digest of the file, checked after download; null when the scheme carries none (docker).</summary>
    public string? Digest { get; init; }

    /// <summary>Digest algorithm, for example <c>SHA-256</c>.</summary>
    public string? Algorithm { get; init; }

    /// <summary>Whether to unpack the file; default none.</summary>
    public ArtifactUnarchive Unarchive { get; set; } = ArtifactUnarchive.None;

    /// <summary>File permissions; default readable by the owner, not executable.</summary>
    public ArtifactPermission Permission { get; set; } = new();
}

/// <summary>Read and execute permissions of an artifact file.</summary>
public sealed record ArtifactPermission
{
    /// <summary>Who may read the file; default owner.</summary>
    public ArtifactAccess Read { get; set; } = ArtifactAccess.Owner;

    /// <summary>Who may execute the file; default none.</summary>
    public ArtifactAccess Execute { get; set; } = ArtifactAccess.None;
}

/// <summary>The user and limits a component's steps run with (GREENGRASS.md §2.7).</summary>
public sealed record RunWith
{
    /// <summary><c>user</c> or <c>user:group</c>; null uses the nucleus default user.</summary>
    public string? PosixUser { get; init; }

    /// <summary>CPU and memory limits; null means none beyond the nucleus defaults.</summary>
    public SystemResourceLimits? SystemResourceLimits { get; init; }
}

/// <summary>Resource limits applied live, without restarting the component.</summary>
public sealed record SystemResourceLimits
{
    /// <summary>Share of the device's cores, for example 0.5; null means unlimited.</summary>
    public double? Cpus { get; init; }

    /// <summary>Memory limit in kilobytes; null means unlimited.</summary>
    public long? Memory { get; init; }
}
