using System.IO.Compression;

namespace Greengrass.Nucleus.Artifacts;

/// <summary>
/// Unpacks a ZIP artifact into <c>&lt;decompressedPath&gt;/&lt;archiveBaseName&gt;/</c>. Entries whose path would land
/// outside that folder ("zip slip": <c>../</c>, absolute names) are refused, and nothing is unpacked. The result
/// replaces any earlier unpacking atomically (unpack to a temporary folder, then rename).
/// </summary>
internal static class ZipUnarchiver
{
    public static void Unarchive(string archive, string destination, ArtifactPermission permission, string artifactName)
    {
        var parent = Path.GetDirectoryName(destination)!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(destination)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Extract(archive, staging, artifactName);
            ApplyModes(staging, permission);
            if (Directory.Exists(destination))
            {
                MakeWritable(destination);
                Directory.Delete(destination, recursive: true);
            }

            Directory.Move(staging, destination);
        }
        catch (InvalidDataException ex)
        {
            throw new ArtifactException(ArtifactErrorCodes.UnarchiveError, $"{artifactName}: not a valid ZIP archive: {ex.Message}", ex);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                MakeWritable(staging);
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private static void Extract(string archive, string staging, string artifactName)
    {
        var root = Path.GetFullPath(staging) + Path.DirectorySeparatorChar;
        using var zip = ZipFile.OpenRead(archive);
        foreach (var entry in zip.Entries)
        {
            var target = Path.GetFullPath(Path.Combine(root, entry.FullName));
            if (!target.StartsWith(root, StringComparison.Ordinal) || Path.IsPathRooted(entry.FullName))
            {
                throw new ArtifactException(ArtifactErrorCodes.UnarchiveError,
                    $"{artifactName}: ZIP entry '{entry.FullName}' would be written outside the extraction folder; the archive is refused.");
            }

            if (entry.FullName.EndsWith('/'))
            {
                Directory.CreateDirectory(target);
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            entry.ExtractToFile(target, overwrite: false);
        }
    }

    // The unpacked folder tree is Read+Execute for everybody; files get the recipe's permission (§1.6).
    private static void ApplyModes(string root, ArtifactPermission permission)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            File.SetUnixFileMode(file, permission.FileMode());
        }

        foreach (var dir in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories).Append(root))
        {
            File.SetUnixFileMode(dir, ArtifactStore.ReadOnlyFolderMode);
        }
    }

    private static void MakeWritable(string root)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (var dir in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories).Append(root))
        {
            File.SetUnixFileMode(dir, File.GetUnixFileMode(dir) | UnixFileMode.UserWrite | UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }
    }
}
