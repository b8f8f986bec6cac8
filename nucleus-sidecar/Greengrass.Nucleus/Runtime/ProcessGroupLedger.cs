using System.Globalization;
using Greengrass.Nucleus.Storage;
using Greengrass.Nucleus.Supervision;

namespace Greengrass.Nucleus.Runtime;

/// <summary>
/// The process groups of the lifecycle steps this nucleus started, kept in <c>state/process-groups</c> (one id a line).
/// A nucleus killed with SIGKILL cannot stop its components; the next start reads the ledger and stops what is
/// left, so a restarted plan does not run every service twice.
/// </summary>
internal sealed class ProcessGroupLedger(string path)
{
    private const int SigTerm = 15;
    private const int SigKill = 9;
    private readonly Lock _gate = new();
    private readonly HashSet<int> _groups = [];
    private readonly SemaphoreSlim _writer = new(1, 1);

    public Task AddAsync(int processGroup)
    {
        lock (_gate)
        {
            _groups.Add(processGroup);
        }

        return PersistAsync();
    }

    public Task RemoveAsync(int processGroup)
    {
        lock (_gate)
        {
            _groups.Remove(processGroup);
        }

        return PersistAsync();
    }

    /// <summary>
    /// Stops the processes of the groups recorded by a previous run that still work under <paramref name="workRoot"/>
    /// (SIGTERM, then SIGKILL after <paramref name="grace"/>); the folder check keeps a reused id of an unrelated
    /// process safe. Returns how many processes were signalled.
    /// </summary>
    public async Task<int> ReclaimAsync(string workRoot, TimeSpan grace, TimeProvider time, CancellationToken ct)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        var recorded = (await File.ReadAllLinesAsync(path, ct))
            .Select(l => int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0)
            .Where(id => id > 1)
            .ToHashSet();
        var leftovers = FindProcesses(recorded, workRoot);
        foreach (var pid in leftovers)
        {
            _ = PosixNative.Kill(pid, SigTerm);
        }

        var deadline = time.GetUtcNow() + grace;
        while (leftovers.Any(IsAlive) && time.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), time, ct);
        }

        foreach (var pid in leftovers.Where(IsAlive))
        {
            _ = PosixNative.Kill(pid, SigKill);
        }

        File.Delete(path);
        return leftovers.Count;
    }

    private async Task PersistAsync()
    {
        await _writer.WaitAsync();
        try
        {
            // Written under the writer lock from the newest set, so writes that finish out of order still converge.
            string text;
            lock (_gate)
            {
                text = string.Join('\n', _groups.Order()) + "\n";
            }

            await AtomicFile.WriteAllTextAsync(path, text, CancellationToken.None);
        }
        finally
        {
            _writer.Release();
        }
    }

    private static List<int> FindProcesses(HashSet<int> groups, string workRoot)
    {
        var found = new List<int>();
        var prefix = Path.TrimEndingDirectorySeparator(workRoot) + Path.DirectorySeparatorChar;
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                // /proc/<pid>/stat: "pid (comm) state ppid pgrp …"; comm may contain spaces, so split after the last ')'.
                var stat = File.ReadAllText(Path.Combine(entry, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var cwd = new FileInfo(Path.Combine(entry, "cwd")).LinkTarget ?? "";
                if (groups.Contains(int.Parse(fields[2], CultureInfo.InvariantCulture)) && fields[0] != "Z" &&
                    (cwd + Path.DirectorySeparatorChar).StartsWith(prefix, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked, or is not ours to inspect.
            }
        }

        return found;
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0] != "Z";
        }
        catch (IOException)
        {
            return false;
        }
    }
}
