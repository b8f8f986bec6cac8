using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Core.Deployment;
using Greengrass.Nucleus.Core.Planning;
using static Greengrass.Nucleus.Core.Tests.Planning.PlanFixtures;

namespace Greengrass.Nucleus.Core.Tests.Deployment;

public sealed class RestartFlowTests
{
    private static PlannedComponent Boot(string name, string version = "1.0.0", bool onRollback = false, params string[] dependencies) =>
        Component(name, version, dependencies) with
        {
            Lifecycle = Component(name).Lifecycle with { Bootstrap = new LifecycleStep { Script = $"boot {name} {version}", BootstrapOnRollback = onRollback } },
        };

    private static RestartFailure Failure => RestartFlow.BootstrapFailed("x", "the process exited with code 3", timedOut: false);

    [Fact]
    public void Begin_BootstrapTargets_AreInDependencyOrderWithinTheSubset()
    {
        // c depends on plain, plain depends on a: a bootstraps before c although the plan lists c first.
        var plan = Plan(Boot("c", dependencies: "plain"), Component("plain", "1.0.0", "a"), Boot("a"));

        var record = RestartFlow.Begin(plan, null, CurrentState.Empty, ["a needs its Bootstrap step"]);

        Assert.Equal(RestartStage.Bootstrap, record.Stage);
        Assert.Equal(["a", "c"], record.Remaining);
    }

    [Fact]
    public void Begin_RestartWithoutBootstrapSteps_GoesStraightToActivation()
    {
        var plugin = Component("aws.greengrass.clientdevices.Auth") with { ComponentType = ComponentType.Plugin };

        var record = RestartFlow.Begin(Plan(plugin), null, CurrentState.Empty, ["plugin aws.greengrass.clientdevices.Auth is new"]);

        Assert.Equal(RestartStage.Activation, record.Stage);
        Assert.Empty(record.Remaining);
    }

    [Theory]
    [InlineData(0, "Continue")]
    [InlineData(100, "RestartNow")]
    [InlineData(101, "RestartNow")]
    [InlineData(1, "Failed")]
    [InlineData(99, "Failed")]
    [InlineData(102, "Failed")]
    [InlineData(null, "Failed")]
    public void Judge_ExitCode_FollowsTheBootstrapCodes(int? code, string expected) =>
        Assert.Equal(expected, RestartFlow.Judge(code).ToString());

    [Fact]
    public void Completed_LastTask_MovesToActivation()
    {
        var record = RestartFlow.Begin(Plan(Boot("a"), Boot("b")), null, CurrentState.Empty, []);

        var afterA = RestartFlow.Completed(RestartFlow.Starting(record, "a"), "a");
        var afterB = RestartFlow.Completed(RestartFlow.Starting(afterA, "b"), "b");

        Assert.Equal(RestartStage.Bootstrap, afterA.Stage);
        Assert.Equal(["b"], afterA.Remaining);
        Assert.Equal(RestartStage.Activation, afterB.Stage);
        Assert.Empty(afterB.Remaining);
        Assert.Equal(["a", "b"], afterB.Started);
    }

    [Fact]
    public void Fail_WithRollback_RerunsOnlyOptedInBootstrapsThatStarted()
    {
        var previous = Plan(Boot("a", "1.0.0", onRollback: true), Boot("b", "1.0.0", onRollback: true), Boot("c", "1.0.0", onRollback: false));
        var desired = Plan(Boot("a", "2.0.0"), Boot("b", "2.0.0"), Boot("c", "2.0.0"));
        var record = RestartFlow.Begin(desired, previous, Current(previous.Components.ToArray()), []);
        // a and c started; b never did (a failed before it).
        record = RestartFlow.Starting(RestartFlow.Starting(record, "a"), "c");

        var failed = RestartFlow.Fail(record, Failure);

        Assert.Equal(RestartStage.RollbackBootstrap, failed.Stage);
        Assert.Equal(["a"], failed.Remaining);
        Assert.Equal(RestartStage.Rollback, RestartFlow.Completed(failed, "a").Stage);
    }

    [Fact]
    public void Fail_WithRollbackAndNothingToRebootstrap_GoesStraightToRollback()
    {
        var record = RestartFlow.Begin(Plan(Boot("a")), Plan(), CurrentState.Empty, []);

        var failed = RestartFlow.Fail(RestartFlow.Starting(record, "a"), Failure);

        Assert.Equal(RestartStage.Rollback, failed.Stage);
        Assert.Empty(failed.Remaining);
        Assert.Equal(DeploymentStatus.FailedRollbackComplete, RestartFlow.Final(failed, Rolled(DeploymentStatus.FailedRollbackComplete)).Status);
    }

    [Fact]
    public void Fail_DoNothing_ActivatesTheNewPlanAndEndsRollbackNotRequested()
    {
        var plan = Plan(Boot("a")) with { Policies = new DeploymentPolicies { FailureHandling = FailureHandlingPolicy.DoNothing } };
        var record = RestartFlow.Begin(plan, null, CurrentState.Empty, []);

        var failed = RestartFlow.Fail(record, Failure);
        var final = RestartFlow.Final(failed, rollback: null);

        Assert.Equal(RestartStage.Activation, failed.Stage);
        Assert.Equal(DeploymentStatus.FailedRollbackNotRequested, final.Status);
        Assert.Contains("COMPONENT_BOOTSTRAP_ERROR", final.ErrorStack);
        Assert.Equal(RestartStage.Done, RestartFlow.Fail(failed with { Stage = RestartStage.Activation }, Failure).Stage);
    }

    [Fact]
    public void Fail_DuringRollbackBootstrap_StillRestoresButEndsUnableToRollback()
    {
        var record = new RestartRecord { Plan = Plan(Boot("a", "2.0.0")), Previous = Plan(Boot("a", onRollback: true)), Stage = RestartStage.RollbackBootstrap, Remaining = ["a"], Failure = Failure };

        var failed = RestartFlow.Fail(record, RestartFlow.BootstrapFailed("a", "timed out", timedOut: true));

        Assert.Equal(RestartStage.Rollback, failed.Stage);
        Assert.Equal(DeploymentStatus.FailedUnableToRollback, RestartFlow.Final(failed, Rolled(DeploymentStatus.FailedRollbackComplete)).Status);
    }

    [Fact]
    public void OnStart_EachStage_ResumesWhereItStopped()
    {
        var plan = Plan(Boot("a"));
        Assert.Equal(ResumeAction.None, RestartFlow.OnStart(null).Action);
        Assert.Equal(ResumeAction.None, RestartFlow.OnStart(new RestartRecord { Plan = plan, Stage = RestartStage.Done }).Action);
        Assert.Equal(ResumeAction.RunBootstraps, RestartFlow.OnStart(new RestartRecord { Plan = plan, Stage = RestartStage.Bootstrap, Remaining = ["a"] }).Action);
        Assert.Equal(ResumeAction.RunBootstraps, RestartFlow.OnStart(new RestartRecord { Plan = plan, Stage = RestartStage.RollbackBootstrap, Remaining = ["a"] }).Action);
        Assert.Equal(ResumeAction.RollBack, RestartFlow.OnStart(new RestartRecord { Plan = plan, Stage = RestartStage.Rollback }).Action);
    }

    [Fact]
    public void OnStart_ActivationStartedTooOften_RollsBackWhateverThePolicy()
    {
        var plan = Plan(Boot("a")) with { Policies = new DeploymentPolicies { FailureHandling = FailureHandlingPolicy.DoNothing } };
        var record = new RestartRecord { Plan = plan, Previous = Plan(), Stage = RestartStage.Activation };
        var actions = new List<ResumeAction>();
        for (var start = 0; start < RestartFlow.MaxActivationStarts + 1; start++)
        {
            (var action, record) = RestartFlow.OnStart(record);
            actions.Add(action);
        }

        Assert.Equal([ResumeAction.Activate, ResumeAction.Activate, ResumeAction.Activate, ResumeAction.RollBack], actions);
        Assert.Equal(RestartStage.Rollback, record!.Stage);
        Assert.Contains("NUCLEUS_RESTART_FAILURE", record.Failure!.ErrorStack);
        Assert.Equal(DeploymentStatus.FailedRollbackComplete, RestartFlow.Final(record, Rolled(DeploymentStatus.FailedRollbackComplete)).Status);
    }

    [Fact]
    public void Final_WithoutFailure_IsSuccessful() =>
        Assert.Equal(DeploymentStatus.Succeeded, RestartFlow.Final(new RestartRecord { Plan = Plan(), Stage = RestartStage.Done }, null).Status);

    private static OutcomeDecision Rolled(DeploymentStatus status) =>
        new(OutcomeKind.Completed, status, null, [], [], status == DeploymentStatus.FailedRollbackComplete ? null : "Rollback failed.", []);
}
