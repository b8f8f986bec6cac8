using Greengrass.Operator.Runtime.Queue;
using Microsoft.Extensions.Time.Testing;

namespace Greengrass.Operator.Tests.Runtime;

public sealed class WorkQueueTests
{
    private readonly FakeTimeProvider _time = new();

    private WorkQueue<string> NewQueue(IRateLimiter<string>? limiter = null) =>
        new(limiter ?? new ExponentialFailureRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000)), _time);

    [Fact]
    public async Task Add_SameKeyTwiceBeforeProcessing_IsHandedOutOnce()
    {
        using var queue = NewQueue();
        queue.Add("a");
        queue.Add("a");
        queue.Add("b");

        Assert.Equal(2, queue.Count);
        Assert.Equal("a", (await queue.GetAsync(CancellationToken.None)).Key);
        Assert.Equal("b", (await queue.GetAsync(CancellationToken.None)).Key);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task Add_WhileKeyIsProcessing_IsQueuedAgainOnlyAfterDone()
    {
        using var queue = NewQueue();
        queue.Add("a");
        var first = await queue.GetAsync(CancellationToken.None);

        queue.Add("a");
        Assert.Equal(0, queue.Count); // not given to a second worker while the first holds it

        queue.Done(first.Key);
        Assert.Equal(1, queue.Count);
        Assert.Equal("a", (await queue.GetAsync(CancellationToken.None)).Key);
    }

    [Fact]
    public async Task GetAsync_WaitingWorker_ReceivesKeyAddedLater()
    {
        using var queue = NewQueue();
        var waiting = queue.GetAsync(CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);

        queue.Add("late");

        var got = await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(got.Ok);
        Assert.Equal("late", got.Key);
    }

    [Fact]
    public async Task GetAsync_Cancelled_DoesNotSwallowLaterKeys()
    {
        using var queue = NewQueue();
        using var cts = new CancellationTokenSource();
        var waiting = queue.GetAsync(cts.Token).AsTask();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        queue.Add("x");
        Assert.Equal("x", (await queue.GetAsync(CancellationToken.None)).Key);
    }

    [Fact]
    public void AddAfter_KeyAppearsOnlyWhenTheDelayHasPassed_AndEarlierTimeWins()
    {
        using var queue = NewQueue();
        queue.AddAfter("a", TimeSpan.FromSeconds(10));
        queue.AddAfter("a", TimeSpan.FromSeconds(3));
        queue.AddAfter("a", TimeSpan.FromSeconds(20));

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(0, queue.Count);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, queue.Count);

        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1, queue.Count); // the superseded timers did not add it again
    }

    [Fact]
    public async Task ShutDown_WaitingWorkersReturnNotOk()
    {
        var queue = NewQueue();
        var waiting = queue.GetAsync(CancellationToken.None).AsTask();
        queue.ShutDown();

        var got = await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(got.Ok);
        queue.Add("ignored");
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void ExponentialLimiter_DoublesFrom5msAndCapsAt1000s_ForgetResets()
    {
        var limiter = new ExponentialFailureRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));

        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("k"));
        Assert.Equal(TimeSpan.FromMilliseconds(10), limiter.When("k"));
        Assert.Equal(TimeSpan.FromMilliseconds(20), limiter.When("k"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("other"));
        Assert.Equal(3, limiter.Retries("k"));

        for (var i = 0; i < 100; i++)
        {
            limiter.When("k");
        }

        Assert.Equal(TimeSpan.FromSeconds(1000), limiter.When("k"));

        limiter.Forget("k");
        Assert.Equal(0, limiter.Retries("k"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("k"));
    }

    [Fact]
    public void TokenBucket_AllowsTheBurstThenSpacesRequests()
    {
        var bucket = new TokenBucketRateLimiter<string>(10, 3, _time);

        Assert.Equal(TimeSpan.Zero, bucket.When("a"));
        Assert.Equal(TimeSpan.Zero, bucket.When("b"));
        Assert.Equal(TimeSpan.Zero, bucket.When("c"));
        Assert.Equal(TimeSpan.FromMilliseconds(100), bucket.When("d"));
        Assert.Equal(TimeSpan.FromMilliseconds(200), bucket.When("e"));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, bucket.When("f"));
    }

    [Fact]
    public void ControllerDefault_TakesTheLongerOfPerKeyAndOverallDelays()
    {
        var limiter = RateLimiters.ControllerDefault<string>(_time);
        for (var i = 0; i < 100; i++)
        {
            Assert.True(limiter.When($"key-{i}") <= TimeSpan.FromMilliseconds(5), "the burst of 100 covers the first attempts");
        }

        Assert.True(limiter.When("key-100") >= TimeSpan.FromMilliseconds(100), "past the burst the bucket spaces keys by 1/10 s");
    }

    [Fact]
    public void AddRateLimited_UsesTheKeysBackoff()
    {
        using var queue = NewQueue();
        queue.AddRateLimited("a"); // 5 ms
        queue.AddRateLimited("b"); // 5 ms
        queue.AddRateLimited("b"); // 10 ms, but the pending earlier time (5 ms) wins

        _time.Advance(TimeSpan.FromMilliseconds(4));
        Assert.Equal(0, queue.Count);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, queue.Count);
        Assert.Equal(2, queue.Retries("b"));
    }
}
