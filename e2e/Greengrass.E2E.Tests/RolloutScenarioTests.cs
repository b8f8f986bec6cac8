using Greengrass.Api;
using Greengrass.E2E.Tests.Support;
using Greengrass.Nucleus.Contracts;
using k8s;
using k8s.Models;
using ApiDeployment = Greengrass.Api.Deployment;

namespace Greengrass.E2E.Tests;

/// <summary>
/// Rollout limits across devices, against the embedded cluster with simulated kubelets: the nucleus's reports
/// (<c>lastDeployment</c>) are written through the API as a nucleus would write them, and a component version
/// "fails" by its devices reporting FAILED_ROLLBACK_COMPLETE for it.
/// </summary>
public sealed class RolloutScenarioTests : IAsyncLifetime
{
    private const string App = "com.example.App";
    private static readonly string[] Devices = ["edge-a", "edge-b", "edge-c", "edge-d", "edge-e", "edge-f"];
    private static readonly Dictionary<string, string> Group = new() { ["fleet"] = "rollout" };
    private GreengrassCluster _gg = null!;

    public async Task InitializeAsync()
    {
        _gg = await GreengrassCluster.StartAsync();
        _gg.StartOperator();
    }

    public async Task DisposeAsync() => await _gg.DisposeAsync();

    [Fact]
    public async Task MaxConcurrentTwo_RollsOutInWaves_FailingVersionAbortsAndLeavesTheRestOnTheOldRevision()
    {
        const string ns = "fleet-rollout";
        await _gg.CreateNamespaceAsync(ns);
        await _gg.CreateAsync(Resources.Component(ns, App, "1.0.0", "sleep 1000"), GreengrassApi.ComponentPlural);
        await _gg.CreateAsync(Resources.Component(ns, App, "2.0.0", "sleep 1000"), GreengrassApi.ComponentPlural);
        for (var i = 0; i < Devices.Length; i++)
        {
            // Created in reverse so that admission order visibly comes from the names, not from creation.
            var name = Devices[^(i + 1)];
            await _gg.CreateAsync(Resources.CoreDevice(ns, name, $"Thing-{name}", $"edge-node-{(i % 2) + 1}", Group), GreengrassApi.CoreDevicePlural);
        }

        var deployment = Resources.DeploymentToSelector(ns, "apps", Group, (App, "1.0.0"));
        deployment.Spec.Rollout = new DeploymentRollout
        {
            MaxConcurrent = "2",
            AbortCriteria = [new AbortCriterion { FailureType = AbortFailureTypes.Failed, ThresholdPercentage = 50, MinNumberOfDevices = 1 }],
        };
        await _gg.CreateAsync(deployment, GreengrassApi.DeploymentPlural);

        // Revision 1 in three waves of two, each admitted once the previous one reported.
        foreach (var wave in Devices.Chunk(2))
        {
            var plans = new List<DevicePlan>();
            foreach (var device in wave)
            {
                plans.Add(await PlanWithAsync(ns, device, "apps@1"));
            }

            // Until this wave reports, no later device may be admitted.
            foreach (var device in Devices.SkipWhile(d => d != wave[^1]).Skip(1))
            {
                Assert.DoesNotContain("apps@", (await PlanAsync(ns, device))?.DeploymentId ?? string.Empty);
            }

            foreach (var (device, plan) in wave.Zip(plans))
            {
                await ReportAsync(ns, device, plan, "SUCCEEDED");
            }
        }

        var completed = await DeploymentAsync(ns, d => d.Status?.Rollout?.Phase == RolloutPhases.Completed && Conditions.IsTrue(d.Status.Conditions, ConditionTypes.Ready),
            "revision 1 rolled out to all six devices");
        Assert.Equal(6, completed.Status!.Rollout!.Succeeded);
        Assert.Equal(1, completed.Status.Rollout.StableRevision);

        // Revision 2 pins a version that fails: the first wave fails, which meets the abort criterion before a third device is admitted.
        await _gg.MergePatchAsync<ApiDeployment>(ns, GreengrassApi.DeploymentPlural, "apps", new
        {
            spec = new { components = new Dictionary<string, object> { [App] = new { version = "2.0.0" } } },
        });
        foreach (var device in Devices[..2])
        {
            var plan = await PlanWithAsync(ns, device, "apps@2");
            Assert.Equal("2.0.0", plan.Components.Single(c => c.Name == App).Version);
            await ReportAsync(ns, device, plan, "FAILED_ROLLBACK_COMPLETE");
        }

        // The first failure seen meets the criterion; edge-b, admitted with edge-a, still reports into the counts.
        var aborted = await DeploymentAsync(ns, d => Conditions.Find(d.Status?.Conditions, ConditionTypes.Stalled)?.Reason == ConditionReasons.RolloutAborted
            && d.Status!.Devices?.Failed == 2, "the rollout of revision 2 aborted with both failures counted");
        var stalled = Conditions.Find(aborted.Status!.Conditions, ConditionTypes.Stalled)!;
        Assert.Contains("FAILED >= 50%", stalled.Message);
        // 1 of 1 when the operator saw edge-a's report alone, 2 of 2 when both reports came before it looked.
        Assert.Matches(@"(1 of 1|2 of 2) finished devices", stalled.Message);
        Assert.Equal(DeploymentPhases.Aborted, aborted.Status.Phase);
        Assert.Equal((2, 4), (aborted.Status.Devices!.Failed, aborted.Status.Devices.Pending));
        Assert.Equal(["edge-a", "edge-b"], aborted.Status.Rollout!.Devices!.Where(e => e.Revision == 2).Select(e => e.Name));

        foreach (var device in Devices[2..])
        {
            var plan = await PlanAsync(ns, device);
            Assert.Equal("apps@1", plan!.DeploymentId);
            Assert.Equal("1.0.0", plan.Components.Single(c => c.Name == App).Version);
        }

        var reasons = (await _gg.Client.CoreV1.ListNamespacedEventAsync(ns)).Items
            .Where(e => e.InvolvedObject.Name == "apps").Select(e => e.Reason).ToList();
        Assert.Contains("RolloutWave", reasons);
        Assert.Contains(ConditionReasons.RolloutAborted, reasons);
        _gg.AssertNoOperatorErrors();
    }

    [Fact]
    public async Task DeviceInProgressPastItsTimeout_IsTimedOut_AndTheNextOneIsAdmitted()
    {
        const string ns = "fleet-timeout";
        await _gg.CreateNamespaceAsync(ns);
        await _gg.CreateAsync(Resources.Component(ns, App, "1.0.0", "sleep 1000"), GreengrassApi.ComponentPlural);
        await _gg.CreateAsync(Resources.CoreDevice(ns, "edge-a", "ThingA", "edge-node-1", Group), GreengrassApi.CoreDevicePlural);
        await _gg.CreateAsync(Resources.CoreDevice(ns, "edge-b", "ThingB", "edge-node-2", Group), GreengrassApi.CoreDevicePlural);
        var deployment = Resources.DeploymentToSelector(ns, "apps", Group, (App, "1.0.0"));
        // edge-a never reports and times out; edge-b is admitted next and must report within the timeout, which on a
        // loaded 2-core machine can take seconds between the operator writing its plan and the test reading it.
        deployment.Spec.Rollout = new DeploymentRollout { MaxConcurrent = "50%", PerDeviceTimeoutSeconds = 10 };
        await _gg.CreateAsync(deployment, GreengrassApi.DeploymentPlural);

        await PlanWithAsync(ns, "edge-a", "apps@1");
        var plan = await PlanWithAsync(ns, "edge-b", "apps@1");
        await ReportAsync(ns, "edge-b", plan, "SUCCEEDED");

        var done = await DeploymentAsync(ns, d => d.Status?.Rollout?.Phase == RolloutPhases.Completed, "the rollout completed");
        Assert.Equal(RolloutOutcomes.TimedOut, done.Status!.Rollout!.Devices!.Single(e => e.Name == "edge-a").Outcome);
        Assert.Equal((1, 1), (done.Status.Rollout.TimedOut, done.Status.Rollout.Succeeded));
        Assert.Equal("apps@1", (await PlanAsync(ns, "edge-a"))!.DeploymentId);
        _gg.AssertNoOperatorErrors();
    }

    [Fact]
    public async Task OperatorRestartedMidRollout_ContinuesFromTheStateInTheApi()
    {
        const string ns = "fleet-restart";
        await _gg.CreateNamespaceAsync(ns);
        await _gg.CreateAsync(Resources.Component(ns, App, "1.0.0", "sleep 1000"), GreengrassApi.ComponentPlural);
        foreach (var (device, node) in new[] { ("edge-a", "edge-node-1"), ("edge-b", "edge-node-2"), ("edge-c", "edge-node-1") })
        {
            await _gg.CreateAsync(Resources.CoreDevice(ns, device, $"Thing-{device}", node, Group), GreengrassApi.CoreDevicePlural);
        }

        var deployment = Resources.DeploymentToSelector(ns, "apps", Group, (App, "1.0.0"));
        deployment.Spec.Rollout = new DeploymentRollout { MaxConcurrent = "1" };
        await _gg.CreateAsync(deployment, GreengrassApi.DeploymentPlural);
        var planA = await PlanWithAsync(ns, "edge-a", "apps@1");
        var before = (await DeploymentAsync(ns, d => d.Status?.Rollout?.Admitted == 1, "edge-a admitted")).Status!.Rollout!;

        await _gg.Operators[0].StopAsync(TimeSpan.FromSeconds(20));
        await ReportAsync(ns, "edge-a", planA, "SUCCEEDED");
        _gg.StartOperator("operator-2");

        await PlanWithAsync(ns, "edge-b", "apps@1");
        var after = (await DeploymentAsync(ns, d => d.Status?.Rollout?.Admitted == 2, "edge-b admitted by the second operator")).Status!.Rollout!;
        Assert.Equal(before.StartTime, after.StartTime);
        var a = after.Devices!.Single(e => e.Name == "edge-a");
        Assert.Equal((before.Devices!.Single().AdmittedTime, RolloutOutcomes.Succeeded), (a.AdmittedTime, a.Outcome));
        Assert.DoesNotContain("apps@", (await PlanAsync(ns, "edge-c"))?.DeploymentId ?? string.Empty);
        var started = (await _gg.Client.CoreV1.ListNamespacedEventAsync(ns)).Items.Where(e => e.InvolvedObject.Name == "apps" && e.Reason == "RolloutStarted");
        Assert.Equal(1, started.Sum(e => e.Count ?? 1));
        _gg.AssertNoOperatorErrors();
    }

    private async Task<DevicePlan?> PlanAsync(string ns, string device)
    {
        var maps = await _gg.Client.CoreV1.ListNamespacedConfigMapAsync(ns, fieldSelector: $"metadata.name={device}-plan");
        return maps.Items.FirstOrDefault() is { } cm ? ContractJson.DeserializePlan(cm.Data["plan.json"]) : null;
    }

    private Task<DevicePlan> PlanWithAsync(string ns, string device, string deploymentId) =>
        Eventually.Value(async () => await PlanAsync(ns, device) is { } plan && plan.DeploymentId.Split(',').Contains(deploymentId) ? plan : null,
            $"the plan of {device} carrying {deploymentId}");

    private Task<ApiDeployment> DeploymentAsync(string ns, Func<ApiDeployment, bool> condition, string what) =>
        Eventually.Value(async () => await _gg.GetAsync<ApiDeployment>(ns, GreengrassApi.DeploymentPlural, "apps") is { } d && condition(d) ? d : null, what);

    private Task ReportAsync(string ns, string device, DevicePlan plan, string outcome) =>
        _gg.MergePatchAsync<CoreDevice>(ns, GreengrassApi.CoreDevicePlural, device, new
        {
            status = new
            {
                appliedRevision = plan.Revision,
                lastStatusUpdate = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
                components = plan.Components.Select(c => new { name = c.Name, version = c.Version, state = outcome == "SUCCEEDED" ? ComponentStates.Running : ComponentStates.Broken }).ToArray(),
                lastDeployment = new { revision = plan.Revision, status = outcome },
            },
        }, "status");
}
