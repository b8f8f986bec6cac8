namespace Greengrass.Nucleus.Artifacts;

internal enum UnarchiveMode
{
    None,
    Zip,
}

internal enum PermissionScope
{
    None,
    Owner,
    All,
}

/// <summary>Recipe <c>Permission</c>: Read defaults to OWNER, Execute to NONE; Execute implies Read.</summary>
internal sealed record ArtifactPermission(PermissionScope Read = PermissionScope.Owner, PermissionScope Execute = PermissionScope.None)
{
    public static readonly ArtifactPermission Default = new();

    /// <summary>The POSIX mode of an artifact file: read-only for everybody it applies to, never writable.</summary>
    public UnixFileMode FileMode()
    {
        var mode = UnixFileMode.None;
        var read = Execute > Read ? Execute : Read;
        if (read >= PermissionScope.Owner)
        {
            mode |= UnixFileMode.UserRead;
        }

        if (read == PermissionScope.All)
        {
            mode |= UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        }

        if (Execute >= PermissionScope.Owner)
        {
            mode |= UnixFileMode.UserExecute;
        }

        if (Execute == PermissionScope.All)
        {
            mode |= UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        }

        return mode;
    }
}

/// <summary>One entry of a recipe manifest's <c>Artifacts</c> list (§1.6).</summary>
internal sealed record ArtifactSpec(
    string Uri,
    string? Digest = null,
    string? Algorithm = null,
    UnarchiveMode Unarchive = UnarchiveMode.None,
    ArtifactPermission? Permission = null);

/// <summary>An artifact ready on disk: the file, and for a ZIP the folder it was unpacked into.</summary>
internal sealed record PreparedArtifact(ArtifactSpec Spec, string FilePath, string? UnarchivedPath, bool FromCache);

/// <summary>
/// A component's artifact cannot be prepared. <see cref="Code"/> uses the Greengrass status codes
/// (ARTIFACT_CHECKSUM_MISMATCH, UNSUPPORTED_ARTIFACT_SCHEME, …); the message names the artifact.
/// </summary>
internal sealed class ArtifactException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Code { get; } = code;
}

internal static class ArtifactErrorCodes
{
    public const string UnsupportedScheme = "UNSUPPORTED_ARTIFACT_SCHEME";
    public const string ChecksumMismatch = "ARTIFACT_CHECKSUM_MISMATCH";
    public const string DownloadError = "ARTIFACT_DOWNLOAD_ERROR";
    public const string NotFound = "ARTIFACT_NOT_FOUND";
    public const string InvalidArtifact = "INVALID_ARTIFACT";
    public const string UnarchiveError = "ARTIFACT_UNARCHIVE_ERROR";
    public const string IoError = "ARTIFACT_IO_ERROR";
    public const string S3UriNotValid = "S3_ARTIFACT_URI_NOT_VALID";
    public const string S3AccessDenied = "S3_GET_OBJECT_ACCESS_DENIED";
    public const string S3NotFound = "S3_GET_OBJECT_RESOURCE_NOT_FOUND";
    public const string S3BadRequest = "S3_BAD_REQUEST";
    public const string S3ServerError = "S3_SERVER_ERROR";

    /// <summary>The device lacks what a download needs (AWS credentials or region for an s3:// artifact).</summary>
    public const string DeviceConfigNotValid = "DEVICE_CONFIG_NOT_VALID_FOR_ARTIFACT_DOWNLOAD";
}
