using System.Diagnostics;
using Greengrass.Nucleus.Storage;
using Greengrass.Nucleus.Tests.TestSupport;

namespace Greengrass.Nucleus.Tests.Storage;

/// <summary>A real writer process killed with SIGKILL mid-stream: every write it acknowledged must be there after a reload.</summary>
public sealed class KillNineTests
{
    private static async Task<int> RunAndKillAsync(string mode, string path, int minimumAcks)
    {
        var assembly = typeof(CrashHelperProgram).Assembly.Location;
        var start = new ProcessStartInfo("dotnet", [assembly, mode, path]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var helper = Process.Start(start)!;
        var lastAck = 0;
        try
        {
            while (lastAck < minimumAcks && await helper.StandardOutput.ReadLineAsync() is { } line)
            {
                lastAck = int.Parse(line["ack ".Length..]);
            }

            if (lastAck < minimumAcks)
            {
                Assert.Fail($"helper ended after {lastAck} writes: {await helper.StandardError.ReadToEndAsync()}");
            }
        }
        finally
        {
            helper.Kill();
            await helper.WaitForExitAsync();
        }

        return lastAck;
    }

    [Fact]
    public async Task ConfigStore_WriterKilledWithSigkill_ReloadHasEveryAcknowledgedChange()
    {
        using var dir = new TempDirectory();
        var tlog = dir.Combine("config", "config.tlog");

        var acked = await RunAndKillAsync(CrashHelperProgram.ConfigWriter, tlog, minimumAcks: 200);

        await using var store = await ConfigStore.OpenAsync(tlog, new ListLogger<ConfigStore>(), CancellationToken.None, compactAfterEntries: 50);
        var counter = store.Get("services", "crash", "configuration", "counter");
        Assert.NotNull(counter);
        Assert.True(counter.Value!.GetValue<int>() >= acked, $"counter {counter.Value} is behind the last acknowledged write {acked}");
        Assert.Equal(counter.Value!.GetValue<int>(), counter.ModifiedAt);
    }

    [Fact]
    public async Task ComponentStateStore_WriterKilledWithSigkill_StateFileIsCompleteAndCurrent()
    {
        using var dir = new TempDirectory();

        var acked = await RunAndKillAsync(CrashHelperProgram.StateWriter, dir.Path, minimumAcks: 100);

        var logger = new ListLogger<ComponentStateStore>();
        var all = await new ComponentStateStore(new NucleusPaths(dir.Path), logger).LoadAllAsync(CancellationToken.None);
        var state = Assert.Single(all);
        var version = int.Parse(state.InstalledVersion.Split('.')[2]);
        Assert.True(version >= acked, $"state {state.InstalledVersion} is behind the last acknowledged write {acked}");
        Assert.Equal((version * 37) % 5000, state.RecipeHash.Length);
        Assert.DoesNotContain(logger.Entries, e => e.Message.Contains("Ignoring unreadable"));
    }
}
