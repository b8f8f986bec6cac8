using Greengrass.Nucleus.Cli;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Core.Lifecycle;
using Greengrass.Nucleus.Ipc.Services;

namespace Greengrass.Nucleus.Runtime;

/// <summary>Requests from IPC and the local CLI: state reports, restart and stop, local deployments.</summary>
internal sealed partial class NucleusRuntime
{
    /// <summary>UpdateState from a component; states other than RUNNING and ERRORED are ignored.</summary>
    public Task<bool> ReportStateAsync(string component, string state)
    {
        ComponentState? reported = state.ToUpperInvariant() switch
        {
            "RUNNING" => ComponentState.Running,
            "ERRORED" => ComponentState.Errored,
            _ => null,
        };
        return reported is { } value
            ? PostAsync(() =>
            {
                HandleEvent(component, new StateReported(value));
                return true;
            })
            : Task.FromResult(false);
    }

    /// <summary>Restart or stop a component on request (CLI, IPC).</summary>
    public Task<IpcRequestStatus> RequestAsync(string component, DesiredRequest request) => PostAsync(() =>
    {
        if (!_coordinator.Contains(component))
        {
            return new IpcRequestStatus(false, $"Component {component} is not deployed.");
        }

        var result = _coordinator.Handle(component, new DesiredStateChanged(request), _time.GetUtcNow());
        Execute(result);
        return result.Ignored.FirstOrDefault(i => i.Component == component) is { Reason: { } reason }
            ? new IpcRequestStatus(false, reason)
            : new IpcRequestStatus(true);
    });

    /// <summary>Builds the next plan from a local deployment request and queues it; returns the deployment id.</summary>
    public async Task<string> CreateLocalDeploymentAsync(LocalDeploymentRequest request, CancellationToken ct)
    {
        var plan = LocalDeploymentBuilder.Build(request, AppliedPlan, _options.ThingName, _time.GetUtcNow());
        RememberLocal(plan.DeploymentId);
        await ApplyAsync(plan, ct);
        return plan.DeploymentId;
    }
}
