using System.Runtime.InteropServices;
using System.Text;

namespace Greengrass.Nucleus.Storage;

/// <summary>
/// Crash-safe file replacement: write a temporary file beside the target, fsync it, rename it over the
/// target, then fsync the folder so the rename itself is durable. After a crash a reader sees either
/// the old or the new content, never a torn file; leftover temporaries end in <see cref="TempSuffix"/>.
/// </summary>
internal static class AtomicFile
{
    public const string TempSuffix = ".tmp";

    public static Task WriteAllTextAsync(string path, string content, CancellationToken ct) =>
        WriteAllBytesAsync(path, Encoding.UTF8.GetBytes(content), ct);

    public static async Task WriteAllBytesAsync(string path, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}{TempSuffix}");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(content, ct);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
            SyncDirectory(directory);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Removes temporaries a crash left behind in <paramref name="directory"/>.</summary>
    public static int DeleteLeftoverTemporaries(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return 0;
        }

        var count = 0;
        foreach (var file in Directory.EnumerateFiles(directory, "*" + TempSuffix))
        {
            if (Path.GetFileName(file).StartsWith('.') && TryDelete(file))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Makes a rename or a new file in <paramref name="directory"/> durable.</summary>
    public static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = Open(directory, ORdOnly | ODirectory);
        if (fd < 0)
        {
            throw new IOException($"Cannot open directory '{directory}' to sync it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory '{directory}' failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private const int ORdOnly = 0;
    private const int ODirectory = 0x10000;

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
