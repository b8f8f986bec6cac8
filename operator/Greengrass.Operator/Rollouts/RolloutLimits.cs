using System.Globalization;
using Greengrass.Api;
using k8s.Models;

namespace Greengrass.Operator.Rollouts;

/// <summary>The numbers of <c>spec.rollout</c>: the concurrency limit and the abort criteria. Pure.</summary>
internal static class RolloutLimits
{
    /// <summary>
    /// How many devices may be in progress at once: a count, or a percentage of the targeted devices rounded up;
    /// at least 1; every targeted device when absent. An unreadable value admits nothing and names the field in <paramref name="error"/>.
    /// </summary>
    public static int MaxConcurrent(IntOrString? value, int targeted, out string? error)
    {
        error = null;
        var text = value?.Value;
        if (string.IsNullOrEmpty(text))
        {
            return Math.Max(1, targeted);
        }

        if (text.EndsWith('%'))
        {
            if (double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) && percent is >= 0 and <= 100)
            {
                return Math.Max(1, (int)Math.Ceiling(percent * targeted / 100.0));
            }
        }
        else if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count))
        {
            return Math.Max(1, count);
        }

        error = $"spec.rollout.maxConcurrent: \"{text}\" is neither a device count nor a percentage between 0% and 100%";
        return 0;
    }

    /// <summary>
    /// The first abort criterion the current revision's outcomes meet, described with its counts; null when none is.
    /// A criterion is checked once at least <c>minNumberOfDevices</c> devices finished, and is met when at least one
    /// device has its failure type and those devices make at least <c>thresholdPercentage</c> of the finished ones.
    /// </summary>
    public static string? AbortReason(IList<AbortCriterion>? criteria, DeploymentRolloutStatus counts)
    {
        int failed = counts.Failed ?? 0, rejected = counts.Rejected ?? 0, timedOut = counts.TimedOut ?? 0;
        var executed = (counts.Succeeded ?? 0) + failed + rejected + timedOut;
        foreach (var criterion in criteria ?? [])
        {
            var minimum = Math.Max(1, criterion.MinNumberOfDevices ?? 1);
            int? matching = criterion.FailureType switch
            {
                AbortFailureTypes.Failed => failed,
                AbortFailureTypes.Rejected => rejected,
                AbortFailureTypes.TimedOut => timedOut,
                AbortFailureTypes.All => failed + rejected + timedOut,
                _ => null,
            };
            if (matching is not { } count || count == 0 || executed < minimum)
            {
                continue;
            }

            var percent = count * 100.0 / executed;
            if (percent >= criterion.ThresholdPercentage)
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"abort criterion {criterion.FailureType} >= {criterion.ThresholdPercentage:0.##}% (minNumberOfDevices {minimum}) met: {count} of {executed} finished devices ({percent:0.#}%); {failed} failed, {rejected} rejected, {timedOut} timed out, {counts.Succeeded ?? 0} succeeded");
            }
        }

        return null;
    }
}
