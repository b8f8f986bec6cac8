using Greengrass.Api;
using Greengrass.Operator.Reconcilers;

namespace Greengrass.Operator.Tests.Rollouts;

public sealed class DeploymentProgressRolloutTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static DeploymentProgress Base(int targeted) => new(targeted, 0, 0, 0, targeted, []);

    [Fact]
    public void AbortedRollout_IsStalledWithRolloutAborted_AndCountsTheRollout()
    {
        var run = new RolloutRun(RolloutRun.Limits("2"));
        var rollout = new DeploymentRolloutStatus
        {
            Phase = RolloutPhases.Aborted, Admitted = 2, Failed = 1, TimedOut = 1, Succeeded = 0,
            Message = "revision 1: abort criterion FAILED >= 50% (minNumberOfDevices 2) met: 1 of 2 finished devices (50%)",
        };
        var status = new DeploymentStatus();

        DeploymentProgress.Apply(run.Deployment, status, Base(6).WithRollout(rollout), Now);

        Assert.Equal(DeploymentPhases.Aborted, status.Phase);
        var stalled = Conditions.Find(status.Conditions, ConditionTypes.Stalled)!;
        Assert.Equal((ConditionReasons.RolloutAborted, rollout.Message), (stalled.Reason, stalled.Message));
        Assert.Equal(ConditionReasons.RolloutAborted, Conditions.Find(status.Conditions, ConditionTypes.Ready)!.Reason);
        Assert.Null(Conditions.Find(status.Conditions, ConditionTypes.Progressing));
        Assert.Equal((6, 0, 2, 0, 4), (status.Devices!.Targeted, status.Devices.Succeeded, status.Devices.Failed, status.Devices.InProgress, status.Devices.Pending));
    }

    [Fact]
    public void FailedDevice_WhileTheRolloutGoesOn_IsProgressingNotStalled()
    {
        var run = new RolloutRun(RolloutRun.Limits("2"));
        var rollout = new DeploymentRolloutStatus { Phase = RolloutPhases.InProgress, Admitted = 3, Failed = 1, Succeeded = 1 };
        var status = new DeploymentStatus();

        DeploymentProgress.Apply(run.Deployment, status, Base(6).WithRollout(rollout), Now);

        Assert.Equal(DeploymentPhases.InProgress, status.Phase);
        Assert.Null(Conditions.Find(status.Conditions, ConditionTypes.Stalled));
        Assert.True(Conditions.IsTrue(status.Conditions, ConditionTypes.Progressing));
        Assert.Equal((1, 3), (status.Devices!.InProgress, status.Devices.Pending));
    }

    [Fact]
    public void FinishedRolloutWithFailures_IsFailed()
    {
        var run = new RolloutRun(RolloutRun.Limits("2"), devices: 2);
        var rollout = new DeploymentRolloutStatus { Phase = RolloutPhases.Completed, Admitted = 2, Rejected = 1, Succeeded = 1 };
        var status = new DeploymentStatus();

        DeploymentProgress.Apply(run.Deployment, status, Base(2).WithRollout(rollout), Now);

        Assert.Equal(DeploymentPhases.Failed, status.Phase);
        Assert.Equal("DeviceFailed", Conditions.Find(status.Conditions, ConditionTypes.Stalled)!.Reason);
    }
}
