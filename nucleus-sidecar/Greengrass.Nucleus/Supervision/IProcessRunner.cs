namespace Greengrass.Nucleus.Supervision;

/// <summary>Runs lifecycle steps as supervised process trees.</summary>
internal interface IProcessRunner
{
    /// <summary>
    /// Starts <paramref name="step"/>. Never throws for a problem of the component (invalid Skipif or user,
    /// missing shell, unwritable work folder): the returned step has already ended with a result that says why.
    /// </summary>
    Task<RunningStep> StartAsync(StepInvocation step, CancellationToken ct);
}
