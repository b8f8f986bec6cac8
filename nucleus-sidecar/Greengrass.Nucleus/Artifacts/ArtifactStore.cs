using Greengrass.Nucleus.Storage;
using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Artifacts;

/// <summary>
/// Prepares a component version's artifacts under the nucleus root: fetches each into
/// <c>packages/artifacts/&lt;name&gt;/&lt;version&gt;/&lt;file&gt;</c> (temporary file, digest check, rename), unpacks ZIPs into
/// <c>packages/artifacts-unarchived/&lt;name&gt;/&lt;version&gt;/&lt;base&gt;/</c>, applies the recipe permissions, and remembers
/// what it verified (keyed by component, version, URI and digest) so an artifact already on disk is not fetched again.
/// </summary>
internal sealed partial class ArtifactStore(NucleusPaths paths, HttpClient http, TimeProvider time, ILogger<ArtifactStore> logger, Aws.AwsSettings? aws = null)
{
    /// <summary>Artifact folders are read-only: r-x for everybody, so dependencies can reach ALL-readable artifacts.</summary>
    public const UnixFileMode ReadOnlyFolderMode =
        UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private readonly ArtifactDownloader _downloader = new(http, time, aws);
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>
    /// Prepares every artifact of <paramref name="componentName"/>@<paramref name="version"/>, in order.
    /// </summary>
    /// <exception cref="ArtifactException">An artifact cannot be prepared; the message names it and says why.</exception>
    public async Task<IReadOnlyList<PreparedArtifact>> PrepareAsync(
        string componentName, string version, IReadOnlyList<ArtifactSpec> artifacts, CancellationToken ct)
    {
        var names = artifacts.Select(a => FileNameOf(a.Uri, $"{componentName}@{version}")).ToList();
        var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArtifactException(ArtifactErrorCodes.InvalidArtifact,
                $"{componentName}@{version}: two artifacts are named '{duplicate.Key}'; artifact file names must be unique.");
        }

        // One preparation at a time: two deployments of one component version must not race on its folder.
        await _gate.WaitAsync(ct);
        try
        {
            var prepared = new List<PreparedArtifact>(artifacts.Count);
            for (var i = 0; i < artifacts.Count; i++)
            {
                prepared.Add(await PrepareOneAsync(componentName, version, artifacts[i], names[i], ct));
            }

            return prepared;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<PreparedArtifact> PrepareOneAsync(string componentName, string version, ArtifactSpec spec, string fileName, CancellationToken ct)
    {
        var artifactName = $"artifact {spec.Uri} of {componentName}@{version}";
        var uri = ArtifactDownloader.ParseSupported(spec.Uri, artifactName);
        var digest = ArtifactDigest.From(spec, artifactName);
        var folder = paths.ArtifactPath(componentName, version);
        var target = Path.Combine(folder, fileName);
        var permission = spec.Permission ?? ArtifactPermission.Default;
        var fromCache = await IsCachedAsync(componentName, version, fileName, spec, target, digest, ct);
        if (fromCache)
        {
            ArtifactLog.CacheHit(logger, artifactName);
        }
        else
        {
            await FetchAsync(uri, folder, target, digest, artifactName, ct);
            await RememberAsync(componentName, version, fileName, spec, target, ct);
        }

        SetMode(target, permission.FileMode());
        var unarchived = spec.Unarchive == UnarchiveMode.Zip
            ? Unarchive(componentName, version, target, permission, artifactName, refresh: !fromCache)
            : null;
        return new PreparedArtifact(spec, target, unarchived, fromCache);
    }

    private async Task FetchAsync(Uri uri, string folder, string target, ArtifactDigest? digest, string artifactName, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        SetMode(folder, ReadOnlyFolderMode | UnixFileMode.UserWrite);
        var temp = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.download");
        try
        {
            var actual = await _downloader.DownloadAsync(uri, temp, digest, artifactName, ct);
            if (digest is not null && !digest.Matches(actual!))
            {
                throw new ArtifactException(ArtifactErrorCodes.ChecksumMismatch,
                    $"{artifactName}: {digest.AlgorithmName} digest mismatch: expected {digest.ExpectedBase64}, actual {Convert.ToBase64String(actual!)}. The download was discarded.");
            }

            File.Move(temp, target, overwrite: true);
            AtomicFile.SyncDirectory(folder);
            var size = new FileInfo(target).Length;
            var source = uri.ToString();
            ArtifactLog.Downloaded(logger, artifactName, source, size, digest is null ? "not given, not verified" : "verified");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ArtifactException(ArtifactErrorCodes.IoError, $"{artifactName}: cannot write {target}: {ex.Message}", ex);
        }
        finally
        {
            File.Delete(temp);
            SetMode(folder, ReadOnlyFolderMode);
        }
    }

    private string? Unarchive(string componentName, string version, string archive, ArtifactPermission permission, string artifactName, bool refresh)
    {
        var destination = Path.Combine(paths.UnarchivedArtifactPath(componentName, version), Path.GetFileNameWithoutExtension(archive));
        if (!refresh && Directory.Exists(destination))
        {
            return destination;
        }

        try
        {
            ZipUnarchiver.Unarchive(archive, destination, permission, artifactName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ArtifactException(ArtifactErrorCodes.UnarchiveError, $"{artifactName}: cannot unarchive into {destination}: {ex.Message}", ex);
        }

        ArtifactLog.Unarchived(logger, artifactName, destination);
        return destination;
    }

    /// <summary>The file name an artifact gets on disk: the last segment of its URI path.</summary>
    public static string FileNameOf(string uri, string owner)
    {
        var path = Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && !string.IsNullOrEmpty(parsed.AbsolutePath) && parsed.AbsolutePath != "/"
            ? Uri.UnescapeDataString(parsed.AbsolutePath)
            : uri;
        var name = path.TrimEnd('/').Split('/', ':').LastOrDefault() ?? "";
        try
        {
            return NucleusPaths.SafeSegment(name);
        }
        catch (ArgumentException)
        {
            throw new ArtifactException(ArtifactErrorCodes.InvalidArtifact, $"artifact {uri} of {owner}: the URI does not end in a usable file name.");
        }
    }

    private static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }
}
