namespace Greengrass.Nucleus.Core.Lifecycle;

/// <summary>
/// When an ERRORED component is retried, and when it is BROKEN instead (GREENGRASS.md §2.5).
/// </summary>
/// <remarks>
/// Greengrass retries at once, after Recover. The reference names no back-off, so this project chose one:
/// the retry after the n-th error of a window waits <c>InitialDelay × 2^(n-1)</c>, capped at <c>MaximumDelay</c>
/// (defaults 1 s and 60 s). With the BROKEN threshold of 3 the delays are 1 s and 2 s, so a crash-looping script
/// cannot spin the CPU, a transient failure still recovers in about a second, and when BROKEN is reached does not
/// change. <see cref="Immediate"/> reproduces Greengrass exactly. A new desired state (restart, reinstall, stop)
/// cuts the wait short.
/// </remarks>
internal sealed record RestartPolicy
{
    /// <summary>Errors counted in one window before the component is BROKEN (Greengrass <c>MAXIMUM_CONTINUAL_ERROR</c>).</summary>
    public const int MaximumContinualErrors = 3;

    public static RestartPolicy Default { get; } = new();

    /// <summary>No back-off at all, as the Java nucleus does.</summary>
    public static RestartPolicy Immediate { get; } = new() { InitialDelay = TimeSpan.Zero, MaximumDelay = TimeSpan.Zero };

    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaximumDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long to wait before retrying after the <paramref name="errorsInWindow"/>-th error of its window (1-based).</summary>
    public TimeSpan RetryDelay(int errorsInWindow)
    {
        if (errorsInWindow <= 0 || InitialDelay <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        // Doubling stops well before overflow: 2^20 seconds already exceeds any sensible cap.
        var exponent = Math.Min(errorsInWindow - 1, 20);
        var delay = InitialDelay * Math.Pow(2, exponent);
        return delay > MaximumDelay ? MaximumDelay : delay;
    }
}
