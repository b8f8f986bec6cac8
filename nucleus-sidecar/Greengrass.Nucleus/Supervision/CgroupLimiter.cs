using System.Globalization;

namespace Greengrass.Nucleus.Supervision;

/// <summary>Whether a component's resource limits are in force, and if not, why.</summary>
internal sealed record LimitStatus(bool Enforced, string Description)
{
    public static readonly LimitStatus NoneRequested = new(false, "no limits requested");

    public static LimitStatus NotEnforced(string reason) => new(false, "not enforced: " + reason);
}

/// <summary>
/// Enforces <c>systemResourceLimits</c> with cgroup v2: one child cgroup per component under
/// <c>&lt;cgroup root&gt;/greengrass/</c>, <c>cpu.max</c> = cpus × 100 ms per 100 ms period and
/// <c>memory.max</c> = kilobytes × 1024, then the process is moved in. When cgroup v2 is not mounted,
/// not writable, or lacks the controller, the limit is reported as not enforced instead of failing the step.
/// </summary>
internal sealed class CgroupLimiter(string cgroupRoot)
{
    private const int CpuPeriodMicros = 100_000;

    public string ComponentCgroup(string componentName) => Path.Combine(cgroupRoot, "greengrass", componentName);

    /// <summary>Creates and configures the component's cgroup; returns its path, or the reason it cannot be used.</summary>
    public (string? Path, LimitStatus Status) Prepare(string componentName, ResourceLimits? limits)
    {
        if (limits is null || (limits.Cpus is null && limits.MemoryKilobytes is null))
        {
            return (null, LimitStatus.NoneRequested);
        }

        if (!File.Exists(Path.Combine(cgroupRoot, "cgroup.controllers")))
        {
            return (null, LimitStatus.NotEnforced($"cgroup v2 is not mounted at {cgroupRoot}"));
        }

        try
        {
            var needed = Needed(limits);
            var available = File.ReadAllText(Path.Combine(cgroupRoot, "cgroup.controllers")).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var missing = needed.Except(available).ToList();
            if (missing.Count > 0)
            {
                return (null, LimitStatus.NotEnforced($"cgroup v2 controller(s) {string.Join(", ", missing)} not available at {cgroupRoot}"));
            }

            var parent = Path.Combine(cgroupRoot, "greengrass");
            EnableControllers(cgroupRoot, needed);
            Directory.CreateDirectory(parent);
            EnableControllers(parent, needed);
            var path = ComponentCgroup(componentName);
            Directory.CreateDirectory(path);
            WriteLimits(path, limits);
            return (path, new LimitStatus(true, Describe(limits)));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, LimitStatus.NotEnforced($"cannot configure cgroup under {cgroupRoot}: {ex.Message}"));
        }
    }

    /// <summary>Moves a process into a prepared cgroup.</summary>
    public static LimitStatus MoveIn(string cgroupPath, int pid, LimitStatus prepared)
    {
        try
        {
            File.AppendAllText(Path.Combine(cgroupPath, "cgroup.procs"), pid.ToString(CultureInfo.InvariantCulture) + "\n");
            return prepared;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return LimitStatus.NotEnforced($"cannot move pid {pid} into {cgroupPath}: {ex.Message}");
        }
    }

    /// <summary>
    /// Freezes or thaws the component's cgroup (cgroup v2 <c>cgroup.freeze</c>), which holds every process it started,
    /// including those that left their process group. False when the component has no cgroup with processes in it
    /// (no resource limits, or no cgroup v2) or the file cannot be written.
    /// </summary>
    public bool TrySetFrozen(string componentName, bool frozen)
    {
        var path = ComponentCgroup(componentName);
        var freeze = Path.Combine(path, "cgroup.freeze");
        var procs = Path.Combine(path, "cgroup.procs");
        try
        {
            if (!File.Exists(freeze) || !File.Exists(procs) || File.ReadAllText(procs).Trim().Length == 0)
            {
                return false;
            }

            File.WriteAllText(freeze, frozen ? "1\n" : "0\n");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string[] Needed(ResourceLimits limits) =>
        [.. limits.Cpus is null ? [] : new[] { "cpu" }, .. limits.MemoryKilobytes is null ? [] : new[] { "memory" }];

    private static void EnableControllers(string cgroup, IEnumerable<string> controllers)
    {
        var control = Path.Combine(cgroup, "cgroup.subtree_control");
        var enabled = File.Exists(control) ? File.ReadAllText(control) : "";
        var toEnable = controllers.Where(c => !enabled.Split(' ', StringSplitOptions.TrimEntries).Contains(c)).ToList();
        if (toEnable.Count > 0)
        {
            File.AppendAllText(control, string.Join(' ', toEnable.Select(c => "+" + c)) + "\n");
        }
    }

    private static void WriteLimits(string path, ResourceLimits limits)
    {
        if (limits.Cpus is { } cpus)
        {
            if (cpus <= 0 || double.IsNaN(cpus) || double.IsInfinity(cpus))
            {
                throw new IOException($"systemResourceLimits.cpus must be a positive number, got {cpus}");
            }

            var quota = (long)Math.Ceiling(cpus * CpuPeriodMicros);
            File.WriteAllText(Path.Combine(path, "cpu.max"), string.Create(CultureInfo.InvariantCulture, $"{quota} {CpuPeriodMicros}\n"));
        }

        if (limits.MemoryKilobytes is { } kb)
        {
            if (kb <= 0)
            {
                throw new IOException($"systemResourceLimits.memory must be a positive number of kilobytes, got {kb}");
            }

            File.WriteAllText(Path.Combine(path, "memory.max"), (kb * 1024).ToString(CultureInfo.InvariantCulture) + "\n");
        }
    }

    private static string Describe(ResourceLimits limits) =>
        string.Create(CultureInfo.InvariantCulture, $"enforced: cpus={limits.Cpus?.ToString(CultureInfo.InvariantCulture) ?? "unlimited"} memory={(limits.MemoryKilobytes is { } kb ? kb + " KB" : "unlimited")}");
}
