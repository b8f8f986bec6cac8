using System.Globalization;

namespace Greengrass.Nucleus.Supervision;

/// <summary>
/// Reads <c>/proc</c> to find a step's living processes: the members of its process group and the
/// descendants of its shell that left the group (setsid, their own group). Zombies do not count.
/// </summary>
internal static class ProcessTree
{
    private readonly record struct ProcStat(int Pid, int ParentPid, int ProcessGroup, char State);

    /// <summary>Living processes of group <paramref name="pgid"/> plus living descendants of <paramref name="rootPid"/>.</summary>
    public static HashSet<int> LivingMembers(int rootPid, int pgid)
    {
        var all = ReadAll();
        var alive = all.Where(p => p.State is not ('Z' or 'X')).ToList();
        var members = alive.Where(p => p.ProcessGroup == pgid).Select(p => p.Pid).ToHashSet();
        var children = alive.ToLookup(p => p.ParentPid, p => p.Pid);
        var queue = new Queue<int>([rootPid, .. members]);
        var seen = new HashSet<int>();
        while (queue.TryDequeue(out var pid))
        {
            if (!seen.Add(pid))
            {
                continue;
            }

            foreach (var child in children[pid])
            {
                members.Add(child);
                queue.Enqueue(child);
            }
        }

        return members;
    }

    public static bool IsAlive(int pid) =>
        TryRead(pid) is { } stat && stat.State is not ('Z' or 'X');

    private static List<ProcStat> ReadAll()
    {
        var result = new List<ProcStat>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && TryRead(pid) is { } stat)
            {
                result.Add(stat);
            }
        }

        return result;
    }

    private static ProcStat? TryRead(int pid)
    {
        try
        {
            // "pid (comm) state ppid pgrp ..." — comm may contain spaces and parentheses, so parse after the last ')'.
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return new ProcStat(pid, int.Parse(fields[1], CultureInfo.InvariantCulture), int.Parse(fields[2], CultureInfo.InvariantCulture), fields[0][0]);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
