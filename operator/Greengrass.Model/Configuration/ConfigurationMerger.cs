using System.Text.Json.Nodes;

namespace Greengrass.Model.Configuration;

/// <summary>A deployment's configuration update for one component: reset pointers, then a merge document.</summary>
/// <param name="Reset">RFC 6901 pointers to reset: <c>""</c> resets everything, a key present in the defaults comes back
/// with its default, a key absent from the defaults is removed.</param>
/// <param name="Merge">Values to merge over the result: objects merge recursively, arrays and scalars replace, null is stored as null.</param>
public sealed record ConfigurationUpdate(IReadOnlyList<string> Reset, JsonObject? Merge)
{
    /// <summary>An update that changes nothing.</summary>
    public static ConfigurationUpdate None { get; } = new([], null);
}

/// <summary>The resolved configuration and what was skipped on the way.</summary>
/// <param name="Configuration">The configuration to apply.</param>
/// <param name="Warnings">Reset pointers that were skipped and why (the nucleus logs these and carries on).</param>
public sealed record ConfigurationMergeResult(JsonObject Configuration, IReadOnlyList<string> Warnings);

/// <summary>
/// Resolves a component's configuration for a deployment in the exact order of GREENGRASS.md §4.5: start from the current
/// configuration, remove the reset pointers, fill in the recipe defaults (timestamp 1: they never overwrite existing values),
/// then merge the deployment's <c>merge</c> document.
/// </summary>
/// <remarks>
/// Only root components of a deployment get its reset and merge (§4.5 step 6): for a dependency-only component pass
/// <see cref="ConfigurationUpdate.None"/>, and only its defaults flow in. Keys match case-insensitively, as in the nucleus store.
/// </remarks>
public static class ConfigurationMerger
{
    // Current values count as written by an earlier deployment: newer than defaults (1), older than this update.
    private const long CurrentTimestamp = 2;
    private const long UpdateTimestamp = 3;

    /// <summary>Resolves the configuration to apply.</summary>
    /// <param name="defaults">The recipe's <c>DefaultConfiguration</c>; null for none.</param>
    /// <param name="current">The component's configuration on the device now; null for a new component.</param>
    /// <param name="update">This deployment's update for the component; null for none.</param>
    /// <returns>The configuration and any skipped resets.</returns>
    /// <exception cref="FormatException">A reset pointer is malformed; the message names it as <c>reset[i]</c>.</exception>
    public static ConfigurationMergeResult Apply(JsonObject? defaults, JsonObject? current, ConfigurationUpdate? update)
    {
        var configuration = TimestampedConfiguration.FromJson(current, CurrentTimestamp);
        var warnings = ApplyDeployment(configuration, defaults, update, UpdateTimestamp);
        return new ConfigurationMergeResult(configuration.ToJson(), warnings);
    }

    /// <summary>Applies §4.5 steps 2–4 to a timestamped configuration (the nucleus side): reset, defaults at timestamp 1, merge.</summary>
    /// <param name="configuration">The component's configuration; changed in place.</param>
    /// <param name="defaults">The recipe's <c>DefaultConfiguration</c>; null for none.</param>
    /// <param name="update">This deployment's update for the component; null for none.</param>
    /// <param name="deploymentTimestamp">The deployment's creation time (epoch ms): merged leaves carry it, and leaves written
    /// later than it are left alone.</param>
    /// <returns>Reset pointers that were skipped and why.</returns>
    /// <exception cref="FormatException">A reset pointer is malformed; the message names it as <c>reset[i]</c>.</exception>
    public static IReadOnlyList<string> ApplyDeployment(TimestampedConfiguration configuration, JsonObject? defaults,
        ConfigurationUpdate? update, long deploymentTimestamp)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var pointers = ParsePointers(update?.Reset ?? []);
        var warnings = new List<string>();
        foreach (var (pointer, index) in pointers.Select((p, i) => (p, i)))
        {
            var outcome = configuration.Reset(pointer);
            if (outcome == ResetOutcome.SkippedArrayElement)
            {
                warnings.Add($"reset[{index}]: \"{pointer}\" points into an array element; resetting array elements is not supported, skipped");
            }

            if (outcome == ResetOutcome.Cleared)
            {
                break;
            }
        }

        if (defaults is not null)
        {
            configuration.MergeDefaults(defaults);
        }

        if (update?.Merge is not null)
        {
            configuration.Merge(update.Merge, deploymentTimestamp);
        }

        return warnings;
    }

    private static List<JsonPointer> ParsePointers(IReadOnlyList<string> reset)
    {
        var pointers = new List<JsonPointer>(reset.Count);
        for (var i = 0; i < reset.Count; i++)
        {
            if (reset[i] is null)
            {
                throw new FormatException($"reset[{i}]: the pointer is null");
            }

            if (!JsonPointer.TryParse(reset[i], out var pointer, out var error))
            {
                throw new FormatException($"reset[{i}]: {error.Message}", error);
            }

            pointers.Add(pointer);
        }

        return pointers;
    }
}
