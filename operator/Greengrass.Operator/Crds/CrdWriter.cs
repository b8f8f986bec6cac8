using System.Text;

namespace Greengrass.Operator.Crds;

/// <summary>Writes generated CRD files into a directory, leaving unchanged files alone and removing stale generated ones.</summary>
internal static class CrdWriter
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes the files; returns one line per file saying what happened to it.</summary>
    public static async Task<IReadOnlyList<string>> WriteAsync(string directory, IReadOnlyList<GeneratedFile> files, string staleFilePrefix, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var report = new List<string>();
        foreach (var file in files)
        {
            var path = Path.Combine(directory, file.FileName);
            if (File.Exists(path) && await File.ReadAllTextAsync(path, Utf8, cancellationToken) == file.Content)
            {
                report.Add($"unchanged {path}");
                continue;
            }

            await File.WriteAllTextAsync(path, file.Content, Utf8, cancellationToken);
            report.Add($"wrote {path}");
        }

        // A renamed or removed kind must not leave its old CRD behind; only files this generator names are touched.
        var expected = files.Select(f => f.FileName).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in Directory.EnumerateFiles(directory, staleFilePrefix + "*.yaml").Order(StringComparer.Ordinal))
        {
            if (!expected.Contains(Path.GetFileName(stale)))
            {
                File.Delete(stale);
                report.Add($"removed {stale}");
            }
        }

        return report;
    }
}
