using Greengrass.Api;
using Greengrass.Operator.Devices;
using k8s.Models;

namespace Greengrass.Operator.Tests.Devices;

public sealed class CoreDeviceStatusBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static V1Pod RunningPod() => new()
    {
        Metadata = new V1ObjectMeta { Name = "edge-a-nucleus" },
        Spec = new V1PodSpec { NodeName = "node-1" },
        Status = new V1PodStatus { Phase = "Running" },
    };

    private static DeviceObservation Seen(V1Pod? pod, long? desired = 2, string? planError = null) =>
        new(pod, desired, planError, planError is null ? null : "component \"a\": no version satisfies", Now, TimeSpan.FromMinutes(2));

    private static CoreDeviceStatus Reported(params (string Name, string State)[] components) => new()
    {
        AppliedRevision = 2,
        LastStatusUpdate = Now.UtcDateTime.AddSeconds(-10),
        Components = [.. components.Select(c => new ComponentRuntimeStatus { Name = c.Name, State = c.State })],
    };

    [Fact]
    public void AllRunning_IsHealthyAndReady()
    {
        var device = DeviceBuildersTests.Device();
        var status = Reported(("a", ComponentStates.Running), ("b", ComponentStates.Finished));

        CoreDeviceStatusBuilder.Apply(device, status, Seen(RunningPod()));

        Assert.Equal(DeviceHealth.Healthy, status.Health);
        Assert.Equal("2/2", status.ComponentsSummary);
        Assert.Equal("node-1", status.Node);
        Assert.True(Conditions.IsTrue(status.Conditions, ConditionTypes.Ready));
        Assert.Null(Conditions.Find(status.Conditions, ConditionTypes.Reconciling));
        Assert.Equal(3, status.ObservedGeneration);
    }

    [Fact]
    public void NucleusRestartingForTheDesiredRevision_IsReconcilingWithTheStageAndRestartCount()
    {
        var pod = RunningPod();
        pod.Status.ContainerStatuses = [new V1ContainerStatus { Name = "nucleus", RestartCount = 1, Image = "nucleus", ImageID = "", Ready = false }];
        var status = Reported(("a", ComponentStates.Finished));
        status.AppliedRevision = 1;
        status.LastDeployment = new DeviceDeploymentStatus { Revision = 2, Status = "IN_PROGRESS", DetailedStatus = "BOOTSTRAP" };

        CoreDeviceStatusBuilder.Apply(DeviceBuildersTests.Device(), status, Seen(pod));

        var reconciling = Conditions.Find(status.Conditions, ConditionTypes.Reconciling)!;
        Assert.Equal((ConditionStatuses.True, ConditionReasons.NucleusRestarting), (reconciling.Status, reconciling.Reason));
        Assert.Equal("plan revision 2: the nucleus restarts to apply it (stage BOOTSTRAP); nucleus container restarts: 1", reconciling.Message);
        Assert.False(Conditions.IsTrue(status.Conditions, ConditionTypes.Ready));
        Assert.Null(Conditions.Find(status.Conditions, ConditionTypes.Stalled));
    }

    [Fact]
    public void InProgressWithoutStage_IsStillApplyingPlan()
    {
        var status = Reported(("a", ComponentStates.Running));
        status.AppliedRevision = 1;
        status.LastDeployment = new DeviceDeploymentStatus { Revision = 2, Status = "IN_PROGRESS" };

        CoreDeviceStatusBuilder.Apply(DeviceBuildersTests.Device(), status, Seen(RunningPod()));

        Assert.Equal("ApplyingPlan", Conditions.Find(status.Conditions, ConditionTypes.Ready)!.Reason);
    }

    [Fact]
    public void ErroredAlone_StaysHealthy_ButNotReady()
    {
        var status = Reported(("a", ComponentStates.Errored));
        CoreDeviceStatusBuilder.Apply(DeviceBuildersTests.Device(), status, Seen(RunningPod()));

        Assert.Equal(DeviceHealth.Healthy, status.Health);
        Assert.Equal("ComponentsNotReady", Conditions.Find(status.Conditions, ConditionTypes.Ready)!.Reason);
        Assert.True(Conditions.IsTrue(status.Conditions, ConditionTypes.Reconciling));
    }

    [Fact]
    public void Broken_IsUnhealthyAndStalled_WithTheComponentInTheMessage()
    {
        var status = Reported(("a", ComponentStates.Running), ("b", ComponentStates.Broken));
        CoreDeviceStatusBuilder.Apply(DeviceBuildersTests.Device(), status, Seen(RunningPod()));

        Assert.Equal(DeviceHealth.Unhealthy, status.Health);
        var ready = Conditions.Find(status.Conditions, ConditionTypes.Ready)!;
        Assert.Equal("ComponentBroken", ready.Reason);
        Assert.Contains("b is BROKEN", ready.Message);
        Assert.True(Conditions.IsTrue(status.Conditions, ConditionTypes.Stalled));
    }

    [Fact]
    public void StaleReport_IsOffline()
    {
        var status = Reported(("a", ComponentStates.Running));
        status.LastStatusUpdate = Now.UtcDateTime.AddMinutes(-5);
        CoreDeviceStatusBuilder.Apply(DeviceBuildersTests.Device(), status, Seen(RunningPod()));

        Assert.Equal(DeviceHealth.Offline, status.Health);
        Assert.Equal("NucleusOffline", Conditions.Find(status.Conditions, ConditionTypes.Ready)!.Reason);
    }

    [Fact]
    public void NoPod_IsPending()
    {
        var status = new CoreDeviceStatus();
        CoreDeviceStatusBuilder.Apply(DeviceBuildersTests.Device(), status, Seen(null));

        Assert.Equal(DeviceHealth.Pending, status.Health);
        Assert.Equal("PodPending", Conditions.Find(status.Conditions, ConditionTypes.Ready)!.Reason);
    }

    [Fact]
    public void PlanNotYetApplied_IsReconciling()
    {
        var status = Reported(("a", ComponentStates.Running));
        CoreDeviceStatusBuilder.Apply(DeviceBuildersTests.Device(), status, Seen(RunningPod(), desired: 3));

        Assert.Equal("ApplyingPlan", Conditions.Find(status.Conditions, ConditionTypes.Ready)!.Reason);
    }

    [Fact]
    public void FailedDeploymentOfTheDesiredRevision_IsStalledWithTheNucleusCause()
    {
        var status = Reported();
        status.AppliedRevision = 1;
        status.LastDeployment = new DeviceDeploymentStatus { Revision = 2, Status = "FAILED_ROLLBACK_COMPLETE", FailureCause = "com.example.App: INSTALL_ERROR" };
        CoreDeviceStatusBuilder.Apply(DeviceBuildersTests.Device(), status, Seen(RunningPod(), desired: 2));

        var stalled = Conditions.Find(status.Conditions, ConditionTypes.Stalled)!;
        Assert.Equal("DeploymentFailed", stalled.Reason);
        Assert.Contains("FAILED_ROLLBACK_COMPLETE: com.example.App: INSTALL_ERROR", stalled.Message);
        Assert.Equal(DeviceHealth.Healthy, status.Health); // rolled back: nothing is BROKEN
    }

    [Fact]
    public void MissingSecret_IsStalledSecretNotFound_WithTheFieldAndName()
    {
        var status = new CoreDeviceStatus();
        var pod = RunningPod();
        pod.Status = new V1PodStatus { Phase = "Pending" };
        const string missing = "spec.aws.credentials.secretRef.name: Secret \"edge-aws\" not found in namespace ns; the nucleus pod waits for it to mount";

        CoreDeviceStatusBuilder.Apply(DeviceBuildersTests.Device(), status, Seen(pod) with { MissingSecret = missing });

        var ready = Conditions.Find(status.Conditions, ConditionTypes.Ready)!;
        Assert.Equal((ConditionStatuses.False, ConditionReasons.SecretNotFound, missing), (ready.Status, ready.Reason, ready.Message));
        Assert.Equal(ConditionReasons.SecretNotFound, Conditions.Find(status.Conditions, ConditionTypes.Stalled)!.Reason);
        Assert.Null(Conditions.Find(status.Conditions, ConditionTypes.Reconciling));
        Assert.Equal(DeviceHealth.Pending, status.Health);
    }

    [Fact]
    public void PlanError_IsStalledWithTheModelsExplanation()
    {
        var status = new CoreDeviceStatus();
        CoreDeviceStatusBuilder.Apply(DeviceBuildersTests.Device(), status, Seen(RunningPod(), planError: ConditionReasons.DependencyUnresolved));

        var stalled = Conditions.Find(status.Conditions, ConditionTypes.Stalled)!;
        Assert.Equal(ConditionReasons.DependencyUnresolved, stalled.Reason);
        Assert.Contains("no version satisfies", stalled.Message);
    }

    [Fact]
    public void ReadyTransitionTime_MovesOnlyWhenTheStatusFlips()
    {
        var device = DeviceBuildersTests.Device();
        var status = Reported(("a", ComponentStates.Running));
        CoreDeviceStatusBuilder.Apply(device, status, Seen(RunningPod()));
        var first = Conditions.Find(status.Conditions, ConditionTypes.Ready)!.LastTransitionTime;

        CoreDeviceStatusBuilder.Apply(device, status, Seen(RunningPod()) with { Now = Now.AddMinutes(1) });
        Assert.Equal(first, Conditions.Find(status.Conditions, ConditionTypes.Ready)!.LastTransitionTime);

        status.Components![0].State = ComponentStates.Errored;
        CoreDeviceStatusBuilder.Apply(device, status, Seen(RunningPod()) with { Now = Now.AddMinutes(2) });
        Assert.NotEqual(first, Conditions.Find(status.Conditions, ConditionTypes.Ready)!.LastTransitionTime);
    }
}
