namespace Greengrass.Model.Recipes;

/// <summary>
/// A component lifecycle after manifest and selection-key resolution: the steps the nucleus runs.
/// A step is <see langword="null"/> when the recipe does not define it.
/// </summary>
public sealed record LifecycleDefinition
{
    /// <summary>Environment for every step (<c>Lifecycle.Setenv</c>); a step's own <c>Setenv</c> overrides it.</summary>
    public IReadOnlyDictionary<string, string>? Setenv { get; init; }

    /// <summary>Runs during a deployment before Install; may ask for a nucleus restart (exit 100) or reboot (101).</summary>
    public LifecycleStep? Bootstrap { get; init; }

    /// <summary>Runs on every transition to INSTALLED, including every nucleus start.</summary>
    public LifecycleStep? Install { get; init; }

    /// <summary>Starts a component that reports RUNNING itself (exit 0 or IPC); wins over <see cref="Run"/>.</summary>
    public LifecycleStep? Startup { get; init; }

    /// <summary>Long-running process; the component is RUNNING as soon as it is spawned.</summary>
    public LifecycleStep? Run { get; init; }

    /// <summary>Runs when the component stops.</summary>
    public LifecycleStep? Shutdown { get; init; }

    /// <summary>Runs each time the component enters ERRORED.</summary>
    public LifecycleStep? Recover { get; init; }

    /// <summary>Runs when a deployment removes the component (recent nucleus versions).</summary>
    public LifecycleStep? Uninstall { get; init; }

    /// <summary>A lifecycle with no step at all.</summary>
    public static LifecycleDefinition Empty { get; } = new();

    /// <summary>Default timeout of a step in seconds, or <see langword="null"/> when the step has none (Run).</summary>
    public static int? DefaultTimeoutSeconds(string stepName) => stepName switch
    {
        LifecycleStepNames.Bootstrap or LifecycleStepNames.Install or LifecycleStepNames.Startup
            or LifecycleStepNames.Uninstall => 120,
        LifecycleStepNames.Shutdown => 15,
        LifecycleStepNames.Recover => 60,
        _ => null,
    };

    /// <inheritdoc/>
    public bool Equals(LifecycleDefinition? other) =>
        other is not null
        && StructuralEquality.MapEquals(Setenv, other.Setenv)
        && Equals(Bootstrap, other.Bootstrap) && Equals(Install, other.Install)
        && Equals(Startup, other.Startup) && Equals(Run, other.Run)
        && Equals(Shutdown, other.Shutdown) && Equals(Recover, other.Recover)
        && Equals(Uninstall, other.Uninstall);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Install, Run, Startup);
}

/// <summary>One lifecycle step; the string form of a step becomes a step with only <see cref="Script"/>.</summary>
public sealed record LifecycleStep
{
    /// <summary>The shell script.</summary>
    public required string Script { get; init; }

    /// <summary>Run as root / LocalSystem instead of the component user; <see langword="null"/> means false.</summary>
    public bool? RequiresPrivilege { get; init; }

    /// <summary><c>onpath &lt;exe&gt;</c> or <c>exists &lt;file&gt;</c> (a leading <c>!</c> negates).</summary>
    public string? Skipif { get; init; }

    /// <summary>Timeout in seconds as written; <see langword="null"/> means the step's default.</summary>
    public int? Timeout { get; init; }

    /// <summary>Environment for this step only.</summary>
    public IReadOnlyDictionary<string, string>? Setenv { get; init; }

    /// <summary>Bootstrap only: re-run it during a rollback.</summary>
    public bool? BootstrapOnRollback { get; init; }

    /// <inheritdoc/>
    public bool Equals(LifecycleStep? other) =>
        other is not null
        && Script == other.Script && RequiresPrivilege == other.RequiresPrivilege && Skipif == other.Skipif
        && Timeout == other.Timeout && BootstrapOnRollback == other.BootstrapOnRollback
        && StructuralEquality.MapEquals(Setenv, other.Setenv);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Script, Timeout);
}

/// <summary>The documented (PascalCase) names of lifecycle keys; recipes may use any case.</summary>
public static class LifecycleStepNames
{
    /// <summary><c>Setenv</c>, at lifecycle level and inside a step.</summary>
    public const string Setenv = "Setenv";

    /// <summary><c>Bootstrap</c>.</summary>
    public const string Bootstrap = "Bootstrap";

    /// <summary><c>Install</c>.</summary>
    public const string Install = "Install";

    /// <summary><c>Startup</c>.</summary>
    public const string Startup = "Startup";

    /// <summary><c>Run</c>.</summary>
    public const string Run = "Run";

    /// <summary><c>Shutdown</c>.</summary>
    public const string Shutdown = "Shutdown";

    /// <summary><c>Recover</c>.</summary>
    public const string Recover = "Recover";

    /// <summary><c>Uninstall</c>.</summary>
    public const string Uninstall = "Uninstall";

    /// <summary>Every step name in the order the writer emits them.</summary>
    public static IReadOnlyList<string> Steps { get; } = [Bootstrap, Install, Startup, Run, Shutdown, Recover, Uninstall];
}
