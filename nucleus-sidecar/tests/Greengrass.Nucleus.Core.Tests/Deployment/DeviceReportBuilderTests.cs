using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Core.Deployment;
using Greengrass.Nucleus.Core.Lifecycle;
using Greengrass.Nucleus.Core.Tests.Lifecycle;

namespace Greengrass.Nucleus.Core.Tests.Deployment;

public sealed class DeviceReportBuilderTests
{
    [Fact]
    public void Build_BrokenAndRunningComponents_UnhealthyWithCodesOnlyForTheBrokenOne()
    {
        var host = new LifecycleHarness()
            .Add("z.ok", Steps.RunService)
            .Add("a.bad", Steps.RunService)
            .Script("a.bad", LifecycleStepKind.Run, StepOutcome.Exit(1), StepOutcome.Exit(1), StepOutcome.Exit(1));
        host.Request("z.ok", DesiredRequest.Start);
        host.Request("a.bad", DesiredRequest.Start);
        var decision = DeploymentOutcome.FailedBeforeChange("ARTIFACT_CHECKSUM_MISMATCH", "DEVICE_ERROR", "digest mismatch");

        var report = DeviceReportBuilder.Build(
            "edge-1",
            "2.14.0",
            5,
            host.Coordinator.Components.Select(c => DeviceReportBuilder.BuildComponent(host.Coordinator[c], "1.0.0")),
            DeviceReportBuilder.BuildDeployment("dep-6", 6, decision));

        Assert.Equal(DeviceHealth.Unhealthy, report.OverallHealth);
        Assert.Equal(["a.bad", "z.ok"], report.Components.Select(c => c.Name));
        var bad = report.Components[0];
        Assert.Equal(ComponentState.Broken, bad.State);
        Assert.Equal(["RUN_ERROR"], bad.StatusCodes);
        Assert.Equal(2, bad.RestartCount);
        Assert.Empty(report.Components[1].StatusCodes);
        Assert.Equal(DeploymentStatus.FailedNoStateChange, report.Deployment!.Status);
        Assert.Equal(ContractJson.SerializeReport(report), ContractJson.SerializeReport(ContractJson.DeserializeReport(ContractJson.SerializeReport(report))));
    }
}
