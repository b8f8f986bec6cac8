namespace Greengrass.Nucleus.Shadows;

/// <summary>
/// Whether the shadow operations are offered now. As in Greengrass, they exist only while the component
/// <c>aws.greengrass.ShadowManager</c> is deployed: without it, the IPC calls are unsupported operations.
/// </summary>
internal interface IShadowServiceAccess
{
    /// <summary>The shadow service while ShadowManager is deployed, else null.</summary>
    ShadowService? Current { get; }
}

/// <summary>No ShadowManager: the default when the host registers nothing.</summary>
internal sealed class NoShadowService : IShadowServiceAccess
{
    public ShadowService? Current => null;
}

/// <summary>A shadow service that is always deployed (standalone hosts and tests).</summary>
internal sealed class FixedShadowService(ShadowService service) : IShadowServiceAccess
{
    public ShadowService? Current => service;
}
