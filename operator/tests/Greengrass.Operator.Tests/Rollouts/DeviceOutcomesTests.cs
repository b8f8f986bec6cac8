using Greengrass.Api;
using Greengrass.Nucleus.Contracts;
using Greengrass.Operator.Rollouts;
using k8s.Models;

namespace Greengrass.Operator.Tests.Rollouts;

public sealed class DeviceOutcomesTests
{
    private static readonly DateTime Now = new(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc);

    private static DevicePlan Plan(long revision, string deploymentId) => new()
    {
        SchemaVersion = DevicePlan.CurrentSchemaVersion,
        ThingName = "EdgeA",
        DeploymentId = deploymentId,
        Revision = revision,
        CreationTimestamp = DateTimeOffset.UnixEpoch,
        GroupId = "fleet/edge-a",
        Policies = new Nucleus.Contracts.DeploymentPolicies(),
        Components = [],
    };

    private static CoreDevice Device(long? lastRevision = null, string? lastStatus = null, string? stalledMessage = null)
    {
        var status = new CoreDeviceStatus { Conditions = [] };
        if (lastRevision is { } revision)
        {
            status.LastDeployment = new DeviceDeploymentStatus { Revision = revision, Status = lastStatus! };
        }

        if (stalledMessage is not null)
        {
            Conditions.Set(status.Conditions, ConditionTypes.Stalled, ConditionStatuses.True, ConditionReasons.VersionConflict, stalledMessage, 1, Now);
        }

        return new CoreDevice { Metadata = new V1ObjectMeta { Name = "edge-a", NamespaceProperty = "fleet" }, Status = status };
    }

    [Theory]
    [InlineData("SUCCEEDED", RolloutOutcomes.Succeeded)]
    [InlineData("FAILED_ROLLBACK_COMPLETE", RolloutOutcomes.Failed)]
    [InlineData("FAILED_NO_STATE_CHANGE", RolloutOutcomes.Failed)]
    [InlineData("REJECTED", RolloutOutcomes.Rejected)]
    [InlineData("IN_PROGRESS", null)]
    public void LastDeployment_OfThePlanCarryingTheRevision_IsTheOutcome(string reported, string? expected)
    {
        var outcome = DeviceOutcomes.Read("apps", 2, Device(7, reported), Plan(7, "base@1,apps@2"));

        Assert.Equal(expected, outcome);
    }

    [Fact]
    public void LastDeployment_OfAnOlderPlan_IsNoOutcomeYet()
    {
        Assert.Null(DeviceOutcomes.Read("apps", 2, Device(6, "SUCCEEDED"), Plan(7, "apps@2")));
    }

    [Fact]
    public void Plan_WithoutTheRevision_IsNoOutcomeYet()
    {
        Assert.Null(DeviceOutcomes.Read("apps", 2, Device(7, "SUCCEEDED"), Plan(7, "apps@1")));
        Assert.Null(DeviceOutcomes.Read("apps", 2, Device(7, "SUCCEEDED"), null));
    }

    [Fact]
    public void PlanError_NamingTheRevision_IsFailed_NamingAnotherRevision_IsNot()
    {
        var current = Device(stalledMessage: "components pin 1.0.0 and 2.0.0 [deployments: pin@4, apps@2]");
        var stale = Device(stalledMessage: "components pin 1.0.0 and 2.0.0 [deployments: pin@4, apps@1]");

        Assert.Equal(RolloutOutcomes.Failed, DeviceOutcomes.Read("apps", 2, current, Plan(7, "apps@1")));
        Assert.Null(DeviceOutcomes.Read("apps", 2, stale, Plan(7, "apps@1")));
    }

    [Fact]
    public void InvolvedTags_WithoutMarker_IsEmpty()
    {
        Assert.Empty(DeviceOutcomes.InvolvedTags("component has no manifest for the platform"));
        Assert.Equal(["a@1", "b@3"], DeviceOutcomes.InvolvedTags("conflict [deployments: a@1, b@3]"));
    }
}
