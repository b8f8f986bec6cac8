using Greengrass.Api;
using Greengrass.Operator.Rollouts;

namespace Greengrass.Operator.Tests.Rollouts;

public sealed class RolloutLimitsTests
{
    [Theory]
    [InlineData("25%", 6, 2)]
    [InlineData("50%", 5, 3)]
    [InlineData("34%", 3, 2)]
    [InlineData("100%", 3, 3)]
    [InlineData("0%", 4, 1)]
    [InlineData("10%", 1, 1)]
    [InlineData("1%", 0, 1)]
    [InlineData("2", 6, 2)]
    [InlineData("0", 6, 1)]
    [InlineData("9", 3, 9)]
    public void MaxConcurrent_CountOrPercentRoundedUp_AtLeastOne(string value, int targeted, int expected)
    {
        Assert.Equal(expected, RolloutLimits.MaxConcurrent(value, targeted, out var error));
        Assert.Null(error);
    }

    [Fact]
    public void MaxConcurrent_Absent_IsEveryTargetedDevice()
    {
        Assert.Equal(7, RolloutLimits.MaxConcurrent(null, 7, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("150%")]
    [InlineData("x%")]
    public void MaxConcurrent_Unreadable_NamesTheField(string value)
    {
        Assert.Equal(0, RolloutLimits.MaxConcurrent(value, 4, out var error));
        Assert.Contains("spec.rollout.maxConcurrent", error);
        Assert.Contains(value, error);
    }

    [Theory]
    [InlineData(AbortFailureTypes.Failed, 1, 0, 0, 3, 25, true)]
    [InlineData(AbortFailureTypes.Failed, 1, 0, 0, 4, 25, false)]
    [InlineData(AbortFailureTypes.Rejected, 0, 2, 0, 2, 50, true)]
    [InlineData(AbortFailureTypes.TimedOut, 1, 1, 0, 0, 10, false)]
    [InlineData(AbortFailureTypes.TimedOut, 0, 0, 1, 0, 100, true)]
    [InlineData(AbortFailureTypes.All, 1, 1, 1, 3, 50, true)]
    [InlineData(AbortFailureTypes.All, 1, 0, 0, 3, 50, false)]
    public void AbortReason_ThresholdOfFinishedDevices(string type, int failed, int rejected, int timedOut, int succeeded, double threshold, bool aborts)
    {
        var counts = new DeploymentRolloutStatus { Failed = failed, Rejected = rejected, TimedOut = timedOut, Succeeded = succeeded };

        var reason = RolloutLimits.AbortReason([new AbortCriterion { FailureType = type, ThresholdPercentage = threshold }], counts);

        Assert.Equal(aborts, reason is not null);
    }

    [Fact]
    public void AbortReason_NamesTheCriterionAndTheCounts()
    {
        var counts = new DeploymentRolloutStatus { Failed = 2, Succeeded = 1, Rejected = 0, TimedOut = 1 };

        var reason = RolloutLimits.AbortReason([new AbortCriterion { FailureType = AbortFailureTypes.Failed, ThresholdPercentage = 40, MinNumberOfDevices = 4 }], counts);

        Assert.Equal("abort criterion FAILED >= 40% (minNumberOfDevices 4) met: 2 of 4 finished devices (50%); 2 failed, 0 rejected, 1 timed out, 1 succeeded", reason);
    }
}
