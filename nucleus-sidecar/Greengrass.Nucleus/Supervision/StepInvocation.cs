namespace Greengrass.Nucleus.Supervision;

/// <summary>
/// One lifecycle step to run for one component, after recipe interpolation: the script and the step's
/// settings (§2.1), the component's environment layers (§2.3) and its runWith (§2.7).
/// </summary>
internal sealed record StepInvocation
{
    public required string ComponentName { get; init; }

    /// <summary>Lifecycle step name as in the recipe (Install, Startup, Run, Shutdown, Recover, Bootstrap, Uninstall).</summary>
    public required string StepName { get; init; }

    public required string Script { get; init; }

    /// <summary>Null = no timeout (the default of Run); the state machine passes the §2.2 defaults.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Recipe <c>Skipif</c>: <c>onpath &lt;exe&gt;</c> or <c>exists &lt;path&gt;</c>, optionally negated with a leading <c>!</c>.</summary>
    public string? SkipIf { get; init; }

    public bool RequiresPrivilege { get; init; }

    /// <summary><c>services.&lt;c&gt;.setenv</c> from the component's configuration.</summary>
    public IReadOnlyDictionary<string, string>? ServiceSetenv { get; init; }

    /// <summary>Recipe <c>Lifecycle.Setenv</c>.</summary>
    public IReadOnlyDictionary<string, string>? LifecycleSetenv { get; init; }

    /// <summary>The step's own <c>Setenv</c>; wins over every other layer.</summary>
    public IReadOnlyDictionary<string, string>? StepSetenv { get; init; }

    public RunWith? RunWith { get; init; }

    /// <summary>The component's IPC auth token (SVCUID).</summary>
    public string? ServiceToken { get; init; }

    /// <summary>
    /// AWS_CONTAINER_CREDENTIALS_FULL_URI of the token exchange service, set while it is deployed; wins over
    /// <see cref="ProcessRunnerOptions.TokenExchangePort"/>.
    /// </summary>
    public string? TokenExchangeUri { get; init; }

    /// <summary>Set as GREENGRASS_COMPONENT_VERSION (the Uninstall step sees it).</summary>
    public string? ComponentVersion { get; init; }

    public string ScriptName => $"services.{ComponentName}.lifecycle.{StepName}";
}

/// <summary>Deployment <c>runWith</c> of a component.</summary>
internal sealed record RunWith(string? PosixUser = null, ResourceLimits? SystemResourceLimits = null);

/// <summary><c>systemResourceLimits</c>: <c>cpus</c> in cores (0.5 = half a core), <c>memory</c> in kilobytes.</summary>
internal sealed record ResourceLimits(double? Cpus = null, long? MemoryKilobytes = null);

/// <summary>Thrown when a step cannot be started; the runner turns it into a <see cref="StepOutcome.FailedToStart"/> result.</summary>
internal sealed class StepStartException(string message) : Exception(message);
