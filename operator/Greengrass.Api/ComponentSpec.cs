using System.Text.Json.Nodes;

namespace Greengrass.Api;

/// <summary>A Greengrass component recipe in camelCase: the same keys, the same meaning.</summary>
[CrdValidation("!has(self.componentSource) || (has(self.componentType) && self.componentType == 'aws.greengrass.lambda')", Message = "componentSource is only for components of type aws.greengrass.lambda", FieldPath = ".componentSource")]
public sealed class ComponentSpec
{
    /// <summary>Recipe format; Greengrass V2 defines only 2020-01-25.</summary>
    [CrdEnum(typeof(RecipeFormatVersions))]
    public string? RecipeFormatVersion { get; set; }

    /// <summary>Name of the component, such as com.example.HelloWorld. The aws.greengrass prefix is reserved for components AWS publishes.</summary>
    [CrdPattern(Patterns.ComponentName)]
    [CrdLength(Min = 1, Max = Patterns.ComponentNameMaxLength)]
    public string ComponentName { get; set; } = "";

    /// <summary>Version of the component: a semantic version, major.minor.patch each at most 999999.</summary>
    [CrdPattern(Patterns.SemanticVersion)]
    [CrdLength(Min = 1, Max = Patterns.SemanticVersionMaxLength)]
    public string ComponentVersion { get; set; } = "";

    /// <summary>How the nucleus runs the component; aws.greengrass.generic when absent.</summary>
    [CrdEnum(typeof(ComponentTypes))]
    public string? ComponentType { get; set; }

    /// <summary>ARN of the Lambda function a component of type aws.greengrass.lambda runs.</summary>
    [CrdPattern(Patterns.LambdaArn)]
    public string? ComponentSource { get; set; }

    /// <summary>Description of the component (recipe ComponentDescription).</summary>
    public string? Description { get; set; }

    /// <summary>Publisher of the component (recipe ComponentPublisher).</summary>
    public string? Publisher { get; set; }

    /// <summary>Configuration of the component (recipe ComponentConfiguration).</summary>
    public ComponentConfiguration? Configuration { get; set; }

    /// <summary>Components this one depends on, by component name (recipe ComponentDependencies).</summary>
    public IDictionary<string, ComponentDependency>? Dependencies { get; set; }

    /// <summary>Platform-specific parts of the recipe, in order of preference: the first manifest whose platform matches the device wins.</summary>
    [CrdLength(Min = 1)]
    public IList<ComponentManifest> Manifests { get; set; } = [];

    /// <summary>
    /// The global lifecycle, used when the chosen manifest has none. Free-form: its keys are lifecycle steps, and
    /// selection keys from the manifests may appear at any depth.
    /// </summary>
    [CrdPreserveUnknownFields]
    public JsonObject? Lifecycle { get; set; }
}

/// <summary>Configuration of a component.</summary>
public sealed class ComponentConfiguration
{
    /// <summary>Default configuration of the component: any JSON object, merged under each deployment's configuration update.</summary>
    [CrdPreserveUnknownFields]
    public JsonObject? DefaultConfiguration { get; set; }
}

/// <summary>A dependency on another component.</summary>
public sealed class ComponentDependency
{
    /// <summary>npm-style semantic version range the dependency must satisfy, such as ^1.1.0 or &gt;=1.0.0 &lt;2.0.0.</summary>
    [CrdLength(Min = 1)]
    public string VersionRequirement { get; set; } = "";

    /// <summary>HARD (the default) gates start-up and couples restarts; SOFT only installs and resolves.</summary>
    [CrdEnum(typeof(DependencyTypes))]
    public string? DependencyType { get; set; }
}

/// <summary>The part of a recipe for one kind of platform.</summary>
public sealed class ComponentManifest
{
    /// <summary>
    /// Platform attributes the device must have, such as os: linux and architecture: aarch64. A value is an exact
    /// string, * for any, or /regex/. An empty platform matches every device.
    /// </summary>
    public IDictionary<string, string>? Platform { get; set; }

    /// <summary>Name of the manifest, for humans.</summary>
    public string? Name { get; set; }

    /// <summary>Lifecycle of the component on this platform; when present the global lifecycle is ignored. Free-form: its keys are lifecycle steps.</summary>
    [CrdPreserveUnknownFields]
    public JsonObject? Lifecycle { get; set; }

    /// <summary>Selection keys that pick branches of the global lifecycle, in priority order; "all" is the implicit last one.</summary>
    public IList<string>? Selections { get; set; }

    /// <summary>Files the component needs on this platform.</summary>
    public IList<ComponentArtifact>? Artifacts { get; set; }
}

/// <summary>A file a component needs: downloaded (and maybe unpacked) before install.</summary>
public sealed class ComponentArtifact
{
    /// <summary>Where the artifact is: s3://bucket/key, greengrass:id, docker:image, or a URI whose file name names a local artifact.</summary>
    [CrdLength(Min = 1)]
    public string Uri { get; set; } = "";

    /// <summary>Standard Base64 of the artifact's hash; the nucleus checks downloads against it.</summary>
    public string? Digest { get; set; }

    /// <summary>Hash algorithm of the digest, such as SHA-256.</summary>
    public string? Algorithm { get; set; }

    /// <summary>NONE (the default) keeps the file; ZIP extracts it.</summary>
    [CrdEnum(typeof(UnarchiveModes))]
    public string? Unarchive { get; set; }

    /// <summary>Who may read and execute the artifact on the device.</summary>
    public ArtifactPermission? Permission { get; set; }
}

/// <summary>File permissions of an artifact on the device.</summary>
public sealed class ArtifactPermission
{
    /// <summary>Who may read the artifact: NONE, OWNER (the default) or ALL.</summary>
    [CrdEnum(typeof(ArtifactPermissions))]
    public string? Read { get; set; }

    /// <summary>Who may execute the artifact: NONE (the default), OWNER or ALL. Execute implies read.</summary>
    [CrdEnum(typeof(ArtifactPermissions))]
    public string? Execute { get; set; }
}
