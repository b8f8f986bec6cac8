using Greengrass.Api;
using Greengrass.E2E.Tests.Support;
using ApiDeployment = Greengrass.Api.Deployment;

namespace Greengrass.E2E.Tests;

/// <summary>
/// The operator's watches when the API server forgets history (a tiny event window: 410 Gone on
/// re-watch, as after an etcd compaction) and when the API server itself restarts.
/// </summary>
public sealed class WatchRobustnessTests
{
    [Fact]
    public async Task TinyWatchWindow_ManyWrites_OperatorRelistsAndConverges()
    {
        await using var gg = await GreengrassCluster.StartAsync(o =>
        {
            o.WatchWindow = 3;
            // No bookmarks: a re-watch resumes from the last event the cache saw, which the writes below push out of the window.
            o.BookmarkInterval = TimeSpan.FromHours(1);
        });
        var op = gg.StartOperator("operator-1", leaderElection: false, "Information", "--watch-timeout", "1");
        await Eventually.True(() => Task.FromResult(op.Output.Any(l => l.Contains("leads: controllers started", StringComparison.Ordinal))), "the operator's caches synced");
        const string ns = "tiny-window";
        string[] devices = [.. Enumerable.Range(1, 12).Select(i => $"edge-{i:00}")];
        await Fleet.ArrangeAsync(gg, ns, devices);

        // Keep changing the deployment (each change rewrites twelve plans) until a re-watch has found its
        // resourceVersion compacted away; the watches time out every second, so this takes a few rounds.
        var round = 0;
        while (!Relisted(op) && round < 60)
        {
            await SetMessageAsync(gg, ns, $"round-{++round}");
            await Task.Delay(250);
        }

        Assert.True(Relisted(op), "no watch hit 410 Gone after 60 rounds of writes:\n" + op.Log);
        foreach (var device in devices)
        {
            await Fleet.PlanAsync(gg, ns, device, accept: p => Fleet.AppMessage(p) == $"round-{round}", timeout: TimeSpan.FromSeconds(90));
        }

        gg.AssertNoOperatorErrors();
    }

    [Fact]
    public async Task ApiServerRestart_OperatorReconvergesOnChangesMadeAfter()
    {
        var state = Directory.CreateTempSubdirectory("gg-restart-");
        try
        {
            await using var gg = await GreengrassCluster.StartAsync(o =>
            {
                o.Http = true;
                o.Port = FreePort.Next();
                o.StateDir = Path.Combine(state.FullName, "state");
                o.KubeconfigPath = Path.Combine(state.FullName, "kubeconfig");
                o.AdminToken = "restart-test-admin-token";
            });
            gg.StartOperator();
            const string ns = "restart";
            await Fleet.ArrangeAsync(gg, ns);
            var before = await Fleet.PlanAsync(gg, ns, "edge-a");

            await gg.RestartApiServerAsync();

            await Eventually.True(async () => await gg.GetAsync<ApiDeployment>(ns, GreengrassApi.DeploymentPlural, "apps") is not null,
                "the restarted API server to serve the persisted deployment");
            await SetMessageAsync(gg, ns, "after-restart");
            await Fleet.AddDeviceAsync(gg, ns, "edge-c", "edge-node-2");
            var changed = await Fleet.PlanAsync(gg, ns, "edge-a", before.Revision + 1, p => Fleet.AppMessage(p) == "after-restart", TimeSpan.FromSeconds(90));
            Assert.Equal("after-restart", Fleet.AppMessage(changed));
            var added = await Fleet.PlanAsync(gg, ns, "edge-c", accept: p => Fleet.AppMessage(p) == "after-restart", timeout: TimeSpan.FromSeconds(90));
            Assert.Equal("EdgeC", added.ThingName);
            Assert.False(gg.Operators[0].HasExited, "the operator exited when the API server went away:\n" + gg.OperatorLogs);
        }
        finally
        {
            state.Delete(recursive: true);
        }
    }

    private static bool Relisted(ChildProcess op) =>
        op.Output.Any(l => l.Contains("is too old", StringComparison.Ordinal) && l.Contains("relisting", StringComparison.Ordinal));

    private static Task SetMessageAsync(GreengrassCluster gg, string ns, string message) =>
        gg.MergePatchAsync<ApiDeployment>(ns, GreengrassApi.DeploymentPlural, "apps", new
        {
            spec = new { components = new Dictionary<string, object> { ["com.example.App"] = new { version = "1.0.0", configurationUpdate = new { merge = new { message } } } } },
        });
}
