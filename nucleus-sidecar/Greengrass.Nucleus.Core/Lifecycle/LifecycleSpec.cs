using Greengrass.Nucleus.Contracts;

namespace Greengrass.Nucleus.Core.Lifecycle;

/// <summary>The steps one component's state machine drives, with the effective timeouts of GREENGRASS.md §2.2.</summary>
internal sealed record LifecycleSpec
{
    public static readonly TimeSpan DefaultInstallTimeout = TimeSpan.FromSeconds(120);
    public static readonly TimeSpan DefaultStartupTimeout = TimeSpan.FromSeconds(120);
    public static readonly TimeSpan DefaultShutdownTimeout = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan DefaultRecoverTimeout = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan DefaultBootstrapTimeout = TimeSpan.FromSeconds(120);
    public static readonly TimeSpan DefaultErrorResetTime = TimeSpan.FromHours(1);

    public static LifecycleSpec Empty { get; } = From(new LifecycleDefinition());

    public LifecycleStep? Install { get; init; }

    public LifecycleStep? Startup { get; init; }

    public LifecycleStep? Run { get; init; }

    public LifecycleStep? Shutdown { get; init; }

    public LifecycleStep? Recover { get; init; }

    public TimeSpan ErrorResetTime { get; init; } = DefaultErrorResetTime;

    public static LifecycleSpec From(LifecycleDefinition lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        return new LifecycleSpec
        {
            Install = lifecycle.Install,
            // When both are given Startup is used (§2.2); Run only runs if Startup's Skipif skips it.
            Startup = lifecycle.Startup,
            Run = lifecycle.Run,
            Shutdown = lifecycle.Shutdown,
            Recover = lifecycle.Recover,
            ErrorResetTime = lifecycle.ErrorResetTimeSeconds is { } seconds
                ? TimeSpan.FromSeconds(seconds)
                : DefaultErrorResetTime,
        };
    }

    /// <summary>The timeout of a step; null for Run without an explicit timeout (Run has no default).</summary>
    public static TimeSpan? TimeoutOf(LifecycleStepKind kind, LifecycleStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (step.TimeoutSeconds is { } seconds)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return kind switch
        {
            LifecycleStepKind.Install => DefaultInstallTimeout,
            LifecycleStepKind.Startup => DefaultStartupTimeout,
            LifecycleStepKind.Run => null,
            LifecycleStepKind.Shutdown => DefaultShutdownTimeout,
            LifecycleStepKind.Recover => DefaultRecoverTimeout,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a state-machine step"),
        };
    }
}

/// <summary>The lifecycle steps the state machine runs. Bootstrap is a deployment step, run by the deployment flow.</summary>
internal enum LifecycleStepKind
{
    Install,
    Startup,
    Run,
    Shutdown,
    Recover,
}

/// <summary>What the host (a deployment, the CLI, IPC) asks of a component.</summary>
internal enum DesiredRequest
{
    /// <summary>Install and stay INSTALLED (desired list <c>[INSTALLED]</c>).</summary>
    Install,

    /// <summary>Run (desired <c>[RUNNING]</c>).</summary>
    Start,

    /// <summary>Stop (desired <c>[FINISHED]</c>).</summary>
    Stop,

    /// <summary>Stop to INSTALLED, then run again (desired <c>[INSTALLED, RUNNING]</c>); ignored while BROKEN.</summary>
    Restart,

    /// <summary>Back to NEW, run Install again, then run (desired <c>[NEW, RUNNING]</c>); the only way out of BROKEN.</summary>
    Reinstall,
}
