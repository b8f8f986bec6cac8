using Greengrass.Api;
using Greengrass.Operator.Rollouts;

namespace Greengrass.Operator.Tests.Rollouts;

public sealed class RolloutPlannerTests
{
    private static AbortCriterion Abort(string type, double threshold, int? minimum = null) =>
        new() { FailureType = type, ThresholdPercentage = threshold, MinNumberOfDevices = minimum };

    [Fact]
    public void NewDeployment_MaxConcurrentTwo_AdmitsWavesInNameOrder()
    {
        var run = new RolloutRun(RolloutRun.Limits("2"));

        var first = run.Step();
        Assert.True(first.Started);
        Assert.Equal(["edge-a", "edge-b"], first.Admitted);
        Assert.Equal(RolloutPhases.InProgress, run.Record.Phase);
        Assert.Null(run.VersionOn("edge-c"));
        Assert.Equal("1.0.0", run.VersionOn("edge-a"));

        Assert.Empty(run.Step().Admitted);

        run.Report(RolloutOutcomes.Succeeded, "edge-a");
        Assert.Equal(["edge-c"], run.Step().Admitted);
        Assert.Equal(["edge-b", "edge-c"], run.InProgress());

        run.Report(RolloutOutcomes.Succeeded, "edge-b", "edge-c");
        Assert.Equal(["edge-d", "edge-e"], run.Step().Admitted);
        Assert.Null(run.Record.StableRevision);

        run.Report(RolloutOutcomes.Succeeded, "edge-d");
        Assert.Equal(["edge-f"], run.Step().Admitted);
        Assert.Equal(1, run.Record.StableRevision);
        Assert.Equal(RolloutPhases.InProgress, run.Record.Phase);

        run.Report(RolloutOutcomes.Succeeded, "edge-e", "edge-f");
        var last = run.Step();
        Assert.True(last.Completed);
        Assert.Equal(RolloutPhases.Completed, run.Record.Phase);
        Assert.Equal((6, 6), (run.Record.Admitted, run.Record.Succeeded));
    }

    [Fact]
    public void Step_NothingChanged_GivesAnEqualRecord()
    {
        var run = new RolloutRun(RolloutRun.Limits("2", 600));
        run.Step();
        var before = k8s.KubernetesJson.Serialize(run.Record);

        run.Time.Advance(TimeSpan.FromSeconds(30));
        var again = run.Step();

        Assert.Equal(before, k8s.KubernetesJson.Serialize(again.Status));
        Assert.False(again.Started);
    }

    [Fact]
    public void InProgressDevice_PastItsTimeout_IsTimedOutAndKeepsTheRevision()
    {
        var run = new RolloutRun(RolloutRun.Limits("1", timeoutSeconds: 60), devices: 2);
        var first = run.Step();
        Assert.Equal(TimeSpan.FromSeconds(60), first.NextTimeout);

        run.Time.Advance(TimeSpan.FromSeconds(59));
        var early = run.Step();
        Assert.Empty(early.Admitted);
        Assert.Equal(TimeSpan.FromSeconds(1), early.NextTimeout);

        run.Time.Advance(TimeSpan.FromSeconds(1));
        var late = run.Step();
        Assert.Equal(["edge-b"], late.Admitted);
        var timedOut = run.Record.Devices!.Single(e => e.Name == "edge-a");
        Assert.Equal((1L, RolloutOutcomes.TimedOut), (timedOut.Revision, timedOut.Outcome));
        Assert.Equal("1.0.0", run.VersionOn("edge-a"));
        Assert.Equal(1, run.Record.TimedOut);
    }

    [Fact]
    public void TimedOutDevice_ReportingLater_StaysTimedOut()
    {
        var run = new RolloutRun(RolloutRun.Limits("1", timeoutSeconds: 10), devices: 1);
        run.Step();
        run.Time.Advance(TimeSpan.FromSeconds(10));
        run.Step();

        run.Report(RolloutOutcomes.Succeeded, "edge-a");
        run.Step();

        Assert.Equal(RolloutOutcomes.TimedOut, run.Record.Devices!.Single().Outcome);
    }

    [Theory]
    [InlineData(AbortFailureTypes.Failed, RolloutOutcomes.Failed)]
    [InlineData(AbortFailureTypes.Rejected, RolloutOutcomes.Rejected)]
    [InlineData(AbortFailureTypes.All, RolloutOutcomes.Failed)]
    [InlineData(AbortFailureTypes.All, RolloutOutcomes.Rejected)]
    public void AbortCriterion_Reached_AbortsAndAdmitsNoMore(string type, string outcome)
    {
        var run = new RolloutRun(RolloutRun.Limits("2", null, Abort(type, 50, 2)));
        run.Step();

        run.Report(outcome, "edge-a");
        run.Report(RolloutOutcomes.Succeeded, "edge-b");
        var result = run.Step();

        Assert.NotNull(result.AbortMessage);
        Assert.Empty(result.Admitted);
        Assert.Equal(RolloutPhases.Aborted, run.Record.Phase);
        Assert.Contains(type, run.Record.Message);
        Assert.Contains("1 of 2 finished devices", run.Record.Message);
        Assert.Null(run.VersionOn("edge-c"));
    }

    [Fact]
    public void TimedOutCriterion_CountsTimeouts()
    {
        var run = new RolloutRun(RolloutRun.Limits("1", 30, Abort(AbortFailureTypes.TimedOut, 100)), devices: 3);
        run.Step();
        run.Time.Advance(TimeSpan.FromSeconds(30));

        var result = run.Step();

        Assert.Contains("TIMED_OUT", result.AbortMessage);
        Assert.Empty(result.Admitted);
    }

    [Fact]
    public void AbortCriterion_BelowItsMinimum_IsNotChecked()
    {
        var run = new RolloutRun(RolloutRun.Limits("2", null, Abort(AbortFailureTypes.Failed, 50, 3)));
        run.Step();
        run.Report(RolloutOutcomes.Failed, "edge-a", "edge-b");

        var below = run.Step();
        Assert.Null(below.AbortMessage);
        Assert.Equal(["edge-c", "edge-d"], below.Admitted);

        run.Report(RolloutOutcomes.Succeeded, "edge-c");
        var reached = run.Step();
        Assert.Contains("2 of 3 finished devices", reached.AbortMessage);
    }

    [Fact]
    public void AbortCriterion_OtherFailureTypeOrBelowThreshold_DoesNotAbort()
    {
        var run = new RolloutRun(RolloutRun.Limits("3", null, Abort(AbortFailureTypes.Rejected, 10), Abort(AbortFailureTypes.Failed, 40)));
        run.Step();
        run.Report(RolloutOutcomes.Failed, "edge-a");
        run.Report(RolloutOutcomes.Succeeded, "edge-b", "edge-c");

        var result = run.Step();

        Assert.Null(result.AbortMessage);
        Assert.Equal(["edge-d", "edge-e", "edge-f"], result.Admitted);
    }

    [Fact]
    public void ZeroThreshold_WithOnlySuccesses_DoesNotAbort()
    {
        var run = new RolloutRun(RolloutRun.Limits("1", null, Abort(AbortFailureTypes.All, 0)), devices: 2);
        run.Step();
        run.Report(RolloutOutcomes.Succeeded, "edge-a");

        Assert.Null(run.Step().AbortMessage);
    }

    [Fact]
    public void AbortedRollout_LeavesUnadmittedDevicesOnThePreviousRevision_UntilANewRevision()
    {
        var run = new RolloutRun(null);
        run.Step();
        run.NewRevision("2.0.0", RolloutRun.Limits("2", null, Abort(AbortFailureTypes.Failed, 100)));
        Assert.Equal("1.0.0", run.VersionOn("edge-a")); // before the reconciler sees the new revision

        run.Step();
        run.Report(RolloutOutcomes.Failed, "edge-a", "edge-b");
        var aborted = run.Step();

        Assert.NotNull(aborted.AbortMessage);
        Assert.Equal(["2.0.0", "2.0.0", "1.0.0", "1.0.0", "1.0.0", "1.0.0"],
            new[] { "edge-a", "edge-b", "edge-c", "edge-d", "edge-e", "edge-f" }.Select(run.VersionOn));
        Assert.Equal(1, run.Record.StableRevision);
        Assert.Empty(run.Step().Admitted);

        run.NewRevision("3.0.0");
        var next = run.Step();
        Assert.True(next.Started);
        Assert.Equal(RolloutPhases.InProgress, run.Record.Phase);
        Assert.Null(run.Record.Message);
        Assert.Equal(["edge-a", "edge-b"], next.Admitted);
        Assert.Equal("3.0.0", run.VersionOn("edge-a"));
        Assert.Equal("1.0.0", run.VersionOn("edge-c"));
        Assert.Equal([1L, 3L], run.Record.Revisions!.Select(r => r.Revision));
    }

    [Fact]
    public void WithoutRolloutLimits_EveryDeviceRunsTheSpecAtOnce()
    {
        var run = new RolloutRun(null);

        var result = run.Step();

        Assert.Empty(result.Admitted);
        Assert.Null(run.Record.Phase);
        Assert.Equal(1, run.Record.StableRevision);
        Assert.All(run.Targeted, d => Assert.Equal("1.0.0", run.VersionOn(d)));
    }

    [Fact]
    public void DeviceJoiningLater_FollowsTheRollout_OrGetsTheStableRevisionWhenAborted()
    {
        var run = new RolloutRun(RolloutRun.Limits("1", null, Abort(AbortFailureTypes.Failed, 100)), devices: 2);
        run.Step();
        run.Report(RolloutOutcomes.Succeeded, "edge-a");
        run.Step();
        run.Report(RolloutOutcomes.Succeeded, "edge-b");
        Assert.True(run.Step().Completed);

        run.Targeted.Add("edge-z");
        Assert.Equal(["edge-z"], run.Step().Admitted);
        Assert.Equal(RolloutPhases.InProgress, run.Record.Phase);
        run.Report(RolloutOutcomes.Succeeded, "edge-z");
        run.Step();

        run.NewRevision("2.0.0");
        run.Targeted.Remove("edge-z");
        run.Step();
        run.Report(RolloutOutcomes.Failed, "edge-a");
        run.Step();
        Assert.Equal(RolloutPhases.Aborted, run.Record.Phase);

        run.Targeted.Add("edge-y");
        Assert.Empty(run.Step().Admitted);
        Assert.Equal("1.0.0", run.VersionOn("edge-y"));
        Assert.Equal("1.0.0", run.VersionOn("edge-b"));
        Assert.Equal("2.0.0", run.VersionOn("edge-a"));
    }

    [Fact]
    public void DeviceLeavingTheTarget_IsDroppedFromTheRecord()
    {
        var run = new RolloutRun(RolloutRun.Limits("2"));
        run.Step();

        run.Targeted.Remove("edge-a");
        var result = run.Step();

        Assert.DoesNotContain(run.Record.Devices!, e => e.Name == "edge-a");
        Assert.Equal(["edge-c"], result.Admitted);
    }

    [Fact]
    public void RecordWrittenByAnOperatorWithoutRollouts_IsTakenAsCompleted()
    {
        var run = new RolloutRun(RolloutRun.Limits("1"));
        run.Deployment.Status = new DeploymentStatus { ObservedGeneration = 1 };
        Assert.Equal("1.0.0", run.VersionOn("edge-f"));

        var result = run.Step();

        Assert.False(result.Started);
        Assert.Equal(1, run.Record.StableRevision);
        Assert.Equal("1.0.0", run.VersionOn("edge-f"));
    }

    [Fact]
    public void InvalidMaxConcurrent_AdmitsNothing_AndNamesTheField()
    {
        var run = new RolloutRun(RolloutRun.Limits("many"));

        var result = run.Step();

        Assert.Empty(result.Admitted);
        Assert.StartsWith("spec.rollout.maxConcurrent", result.SpecError);
    }
}
