namespace Greengrass.Nucleus.Contracts;

/// <summary>The lifecycle of a component: its steps and the environment shared by all of them (GREENGRASS.md §2.1–2.2).</summary>
public sealed record LifecycleDefinition
{
    /// <summary>Environment variables for every step (recipe <c>Lifecycle.Setenv</c>); a step's own Setenv overrides them.</summary>
    public IReadOnlyDictionary<string, string>? Setenv { get; init; }

    /// <summary>Runs during a deployment before Install when the component is new or its Bootstrap changed; may restart the nucleus.</summary>
    public LifecycleStep? Bootstrap { get; init; }

    /// <summary>Installs the component; default timeout 120 s.</summary>
    public LifecycleStep? Install { get; init; }

    /// <summary>Starts a background process; the component is RUNNING once it exits 0 or reports RUNNING. Default timeout 120 s. Wins over Run.</summary>
    public LifecycleStep? Startup { get; init; }

    /// <summary>The component's main process; the component is RUNNING as soon as it is spawned. No timeout unless set.</summary>
    public LifecycleStep? Run { get; init; }

    /// <summary>Stops the component; default timeout 15 s.</summary>
    public LifecycleStep? Shutdown { get; init; }

    /// <summary>Runs each time the component enters ERRORED; default timeout 60 s; its result is ignored.</summary>
    public LifecycleStep? Recover { get; init; }

    /// <summary>Errors further apart than this many seconds do not count towards BROKEN; null uses 3600 s.</summary>
    public int? ErrorResetTimeSeconds { get; init; }

    /// <summary>Value equality, comparing the environment maps by content.</summary>
    /// <param name="other">The definition to compare with.</param>
    /// <returns>True when every step and the environment are equal.</returns>
    public bool Equals(LifecycleDefinition? other) =>
        other is not null &&
        Environment.SameContent(Setenv, other.Setenv) &&
        Bootstrap == other.Bootstrap && Install == other.Install && Startup == other.Startup &&
        Run == other.Run && Shutdown == other.Shutdown && Recover == other.Recover &&
        ErrorResetTimeSeconds == other.ErrorResetTimeSeconds;

    /// <summary>Hash consistent with <see cref="Equals(LifecycleDefinition?)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() =>
        HashCode.Combine(Environment.Hash(Setenv), Bootstrap, Install, Startup, Run, Shutdown, Recover, ErrorResetTimeSeconds);
}

/// <summary>One lifecycle step in object form; a recipe's string form becomes a step with only <see cref="Script"/>.</summary>
public sealed record LifecycleStep
{
    /// <summary>Shell script, run with <c>sh -c</c>.</summary>
    public required string Script { get; init; }

    /// <summary>Run as root instead of the runWith user.</summary>
    public bool RequiresPrivilege { get; init; }

    /// <summary><c>onpath &lt;exe&gt;</c> or <c>exists &lt;file&gt;</c>: skip the step when the condition holds.</summary>
    public string? SkipIf { get; init; }

    /// <summary>Timeout in seconds; null uses the step's default.</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>Environment for this step only; overrides the lifecycle-level Setenv.</summary>
    public IReadOnlyDictionary<string, string>? Setenv { get; init; }

    /// <summary>Bootstrap only: run this Bootstrap again when a rollback restores this component.</summary>
    public bool BootstrapOnRollback { get; init; }

    /// <summary>Value equality, comparing the environment map by content.</summary>
    /// <param name="other">The step to compare with.</param>
    /// <returns>True when script, options and environment are equal.</returns>
    public bool Equals(LifecycleStep? other) =>
        other is not null &&
        Script == other.Script && RequiresPrivilege == other.RequiresPrivilege && SkipIf == other.SkipIf &&
        TimeoutSeconds == other.TimeoutSeconds && BootstrapOnRollback == other.BootstrapOnRollback &&
        Environment.SameContent(Setenv, other.Setenv);

    /// <summary>Hash consistent with <see cref="Equals(LifecycleStep?)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() =>
        HashCode.Combine(Script, RequiresPrivilege, SkipIf, TimeoutSeconds, BootstrapOnRollback, Environment.Hash(Setenv));
}

// Environment maps compare by content: two plans read from JSON never share dictionary instances.
file static class Environment
{
    public static bool SameContent(IReadOnlyDictionary<string, string>? a, IReadOnlyDictionary<string, string>? b)
    {
        var left = a ?? Empty;
        var right = b ?? Empty;
        return left.Count == right.Count &&
            left.All(kv => right.TryGetValue(kv.Key, out var value) && string.Equals(value, kv.Value, StringComparison.Ordinal));
    }

    public static int Hash(IReadOnlyDictionary<string, string>? map)
    {
        var hash = 0;
        foreach (var (key, value) in map ?? Empty)
        {
            // Order-independent on purpose: dictionaries do not promise an order.
            hash ^= HashCode.Combine(key, value);
        }

        return hash;
    }

    private static readonly Dictionary<string, string> Empty = [];
}
