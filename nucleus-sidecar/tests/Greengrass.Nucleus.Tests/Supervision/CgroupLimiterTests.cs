using Greengrass.Nucleus.Supervision;
using Greengrass.Nucleus.Tests.TestSupport;

namespace Greengrass.Nucleus.Tests.Supervision;

public sealed class CgroupLimiterTests
{
    [Fact]
    public void Prepare_CgroupV2Tree_WritesCpuMaxAndMemoryMaxAndMovesPid()
    {
        // A folder shaped like a cgroup v2 mount: the limiter only reads and writes its interface files.
        using var root = new TempDirectory();
        File.WriteAllText(root.Combine("cgroup.controllers"), "cpuset cpu io memory pids\n");
        var limiter = new CgroupLimiter(root.Path);

        var (path, status) = limiter.Prepare("com.example.Limited", new ResourceLimits(Cpus: 0.5, MemoryKilobytes: 2048));
        var moved = CgroupLimiter.MoveIn(path!, 4242, status);

        Assert.True(moved.Enforced, moved.Description);
        Assert.Equal("50000 100000", File.ReadAllText(root.Combine("greengrass", "com.example.Limited", "cpu.max")).Trim());
        Assert.Equal("2097152", File.ReadAllText(root.Combine("greengrass", "com.example.Limited", "memory.max")).Trim());
        Assert.Equal("4242", File.ReadAllText(root.Combine("greengrass", "com.example.Limited", "cgroup.procs")).Trim());
        Assert.Contains("+cpu", File.ReadAllText(root.Combine("greengrass", "cgroup.subtree_control")));
        Assert.Contains("+memory", File.ReadAllText(root.Combine("cgroup.subtree_control")));
    }

    [Fact]
    public void TrySetFrozen_CgroupWithProcesses_WritesCgroupFreeze()
    {
        using var root = new TempDirectory();
        File.WriteAllText(root.Combine("cgroup.controllers"), "cpu memory\n");
        var limiter = new CgroupLimiter(root.Path);
        var (path, status) = limiter.Prepare("com.example.Frozen", new ResourceLimits(Cpus: 1, MemoryKilobytes: null));
        CgroupLimiter.MoveIn(path!, 4242, status);
        File.WriteAllText(Path.Combine(path!, "cgroup.freeze"), "0\n");

        Assert.True(limiter.TrySetFrozen("com.example.Frozen", frozen: true));
        Assert.Equal("1", File.ReadAllText(Path.Combine(path!, "cgroup.freeze")).Trim());
        Assert.True(limiter.TrySetFrozen("com.example.Frozen", frozen: false));
        Assert.Equal("0", File.ReadAllText(Path.Combine(path!, "cgroup.freeze")).Trim());
    }

    [Fact]
    public void TrySetFrozen_NoCgroupForTheComponent_ReturnsFalse()
    {
        using var root = new TempDirectory();

        Assert.False(new CgroupLimiter(root.Path).TrySetFrozen("com.example.Unlimited", frozen: true));
        Assert.False(File.Exists(root.Combine("greengrass", "com.example.Unlimited", "cgroup.freeze")));
    }

    [Fact]
    public void Prepare_NoCgroupV2Mount_ReportsNotEnforcedWithReason()
    {
        using var root = new TempDirectory();

        var (path, status) = new CgroupLimiter(root.Path).Prepare("c", new ResourceLimits(Cpus: 1));

        Assert.Null(path);
        Assert.False(status.Enforced);
        Assert.StartsWith("not enforced: cgroup v2 is not mounted", status.Description);
    }

    [Fact]
    public void Prepare_ControllerMissing_ReportsNotEnforcedNamingController()
    {
        using var root = new TempDirectory();
        File.WriteAllText(root.Combine("cgroup.controllers"), "pids\n");

        var (_, status) = new CgroupLimiter(root.Path).Prepare("c", new ResourceLimits(MemoryKilobytes: 1024));

        Assert.Equal("not enforced: cgroup v2 controller(s) memory not available at " + root.Path, status.Description);
    }

    [Fact]
    public async Task StartAsync_LimitsOnThisMachine_EnforcedInsideCgroupOrReportedNotEnforced()
    {
        await using var fx = new RunnerFixture();
        var step = RunnerFixture.Step("cat /proc/self/cgroup > cgroup.txt", component: "com.example.Limited") with
        {
            RunWith = new RunWith(SystemResourceLimits: new ResourceLimits(Cpus: 0.5, MemoryKilobytes: 65536)),
        };

        var running = await fx.StartAsync(step);
        var result = await Eventually.WithinAsync(running.Exited, "the step");

        Assert.True(result.Succeeded, result.Description);
        var cgroup = File.ReadAllText(Path.Combine(fx.WorkDir("com.example.Limited"), "cgroup.txt"));
        if (running.Limits.Enforced)
        {
            Assert.Contains("/greengrass/com.example.Limited", cgroup);
        }
        else
        {
            Assert.StartsWith("not enforced: ", running.Limits.Description);
            Assert.Contains(fx.Logger.Entries, e => e.Message.Contains("not enforced"));
        }
    }
}
