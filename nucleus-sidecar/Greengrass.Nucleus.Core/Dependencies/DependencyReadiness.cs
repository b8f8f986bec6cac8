using Greengrass.Nucleus.Contracts;

namespace Greengrass.Nucleus.Core.Dependencies;

/// <summary>When a dependency counts as ready (GREENGRASS.md §2.6).</summary>
internal static class DependencyReadiness
{
    /// <summary>
    /// SOFT: always. HARD: RUNNING or FINISHED, or STOPPING unless it is stopping because its Startup failed.
    /// A HARD dependency that is not known at all is not ready.
    /// </summary>
    public static bool IsReady(DependencyType type, ComponentState? state, bool stoppingAfterStartupError) =>
        type == DependencyType.Soft || state switch
        {
            ComponentState.Running or ComponentState.Finished => true,
            ComponentState.Stopping => !stoppingAfterStartupError,
            _ => false,
        };
}
