using Greengrass.Api;
using k8s.Models;

namespace Greengrass.Operator.Tests.Api;

public sealed class ConditionsTests
{
    private static readonly DateTimeOffset T0 = new(2024, 5, 1, 10, 0, 0, 250, TimeSpan.Zero);
    private static readonly DateTimeOffset T1 = T0.AddMinutes(5);

    [Fact]
    public void Set_NewCondition_AddsItWithTimeInWholeSeconds()
    {
        var conditions = new List<V1Condition>();

        var changed = Conditions.Set(conditions, ConditionTypes.Ready, ConditionStatuses.False, ConditionReasons.Progressing, "starting", 3, T0);

        Assert.True(changed);
        var ready = Assert.Single(conditions);
        Assert.Equal((ConditionTypes.Ready, ConditionStatuses.False, ConditionReasons.Progressing, "starting", (long?)3),
            (ready.Type, ready.Status, ready.Reason, ready.Message, ready.ObservedGeneration));
        Assert.Equal(new DateTime(2024, 5, 1, 10, 0, 0, DateTimeKind.Utc), ready.LastTransitionTime);
        Assert.Equal(DateTimeKind.Utc, ready.LastTransitionTime.Kind);
    }

    [Fact]
    public void Set_SameStatusNewReason_KeepsTransitionTime()
    {
        var conditions = new List<V1Condition>();
        Conditions.Set(conditions, ConditionTypes.Ready, ConditionStatuses.False, ConditionReasons.Progressing, "starting", 1, T0);

        var changed = Conditions.Set(conditions, ConditionTypes.Ready, ConditionStatuses.False, ConditionReasons.ComponentsNotReady, "2/3 ready", 2, T1);

        Assert.True(changed);
        var ready = Assert.Single(conditions);
        Assert.Equal(T0.UtcDateTime.AddMilliseconds(-250), ready.LastTransitionTime);
        Assert.Equal(ConditionReasons.ComponentsNotReady, ready.Reason);
        Assert.Equal("2/3 ready", ready.Message);
        Assert.Equal(2, ready.ObservedGeneration);
    }

    [Fact]
    public void Set_StatusFlips_MovesTransitionTime()
    {
        var conditions = new List<V1Condition>();
        Conditions.Set(conditions, ConditionTypes.Ready, ConditionStatuses.False, ConditionReasons.Progressing, null, 1, T0);

        Conditions.Set(conditions, ConditionTypes.Ready, ConditionStatuses.True, ConditionReasons.Succeeded, null, 1, T1);

        Assert.Equal(T1.UtcDateTime.AddMilliseconds(-250), Assert.Single(conditions).LastTransitionTime);
        Assert.True(Conditions.IsTrue(conditions, ConditionTypes.Ready));
    }

    [Fact]
    public void Set_NothingDifferent_ReportsNoChange()
    {
        var conditions = new List<V1Condition>();
        Conditions.Set(conditions, ConditionTypes.Stalled, ConditionStatuses.True, ConditionReasons.InvalidSpec, "spec.x is bad", 4, T0);

        var changed = Conditions.Set(conditions, ConditionTypes.Stalled, ConditionStatuses.True, ConditionReasons.InvalidSpec, "spec.x is bad", 4, T1);

        Assert.False(changed);
        Assert.Equal(T0.UtcDateTime.AddMilliseconds(-250), Assert.Single(conditions).LastTransitionTime);
    }

    [Fact]
    public void Set_NewGenerationOnly_StampsObservedGeneration()
    {
        var conditions = new List<V1Condition>();
        Conditions.Set(conditions, ConditionTypes.Ready, ConditionStatuses.True, ConditionReasons.Succeeded, "", 4, T0);

        Assert.True(Conditions.Set(conditions, ConditionTypes.Ready, ConditionStatuses.True, ConditionReasons.Succeeded, "", 5, T1));
        Assert.Equal(5, Assert.Single(conditions).ObservedGeneration);
    }

    [Fact]
    public void Set_SeveralTypes_KeepsThemApart()
    {
        var conditions = new List<V1Condition>();
        Conditions.Set(conditions, ConditionTypes.Ready, ConditionStatuses.False, ConditionReasons.Progressing, "", 1, T0);
        Conditions.Set(conditions, ConditionTypes.Reconciling, ConditionStatuses.True, ConditionReasons.Progressing, "", 1, T0);

        Assert.Equal([ConditionTypes.Ready, ConditionTypes.Reconciling], conditions.Select(c => c.Type));
        Assert.False(Conditions.IsTrue(conditions, ConditionTypes.Ready));
        Assert.True(Conditions.IsTrue(conditions, ConditionTypes.Reconciling));
        Assert.True(Conditions.Remove(conditions, ConditionTypes.Reconciling));
        Assert.False(Conditions.Remove(conditions, ConditionTypes.Reconciling));
        Assert.Null(Conditions.Find(conditions, ConditionTypes.Reconciling));
    }

    [Theory]
    [InlineData("Ready", "true", "Succeeded", "status")]
    [InlineData("Ready", "True", "not camel case", "reason")]
    [InlineData("Ready", "True", "", "reason")]
    [InlineData("", "True", "Succeeded", "type")]
    public void Set_InvalidInput_ThrowsNamingTheField(string type, string status, string reason, string field)
    {
        var conditions = new List<V1Condition>();

        var error = Assert.Throws<ArgumentException>(() => Conditions.Set(conditions, type, status, reason, null, 1, T0));

        Assert.Equal(field, error.ParamName);
        Assert.Empty(conditions);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Set_RandomSequence_TransitionTimeIsTheLastFlip(int seed)
    {
        var random = new Random(seed);
        string[] statuses = [ConditionStatuses.True, ConditionStatuses.False, ConditionStatuses.Unknown];
        string[] reasons = [ConditionReasons.Succeeded, ConditionReasons.Progressing, ConditionReasons.ComponentBroken];
        var conditions = new List<V1Condition>();
        string? lastStatus = null;
        var lastFlip = DateTime.MinValue;

        for (var step = 0; step < 200; step++)
        {
            var now = T0.AddSeconds(step);
            var status = statuses[random.Next(statuses.Length)];
            Conditions.Set(conditions, ConditionTypes.Ready, status, reasons[random.Next(reasons.Length)], $"step {step}", step / 10, now);
            if (status != lastStatus)
            {
                (lastStatus, lastFlip) = (status, now.UtcDateTime.AddMilliseconds(-250));
            }

            var ready = Assert.Single(conditions);
            Assert.Equal(lastFlip, ready.LastTransitionTime);
            Assert.Equal((status, $"step {step}", (long?)(step / 10)), (ready.Status, ready.Message, ready.ObservedGeneration));
        }
    }

    [Fact]
    public void IsTrue_NullConditions_IsFalse()
    {
        Assert.False(Conditions.IsTrue(null, ConditionTypes.Ready));
        Assert.Null(Conditions.Find(null, ConditionTypes.Ready));
    }
}
