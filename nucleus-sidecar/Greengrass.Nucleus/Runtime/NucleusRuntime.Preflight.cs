using System.Text.Json;
using System.Text.Json.Nodes;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Core.Dependencies;
using Greengrass.Nucleus.Core.Deployment;
using Greengrass.Nucleus.Core.Lifecycle;
using Greengrass.Nucleus.Core.Planning;
using Greengrass.Nucleus.Ipc.Services;

namespace Greengrass.Nucleus.Runtime;

/// <summary>What a deployment checks and asks before it changes anything (§4.6 steps 1–2, §5.3).</summary>
internal sealed partial class NucleusRuntime
{
    private OutcomeDecision? Validate(DevicePlan plan, DevicePlan? previous)
    {
        if (DependencyGraph.From(plan.Components).Cycle is { } cycle)
        {
            return DeploymentOutcome.FailedBeforeChange("CIRCULAR_DEPENDENCY", "REQUEST_ERROR", $"Circular dependency: {string.Join(" -> ", cycle)}.");
        }

        var missing = plan.Components
            .SelectMany(c => c.Dependencies.Where(d => !plan.Components.Any(o => o.Name == d.Name)).Select(d => $"{c.Name} -> {d.Name}"))
            .ToList();
        if (missing.Count > 0)
        {
            return DeploymentOutcome.FailedBeforeChange("MISSING_DEPENDENCY", "REQUEST_ERROR",
                $"Dependencies are not part of the plan: {string.Join(", ", missing)}.");
        }

        return previous is not null && previous.GroupId == plan.GroupId
            ? DeploymentOutcome.RejectIfStale(plan, previous.CreationTimestamp)
            : null;
    }

    private async Task NotifyComponentsAsync(DevicePlan plan, DevicePlan? previous, bool restarting, CancellationToken ct)
    {
        if (previous is null || _ipc.Updates is not { } updates || plan.Policies.ComponentUpdate.Action != ComponentUpdateAction.NotifyComponents)
        {
            return;
        }

        // Components may defer (DeferComponentUpdate) up to the policy timeout per round (§5.3).
        await updates.NotifyComponentsAndWaitAsync(
            plan.DeploymentId, restarting, TimeSpan.FromSeconds(Math.Max(1, plan.Policies.ComponentUpdate.TimeoutSeconds)), ct);
    }

    /// <summary>
    /// §4.6 step 2: running generic components of an unchanged version whose configuration changes and that subscribed
    /// to validation must accept the new configuration; a rejection or a timeout fails the deployment before any change.
    /// </summary>
    private async Task<OutcomeDecision?> ValidateConfigurationAsync(DevicePlan plan, CancellationToken ct)
    {
        if (_ipc.Validation is not { } validation)
        {
            return null;
        }

        var targets = await PostAsync(() => DeploymentPlanner.ConfigurationValidationTargets(plan,
            CurrentState.From(_slots.Values.Select(s => new CurrentComponent(s.Component, _coordinator[s.Component.Name].State)))));
        var timeout = TimeSpan.FromSeconds(Math.Max(1, plan.Policies.ConfigurationValidation.TimeoutSeconds));
        foreach (var name in targets)
        {
            var proposed = (JsonObject)plan.Components.First(c => c.Name == name).Configuration.DeepClone();
            var result = await validation.ValidateAsync(name, proposed, plan.DeploymentId, timeout, ct);
            if (result.Validity is ConfigurationValidity.Rejected or ConfigurationValidity.TimedOut)
            {
                var why = result.Validity == ConfigurationValidity.Rejected ? $"rejected its new configuration: {result.Message}" : $"did not answer: {result.Message}";
                return DeploymentOutcome.FailedBeforeChange("COMPONENT_CONFIGURATION_NOT_VALID", "COMPONENT_ERROR", $"{name} {why}");
            }
        }

        return null;
    }

    /// <summary>
    /// The waits before any change (update notices with their deferrals, configuration validation), which a
    /// cancellation interrupts; null when the deployment was cancelled, else the refusal of a validation, if any.
    /// </summary>
    private async Task<Prepared?> PrepareAsync(DevicePlan plan, DevicePlan? previous, bool restarting, CancellationToken ct)
    {
        var cancel = RunningCancelToken(ct);
        try
        {
            await NotifyComponentsAsync(plan, previous, restarting, cancel);
            var refused = await ValidateConfigurationAsync(plan, cancel);
            return PassPointOfNoReturn() ? new Prepared(refused) : null;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return null;
        }
    }

    private sealed record Prepared(OutcomeDecision? Refused);
}
