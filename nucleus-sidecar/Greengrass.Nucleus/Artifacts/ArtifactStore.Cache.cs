using Greengrass.Nucleus.Storage;

namespace Greengrass.Nucleus.Artifacts;

internal sealed partial class ArtifactStore
{
    private sealed record CacheEntry(string Uri, string? Algorithm, string? Digest, long Size, DateTimeOffset VerifiedAt);

    // Kept under state/, not beside the artifact: {artifacts:path} belongs to the component.
    private string CacheFile(string componentName, string version, string fileName) =>
        Path.Combine(paths.StateDirectory, "artifacts", NucleusPaths.SafeSegment(componentName), NucleusPaths.SafeSegment(version), fileName + ".json");

    private async Task<bool> IsCachedAsync(
        string componentName, string version, string fileName, ArtifactSpec spec, string target, ArtifactDigest? digest, CancellationToken ct)
    {
        var entry = await JsonStateFile.ReadAsync<CacheEntry>(CacheFile(componentName, version, fileName), logger, ct);
        if (entry is null || !File.Exists(target) || entry.Uri != spec.Uri || entry.Algorithm != spec.Algorithm ||
            entry.Digest != spec.Digest || new FileInfo(target).Length != entry.Size)
        {
            return false;
        }

        // The network is skipped, the disk is not trusted blindly: a verified artifact is re-hashed locally.
        if (digest is not null && !digest.Matches(await digest.HashFileAsync(target, ct)))
        {
            ArtifactLog.CacheStale(logger, $"artifact {spec.Uri} of {componentName}@{version}");
            return false;
        }

        return true;
    }

    private Task RememberAsync(string componentName, string version, string fileName, ArtifactSpec spec, string target, CancellationToken ct) =>
        JsonStateFile.WriteAsync(
            CacheFile(componentName, version, fileName),
            new CacheEntry(spec.Uri, spec.Algorithm, spec.Digest, new FileInfo(target).Length, time.GetUtcNow()),
            ct);
}
