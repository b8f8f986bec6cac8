using Greengrass.Api;
using Greengrass.Nucleus.Contracts;

namespace Greengrass.Operator.Rollouts;

/// <summary>
/// How a device fared with one revision of one Deployment, from what the operator and the nucleus wrote: a plan error
/// naming that revision is FAILED; otherwise the nucleus's <c>lastDeployment</c> for the plan that carries the revision.
/// Null while the device is still applying it. Pure.
/// </summary>
internal static class DeviceOutcomes
{
    /// <summary>Prefix of the list of Deployments (as <c>name@revision</c>) a plan error involves, at the end of a CoreDevice's Stalled message.</summary>
    public const string DeploymentsMarker = "[deployments: ";

    public static string? Read(string deployment, long revision, CoreDevice device, DevicePlan? plan)
    {
        var tag = Tag(deployment, revision);
        var stalled = Conditions.Find(device.Status?.Conditions, ConditionTypes.Stalled);
        if (stalled?.Status == ConditionStatuses.True && InvolvedTags(stalled.Message).Contains(tag))
        {
            return RolloutOutcomes.Failed;
        }

        if (plan is null || !plan.DeploymentId.Split(',').Contains(tag))
        {
            return null; // the device's plan does not carry the revision yet
        }

        var last = device.Status?.LastDeployment;
        if (last is null || last.Revision != plan.Revision)
        {
            return null;
        }

        return last.Status switch
        {
            "SUCCEEDED" => RolloutOutcomes.Succeeded,
            "REJECTED" => RolloutOutcomes.Rejected,
            var s when s.StartsWith("FAILED", StringComparison.Ordinal) => RolloutOutcomes.Failed,
            _ => null,
        };
    }

    /// <summary>How a plan names a Deployment revision, in its deploymentId and in plan errors.</summary>
    public static string Tag(string deployment, long? revision) => $"{deployment}@{revision ?? 0}";

    /// <summary>The <c>name@revision</c> tags listed at the end of a plan error message; empty when it names none.</summary>
    public static IReadOnlyList<string> InvolvedTags(string? message)
    {
        var start = message?.LastIndexOf(DeploymentsMarker, StringComparison.Ordinal) ?? -1;
        if (start < 0)
        {
            return [];
        }

        return message![(start + DeploymentsMarker.Length)..].TrimEnd(']').Split(", ");
    }
}
