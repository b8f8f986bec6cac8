using Greengrass.Api;
using Greengrass.Model.Platforms;
using Greengrass.Model.Recipes;
using Greengrass.Nucleus.Contracts;
using Greengrass.Operator.Components;
using Greengrass.Operator.Devices;
using Greengrass.Operator.Rollouts;
using Greengrass.Operator.Tests.Devices;

namespace Greengrass.Operator.Tests.Rollouts;

/// <summary>The device plan built from what the rollout gives a device, as the CoreDevice reconciler builds it.</summary>
public sealed class RolloutPlanTests
{
    private static Component App(string version) => ComponentRecipeMapper.ToComponent(RecipeReader.Parse($"""
        RecipeFormatVersion: '2020-01-25'
        ComponentName: {RolloutRun.App}
        ComponentVersion: '{version}'
        Manifests:
          - Platform: {"{"} os: linux {"}"}
            Lifecycle:
              Run: sleep 1000
        """), "fleet");

    private static DevicePlanResult PlanOf(string device, RolloutRun run)
    {
        var coreDevice = DeviceBuildersTests.Device();
        coreDevice.Metadata.Name = device;
        return DevicePlanBuilder.Build(new DevicePlanInput(coreDevice, [.. RolloutView.EffectiveFor(coreDevice, [run.Deployment])],
            [App("1.0.0"), App("2.0.0")], DevicePlatform.Create("linux", "amd64"), null, run.Time.GetUtcNow()));
    }

    [Fact]
    public void DeviceNotAdmittedYet_GetsAValidEmptyPlan()
    {
        var run = new RolloutRun(RolloutRun.Limits("1"), devices: 2);
        run.Step();

        var plan = PlanOf("edge-b", run).Plan!;

        Assert.Empty(plan.Components);
        Assert.Equal(plan.DeploymentId, ContractJson.DeserializePlan(ContractJson.SerializePlan(plan)).DeploymentId);
    }

    [Fact]
    public void DeviceOnAnOlderRevision_GetsThatRevisionsComponents_TaggedWithIt()
    {
        var run = new RolloutRun(RolloutRun.Limits("1"), devices: 2);
        run.Step();
        run.Report(RolloutOutcomes.Succeeded, "edge-a");
        run.Step();
        run.Report(RolloutOutcomes.Succeeded, "edge-b");
        run.Step();
        run.NewRevision("2.0.0");
        run.Step();

        var admitted = PlanOf("edge-a", run).Plan!;
        var waiting = PlanOf("edge-b", run).Plan!;

        Assert.Equal(("apps@2", "2.0.0"), (admitted.DeploymentId, admitted.Components.Single().Version));
        Assert.Equal(("apps@1", "1.0.0"), (waiting.DeploymentId, waiting.Components.Single().Version));
    }
}
