namespace Greengrass.Model.Recipes;

/// <summary>One artifact of a manifest.</summary>
public sealed record ComponentArtifact
{
    /// <summary>Artifact URI; its scheme is <c>s3</c>, <c>greengrass</c> or <c>docker</c>.</summary>
    public required string Uri { get; init; }

    /// <summary>Standard Base64 of the raw hash bytes, when known.</summary>
    public string? Digest { get; init; }

    /// <summary>Digest algorithm (a Java <c>MessageDigest</c> name such as <c>SHA-256</c>), when known.</summary>
    public string? Algorithm { get; init; }

    /// <summary>Unarchive mode as written; <see langword="null"/> means <see cref="UnarchiveType.None"/>.</summary>
    public UnarchiveType? Unarchive { get; init; }

    /// <summary>File permissions as written; <see langword="null"/> means the defaults.</summary>
    public ArtifactPermission? Permission { get; init; }

    /// <summary>The URI scheme in lower case (<c>s3</c>, <c>greengrass</c>, <c>docker</c>).</summary>
    public string Scheme => ArtifactUris.SchemeOf(Uri) ?? string.Empty;

    /// <summary>The unarchive mode with the default applied.</summary>
    public UnarchiveType EffectiveUnarchive => Unarchive ?? UnarchiveType.None;

    /// <summary>Read permission with the default applied (<c>OWNER</c>); execute access implies read access.</summary>
    public PermissionLevel EffectiveRead
    {
        get
        {
            var read = Permission?.Read ?? PermissionLevel.Owner;
            return (PermissionLevel)Math.Max((int)read, (int)EffectiveExecute);
        }
    }

    /// <summary>Execute permission with the default applied (<c>NONE</c>).</summary>
    public PermissionLevel EffectiveExecute => Permission?.Execute ?? PermissionLevel.None;
}

/// <summary>The <c>Permission</c> object of an artifact.</summary>
public sealed record ArtifactPermission
{
    /// <summary>Who may read the file, as written.</summary>
    public PermissionLevel? Read { get; init; }

    /// <summary>Who may execute the file, as written.</summary>
    public PermissionLevel? Execute { get; init; }
}

/// <summary>Artifact file access level, ordered from least to most open.</summary>
public enum PermissionLevel
{
    /// <summary><c>NONE</c>.</summary>
    None,

    /// <summary><c>OWNER</c>: the component's user.</summary>
    Owner,

    /// <summary><c>ALL</c>: every user, needed when another component reads the artifact.</summary>
    All,
}

/// <summary>How an artifact is unpacked after download.</summary>
public enum UnarchiveType
{
    /// <summary><c>NONE</c>: kept as downloaded.</summary>
    None,

    /// <summary><c>ZIP</c>: extracted to the decompressed path, in a folder named after the file.</summary>
    Zip,
}

/// <summary>Helpers about artifact URIs.</summary>
public static class ArtifactUris
{
    /// <summary>URI schemes Greengrass can fetch.</summary>
    /// <remarks>
    /// Greengrass accepts s3, greengrass and docker. This system also accepts file, http and https, where a
    /// cluster keeps its artifacts (an in-cluster artifact server, or local files for standalone development);
    /// the nucleus fetches those and refuses s3, greengrass and docker with a clear error until they are supported.
    /// </remarks>
    public static IReadOnlyList<string> SupportedSchemes { get; } = ["s3", "greengrass", "docker", "file", "http", "https"];

    /// <summary>The scheme of <paramref name="uri"/> in lower case, or <see langword="null"/> when it has none.</summary>
    public static string? SchemeOf(string uri)
    {
        var colon = uri.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0 ? null : uri[..colon].ToLowerInvariant();
    }

    /// <summary>
    /// The file name an artifact lands under (the last path segment), or <see langword="null"/> for
    /// <c>docker:</c> images, which are pulled rather than stored as files.
    /// </summary>
    public static string? FileNameOf(string uri)
    {
        var scheme = SchemeOf(uri);
        if (scheme == "docker")
        {
            return null;
        }

        var rest = scheme is null ? uri : uri[(scheme.Length + 1)..];
        var slash = rest.LastIndexOf('/');
        return slash < 0 ? rest : rest[(slash + 1)..];
    }
}
