using Greengrass.Nucleus.Ipc.Authorization;

namespace Greengrass.Nucleus.Ipc;

/// <summary>
/// What the IPC server needs to know about running components. The supervisor implements it (it issues
/// each component's SVCUID and owns its configuration); <see cref="InMemoryIpcComponentRegistry"/>
/// serves tests and benchmarks until then.
/// </summary>
internal interface IIpcComponentRegistry
{
    /// <summary>The component that owns <paramref name="token"/> (its SVCUID), or null when no component does.</summary>
    string? ResolveToken(string token);

    /// <summary>
    /// The component's parsed <c>accessControl</c> configuration, or null when it has none. Called on every
    /// authorized call, so a configuration change takes effect on the next call.
    /// </summary>
    IpcAccessControl? GetAccessControl(string componentName);
}
