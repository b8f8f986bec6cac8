namespace Greengrass.Nucleus.Ipc.Services;

/// <summary>What IPC asks of the lifecycle manager (the supervisor implements it).</summary>
internal interface IIpcLifecycle
{
    /// <summary>
    /// UpdateState from a component: <paramref name="state"/> is RUNNING or ERRORED; only the transitions
    /// the state machine allows take effect (§2.4), others are ignored by the implementation.
    /// </summary>
    ValueTask ReportStateAsync(string componentName, string state, CancellationToken cancellationToken);
}
