using Greengrass.E2E.Tests.Support;
using k8s;

namespace Greengrass.E2E.Tests;

/// <summary>
/// Two operator replicas compete for one Lease with short timings: only the holder reconciles, and
/// when it stops (gracefully or killed) the standby takes over and reconciles the changes made after.
/// </summary>
public sealed class LeaderElectionTests : IAsyncLifetime
{
    private const string LeaseName = "greengrass-operator";
    private static readonly string[] ShortLease = ["--lease-duration", "4", "--renew-deadline", "3", "--retry-period", "1"];
    private GreengrassCluster _gg = null!;

    public async Task InitializeAsync() => _gg = await GreengrassCluster.StartAsync();

    public async Task DisposeAsync() => await _gg.DisposeAsync();

    [Fact]
    public async Task LeaderStopped_StandbyTakesOverAndReconcilesNewChanges() =>
        await TakeOverAsync("le-term", leader => leader.StopAsync(TimeSpan.FromSeconds(20)));

    [Fact]
    public async Task LeaderKilled_StandbyTakesOverAfterTheLeaseExpires() =>
        await TakeOverAsync("le-kill", leader =>
        {
            leader.Kill();
            return Task.CompletedTask;
        });

    private async Task TakeOverAsync(string ns, Func<ChildProcess, Task> stopLeader)
    {
        var first = _gg.StartOperator("replica-a", leaderElection: true, "Debug", ShortLease);
        await Eventually.True(() => Task.FromResult(Leads(first)), "replica-a to lead");
        var second = _gg.StartOperator("replica-b", leaderElection: true, "Debug", ShortLease);
        await Eventually.True(() => Task.FromResult(second.Output.Any(l => l.Contains("Serving /metrics", StringComparison.Ordinal))), "replica-b up");

        await Fleet.ArrangeAsync(_gg, ns);
        await Fleet.PlanAsync(_gg, ns, "edge-a");
        await Fleet.PlanAsync(_gg, ns, "edge-b");
        Assert.Equal("replica-a", await HolderAsync());
        Assert.Contains(first.Output, IsReconcile);
        Assert.False(Leads(second), "replica-b led while replica-a held the lease:\n" + second.Log);
        Assert.DoesNotContain(second.Output, IsReconcile);

        await stopLeader(first);
        await Eventually.True(() => Task.FromResult(Leads(second)), "replica-b to take over", TimeSpan.FromSeconds(60));
        await Eventually.True(async () => await HolderAsync() == "replica-b", "the lease held by replica-b", TimeSpan.FromSeconds(60));

        // A change made after the take-over is reconciled by the new leader only.
        await Fleet.AddDeviceAsync(_gg, ns, "edge-c", "edge-node-1");
        var plan = await Fleet.PlanAsync(_gg, ns, "edge-c");
        Assert.Equal("EdgeC", plan.ThingName);
        // The reconcile line is logged once the reconcile returns, a moment after the plan is written.
        await Eventually.True(() => Task.FromResult(second.Output.Any(l => IsReconcile(l) && l.Contains($"{ns}/edge-c", StringComparison.Ordinal))),
            "replica-b's reconcile of edge-c in its log");
        var lines = second.Output.ToList();
        var tookOver = lines.FindIndex(l => l.Contains("leads: controllers started", StringComparison.Ordinal));
        var firstReconcile = lines.FindIndex(IsReconcile);
        Assert.True(firstReconcile > tookOver, "replica-b reconciled before it led:\n" + string.Join('\n', lines));
        Assert.DoesNotContain(first.Output, l => l.Contains("edge-c", StringComparison.Ordinal));
        Assert.Empty(second.Errors);
    }

    private static bool Leads(ChildProcess replica) =>
        replica.Output.Any(l => l.Contains("leads: controllers started", StringComparison.Ordinal));

    private static bool IsReconcile(string line) => line.Contains("Reconciled ", StringComparison.Ordinal);

    private async Task<string?> HolderAsync() =>
        (await _gg.Client.CoordinationV1.ReadNamespacedLeaseAsync(LeaseName, "default")).Spec.HolderIdentity;
}
