using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Core.Lifecycle;
using Microsoft.Extensions.Time.Testing;

namespace Greengrass.Nucleus.Core.Tests.Lifecycle;

public sealed class RestartPolicyTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(6, 32)]
    [InlineData(7, 60)]
    [InlineData(100, 60)]
    public void RetryDelay_Default_DoublesFromOneSecondCappedAtSixty(int errorsInWindow, int expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), RestartPolicy.Default.RetryDelay(errorsInWindow));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(50)]
    public void RetryDelay_Immediate_IsAlwaysZero(int errorsInWindow)
    {
        Assert.Equal(TimeSpan.Zero, RestartPolicy.Immediate.RetryDelay(errorsInWindow));
    }

    [Fact]
    public void RetryDelay_CustomPolicy_UsesItsOwnBounds()
    {
        var policy = new RestartPolicy { InitialDelay = TimeSpan.FromMilliseconds(250), MaximumDelay = TimeSpan.FromSeconds(1) };

        Assert.Equal(
            [TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)],
            Enumerable.Range(1, 4).Select(policy.RetryDelay));
    }

    // Each row: seconds between consecutive errors from RUNNING, and the list length after each error.
    [Theory]
    [InlineData(new[] { 0, 10, 10 }, new[] { 1, 2, 3 })]
    [InlineData(new[] { 0, 3599, 3599 }, new[] { 1, 2, 3 })]
    [InlineData(new[] { 0, 3600, 10 }, new[] { 1, 1, 2 })]
    [InlineData(new[] { 0, 10, 3600, 10 }, new[] { 1, 2, 1, 2 })]
    [InlineData(new[] { 0, 7200, 7200, 7200 }, new[] { 1, 1, 1, 1 })]
    public void ErrorHistory_WindowPerErrorResetTime_CountsAsGreengrass(int[] gapsSeconds, int[] expectedCounts)
    {
        var clock = new FakeTimeProvider();
        var history = new ErrorHistory();
        var counts = new List<int>();

        foreach (var gap in gapsSeconds)
        {
            clock.Advance(TimeSpan.FromSeconds(gap));
            counts.Add(history.Record(ComponentState.Running, clock.GetUtcNow(), LifecycleSpec.DefaultErrorResetTime));
        }

        Assert.Equal(expectedCounts, counts);
    }

    [Fact]
    public void ErrorHistory_OriginsAreCountedSeparately()
    {
        var now = new FakeTimeProvider().GetUtcNow();
        var history = new ErrorHistory();
        var window = LifecycleSpec.DefaultErrorResetTime;

        Assert.Equal(1, history.Record(ComponentState.New, now, window));
        Assert.Equal(1, history.Record(ComponentState.Starting, now, window));
        Assert.Equal(1, history.Record(ComponentState.Running, now, window));
        Assert.Equal(2, history.Record(ComponentState.Running, now, window));
        Assert.Equal(0, history.Record(ComponentState.Stopping, now, window));

        history.ClearFor(ComponentState.Running);

        Assert.Equal(0, history.CountFor(ComponentState.Running));
        Assert.Equal(1, history.CountFor(ComponentState.New));
    }
}
