using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Core.Dependencies;
using Greengrass.Nucleus.Core.Deployment;
using Greengrass.Nucleus.Core.Planning;
using static Greengrass.Nucleus.Contracts.ComponentState;
using static Greengrass.Nucleus.Core.Tests.Planning.PlanFixtures;

namespace Greengrass.Nucleus.Core.Tests.Deployment;

public sealed class DeploymentOutcomeTests
{
    private static readonly DependencyGraph Graph = DependencyGraph.From(
        [Component("a"), Component("b", "1.0.0", "a"), Component("c"), Component("old")]);

    private static OutcomeDecision Decide(
        FailureHandlingPolicy policy,
        DeploymentPhase phase,
        string[] awaited,
        (string Name, ComponentState State)[] states,
        params string[] brokenBefore) =>
        DeploymentOutcome.Decide(new DeploymentProgress(
            phase,
            policy,
            awaited,
            states.ToDictionary(s => s.Name, s => s.State),
            brokenBefore.ToHashSet(),
            Graph));

    [Theory]
    [InlineData(FailureHandlingPolicy.Rollback)]
    [InlineData(FailureHandlingPolicy.DoNothing)]
    public void Decide_AwaitedStillStarting_WaitsWithoutTimeout(FailureHandlingPolicy policy)
    {
        var decision = Decide(policy, DeploymentPhase.Applying, ["a", "b"], [("a", Running), ("b", Installed)]);

        Assert.Equal(OutcomeKind.Waiting, decision.Kind);
        Assert.Equal(DeploymentStatus.InProgress, decision.Status);
    }

    [Fact]
    public void Decide_AwaitedErrored_KeepsWaitingForRetryOrBroken()
    {
        var decision = Decide(FailureHandlingPolicy.Rollback, DeploymentPhase.Applying, ["a"], [("a", Errored)]);

        Assert.Equal(OutcomeKind.Waiting, decision.Kind);
    }

    [Fact]
    public void Decide_AwaitedNotKnownYet_Waits()
    {
        Assert.Equal(OutcomeKind.Waiting, Decide(FailureHandlingPolicy.Rollback, DeploymentPhase.Applying, ["a"], []).Kind);
    }

    [Fact]
    public void Decide_AllRunningOrFinished_Succeeded()
    {
        var decision = Decide(FailureHandlingPolicy.Rollback, DeploymentPhase.Applying, ["a", "c"], [("a", Running), ("c", Finished), ("old", Errored)]);

        Assert.Equal(OutcomeKind.Completed, decision.Kind);
        Assert.Equal(DeploymentStatus.Succeeded, decision.Status);
        Assert.Equal("SUCCESSFUL", decision.DetailedStatus);
        Assert.Empty(decision.ErrorStack);
    }

    [Fact]
    public void Decide_BrokenWithRollback_RollsBackAndStaysInProgress()
    {
        var decision = Decide(FailureHandlingPolicy.Rollback, DeploymentPhase.Applying, ["a", "c"], [("a", Running), ("c", Broken)]);

        Assert.Equal(OutcomeKind.RollBack, decision.Kind);
        Assert.Equal(DeploymentStatus.InProgress, decision.Status);
        Assert.Equal(["c"], decision.BrokenComponents);
        Assert.Equal(["DEPLOYMENT_FAILURE", "COMPONENT_UPDATE_ERROR", "COMPONENT_BROKEN"], decision.ErrorStack);
    }

    [Fact]
    public void Decide_BrokenWithDoNothing_FailedRollbackNotRequested()
    {
        var decision = Decide(FailureHandlingPolicy.DoNothing, DeploymentPhase.Applying, ["a", "c"], [("a", Running), ("c", Broken)]);

        Assert.Equal(OutcomeKind.Completed, decision.Kind);
        Assert.Equal(DeploymentStatus.FailedRollbackNotRequested, decision.Status);
        Assert.Equal("FAILED_ROLLBACK_NOT_REQUESTED", decision.DetailedStatus);
        Assert.Equal(["COMPONENT_ERROR", "USER_COMPONENT_ERROR"], decision.ErrorTypes);
        Assert.Contains("c", decision.FailureCause, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_NotAwaitedComponentBecameBroken_StillFails()
    {
        var decision = Decide(FailureHandlingPolicy.DoNothing, DeploymentPhase.Applying, ["a"], [("a", Running), ("old", Broken)]);

        Assert.Equal(DeploymentStatus.FailedRollbackNotRequested, decision.Status);
    }

    [Fact]
    public void Decide_BrokenBeforeDeployment_NotHeldAgainstIt()
    {
        var decision = Decide(FailureHandlingPolicy.Rollback, DeploymentPhase.Applying, ["c"], [("c", Running), ("old", Broken)], "old");

        Assert.Equal(DeploymentStatus.Succeeded, decision.Status);
    }

    [Fact]
    public void Decide_RollbackRestoredEverything_FailedRollbackComplete()
    {
        var decision = Decide(FailureHandlingPolicy.Rollback, DeploymentPhase.RollingBack, ["a", "b"], [("a", Running), ("b", Running)]);

        Assert.Equal(DeploymentStatus.FailedRollbackComplete, decision.Status);
        Assert.Equal("FAILED_ROLLBACK_COMPLETE", decision.DetailedStatus);
    }

    [Fact]
    public void Decide_RollbackBreaks_FailedUnableToRollback()
    {
        var decision = Decide(FailureHandlingPolicy.Rollback, DeploymentPhase.RollingBack, ["a", "b"], [("a", Broken), ("b", Installed)]);

        Assert.Equal(DeploymentStatus.FailedUnableToRollback, decision.Status);
        Assert.Equal(["a"], decision.BrokenComponents);
    }

    [Fact]
    public void Decide_RollingBack_SkipsBrokenBeforeAndTheirHardDependents()
    {
        // a was BROKEN before the deployment; b HARD-depends on it and cannot start, so neither is awaited.
        var decision = Decide(FailureHandlingPolicy.Rollback, DeploymentPhase.RollingBack, ["a", "b", "c"],
            [("a", Broken), ("b", Installed), ("c", Running)], "a");

        Assert.Equal(DeploymentStatus.FailedRollbackComplete, decision.Status);
    }

    [Fact]
    public void Decide_AwsComponentBroken_AwsComponentErrorType()
    {
        var decision = DeploymentOutcome.Decide(new DeploymentProgress(
            DeploymentPhase.Applying, FailureHandlingPolicy.DoNothing, ["aws.greengrass.Cli"],
            new Dictionary<string, ComponentState> { ["aws.greengrass.Cli"] = Broken },
            new HashSet<string>(), Graph));

        Assert.Equal(["COMPONENT_ERROR", "AWS_COMPONENT_ERROR"], decision.ErrorTypes);
    }

    [Fact]
    public void RollbackFlow_PlannerRestoresThePreviousSet()
    {
        // The decision says RollBack: the host plans the previous plan against what runs now.
        var previous = Plan(Component("a"), Component("b", "1.0.0", "a"));
        var now = Current((Component("a", "2.0.0"), Broken), (Component("b", "1.0.0", "a"), Installed), (Component("extra"), Running));

        var steps = DeploymentPlanner.Plan(previous, now);

        Assert.Equal(["Stop extra", "Remove extra", "Reinstall a"], Describe(steps));
    }

    [Fact]
    public void FailedBeforeChange_FailedNoStateChange()
    {
        var decision = DeploymentOutcome.FailedBeforeChange("COMPONENT_CONFIGURATION_NOT_VALID", "COMPONENT_ERROR", "validation rejected");

        Assert.Equal(DeploymentStatus.FailedNoStateChange, decision.Status);
        Assert.Equal(["DEPLOYMENT_FAILURE", "COMPONENT_CONFIGURATION_NOT_VALID"], decision.ErrorStack);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData(-1, false)]
    [InlineData(0, false)]
    [InlineData(1, true)]
    public void RejectIfStale_OlderThanLastApplied_Rejected(int? lastAppliedOffsetSeconds, bool rejected)
    {
        var plan = Plan();
        DateTimeOffset? last = lastAppliedOffsetSeconds is { } s ? plan.CreationTimestamp.AddSeconds(s) : null;

        var decision = DeploymentOutcome.RejectIfStale(plan, last);

        Assert.Equal(rejected, decision is not null);
        if (decision is not null)
        {
            Assert.Equal(DeploymentStatus.Rejected, decision.Status);
            Assert.Contains("REJECTED_STALE_DEPLOYMENT", decision.ErrorStack);
        }
    }

    [Theory]
    [InlineData(new[] { Running, Errored, Finished }, DeviceHealth.Healthy)]
    [InlineData(new[] { Running, Broken }, DeviceHealth.Unhealthy)]
    [InlineData(new ComponentState[0], DeviceHealth.Healthy)]
    public void Health_OnlyBrokenIsUnhealthy(ComponentState[] states, DeviceHealth expected)
    {
        Assert.Equal(expected, DeploymentOutcome.Health(states));
    }
}
