namespace Greengrass.Operator.Runtime.Queue;

/// <summary>Decides how long a key waits before it is retried.</summary>
public interface IRateLimiter<in TKey>
{
    /// <summary>The delay before the next attempt of <paramref name="key"/>; each call counts as one failure.</summary>
    TimeSpan When(TKey key);

    /// <summary>Forgets the failures of <paramref name="key"/> after a success.</summary>
    void Forget(TKey key);

    /// <summary>How many times <paramref name="key"/> has been retried since it was last forgotten.</summary>
    int Retries(TKey key);
}

/// <summary>Per-key exponential back-off: <c>baseDelay * 2^failures</c>, capped (client-go: 5 ms to 1000 s).</summary>
public sealed class ExponentialFailureRateLimiter<TKey>(TimeSpan baseDelay, TimeSpan maxDelay) : IRateLimiter<TKey>
    where TKey : notnull
{
    private readonly Dictionary<TKey, int> _failures = [];
    private readonly Lock _lock = new();

    /// <inheritdoc />
    public TimeSpan When(TKey key)
    {
        int exponent;
        lock (_lock)
        {
            _failures.TryGetValue(key, out exponent);
            _failures[key] = exponent + 1;
        }

        // 2^exponent overflows a double only far past the cap; clamp before converting.
        var ticks = baseDelay.Ticks * Math.Pow(2, Math.Min(exponent, 62));
        return ticks >= maxDelay.Ticks ? maxDelay : TimeSpan.FromTicks((long)ticks);
    }

    /// <inheritdoc />
    public void Forget(TKey key)
    {
        lock (_lock)
        {
            _failures.Remove(key);
        }
    }

    /// <inheritdoc />
    public int Retries(TKey key)
    {
        lock (_lock)
        {
            return _failures.GetValueOrDefault(key);
        }
    }
}

/// <summary>
/// An overall token bucket (client-go: 10 per second, burst 100): it spreads retries of many keys
/// so that a storm of failures cannot flood the API server. Keys are not tracked.
/// </summary>
public sealed class TokenBucketRateLimiter<TKey>(double tokensPerSecond, int burst, TimeProvider time) : IRateLimiter<TKey>
{
    private readonly Lock _lock = new();
    private double _tokens = burst;
    private long _lastRefill = time.GetTimestamp();

    /// <inheritdoc />
    public TimeSpan When(TKey key)
    {
        lock (_lock)
        {
            var now = time.GetTimestamp();
            _tokens = Math.Min(burst, _tokens + (time.GetElapsedTime(_lastRefill, now).TotalSeconds * tokensPerSecond));
            _lastRefill = now;
            _tokens -= 1;

            // A negative balance is a reservation: the caller waits until the bucket refills to zero.
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / tokensPerSecond);
        }
    }

    /// <inheritdoc />
    public void Forget(TKey key)
    {
    }

    /// <inheritdoc />
    public int Retries(TKey key) => 0;
}

/// <summary>The longest delay of several limiters; retries are those of the first (the per-key one).</summary>
public sealed class MaxOfRateLimiter<TKey>(params IRateLimiter<TKey>[] limiters) : IRateLimiter<TKey>
{
    /// <inheritdoc />
    public TimeSpan When(TKey key)
    {
        var longest = TimeSpan.Zero;
        foreach (var limiter in limiters)
        {
            var delay = limiter.When(key);
            if (delay > longest)
            {
                longest = delay;
            }
        }

        return longest;
    }

    /// <inheritdoc />
    public void Forget(TKey key)
    {
        foreach (var limiter in limiters)
        {
            limiter.Forget(key);
        }
    }

    /// <inheritdoc />
    public int Retries(TKey key) => limiters.Length == 0 ? 0 : limiters[0].Retries(key);
}

/// <summary>Factories for the usual limiters.</summary>
public static class RateLimiters
{
    /// <summary>client-go's default controller rate limiter: per key 5 ms doubling to 1000 s, overall 10 per second with a burst of 100.</summary>
    public static IRateLimiter<TKey> ControllerDefault<TKey>(TimeProvider time)
        where TKey : notnull =>
        new MaxOfRateLimiter<TKey>(
            new ExponentialFailureRateLimiter<TKey>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000)),
            new TokenBucketRateLimiter<TKey>(10, 100, time));
}
