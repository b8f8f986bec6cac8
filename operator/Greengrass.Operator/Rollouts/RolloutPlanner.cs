using Greengrass.Api;
using k8s;
using ApiDeployment = Greengrass.Api.Deployment;

namespace Greengrass.Operator.Rollouts;

/// <summary>What one step of a rollout is computed from.</summary>
/// <param name="Deployment">The Deployment as read: spec, generation and the previous <c>status.rollout</c>.</param>
/// <param name="Targeted">Names of the CoreDevices the Deployment targets now.</param>
/// <param name="Reported">The finished outcome (a <see cref="RolloutOutcomes"/> value) each device reported for the current revision.</param>
/// <param name="Now">The current time.</param>
internal sealed record RolloutInput(ApiDeployment Deployment, IReadOnlyCollection<string> Targeted, IReadOnlyDictionary<string, string> Reported, DateTimeOffset Now);

/// <summary>The next rollout state and what changed on the way, for events and the requeue.</summary>
internal sealed record RolloutResult(
    DeploymentRolloutStatus Status,
    bool Started,
    IReadOnlyList<string> Admitted,
    string? AbortMessage,
    bool Completed,
    string? SpecError,
    TimeSpan? NextTimeout);

/// <summary>
/// The rollout state machine, as AWS IoT jobs run Greengrass deployments: devices are admitted to a new revision in
/// name order, at most <c>maxConcurrent</c> in progress at once; an outcome or a per-device timeout frees a slot; an
/// abort criterion met stops admissions. Pure: the next state is a function of the Deployment, the targeted devices,
/// their reported outcomes and the time.
/// </summary>
internal static class RolloutPlanner
{
    public static RolloutResult Advance(RolloutInput input)
    {
        var deployment = input.Deployment;
        var generation = deployment.Metadata.Generation ?? 0;
        var current = new DeploymentRevisionSpec { Revision = generation, Components = deployment.Spec.Components, Policies = deployment.Spec.Policies };
        var settings = deployment.Spec.Rollout;
        if (settings is null)
        {
            return AllAtOnce(current);
        }

        var record = Start(deployment, generation, input.Now, out var started);
        var limit = RolloutLimits.MaxConcurrent(settings.MaxConcurrent, input.Targeted.Count, out var specError);
        Remember(record, current);
        record.Devices = [.. (record.Devices ?? []).Where(e => input.Targeted.Contains(e.Name))];
        Settle(record, generation, input.Reported, settings.PerDeviceTimeoutSeconds, input.Now);
        Count(record, generation);

        string? abort = null;
        if (record.Phase != RolloutPhases.Aborted && RolloutLimits.AbortReason(settings.AbortCriteria, record) is { } reason)
        {
            record.Phase = RolloutPhases.Aborted;
            record.Message = $"revision {generation}: {reason}";
            abort = record.Message;
        }

        var admitted = record.Phase == RolloutPhases.Aborted || specError is not null
            ? []
            : Admit(record, generation, input.Targeted, limit, input.Now);
        Count(record, generation);
        var wasCompleted = record.Phase == RolloutPhases.Completed;
        Conclude(record, generation, input.Targeted);
        Prune(record, generation);
        return new RolloutResult(record, started, admitted, abort, !wasCompleted && record.Phase == RolloutPhases.Completed, specError,
            NextTimeout(record, generation, settings.PerDeviceTimeoutSeconds, input.Now));
    }

    /// <summary>Without rollout limits every device runs the current spec at once: only the spec is remembered, for a later rollout to start from.</summary>
    private static RolloutResult AllAtOnce(DeploymentRevisionSpec current) =>
        new(new DeploymentRolloutStatus { Revision = current.Revision, StableRevision = current.Revision, Revisions = [Copy(current)] },
            false, [], null, false, null, null);

    private static DeploymentRolloutStatus Start(ApiDeployment deployment, long generation, DateTimeOffset now, out bool started)
    {
        var previous = deployment.Status?.Rollout;
        DeploymentRolloutStatus record;
        if (previous is not null)
        {
            record = Copy(previous);
        }
        else if (deployment.Status?.ObservedGeneration == generation)
        {
            // Rolled out at once before any rollout was recorded (an older operator): every device already runs it.
            record = new DeploymentRolloutStatus { Revision = generation, StableRevision = generation, Phase = RolloutPhases.Completed };
        }
        else
        {
            record = new DeploymentRolloutStatus();
        }

        started = record.Revision != generation || record.Phase is null;
        if (started)
        {
            record.Revision = generation;
            record.Phase = RolloutPhases.InProgress;
            record.StartTime = Seconds(now);
            record.Message = null;
        }

        return record;
    }

    private static void Remember(DeploymentRolloutStatus record, DeploymentRevisionSpec current)
    {
        var revisions = (record.Revisions ?? []).Where(r => r.Revision != current.Revision).ToList();
        revisions.Add(Copy(current));
        record.Revisions = [.. revisions.OrderBy(r => r.Revision)];
    }

    /// <summary>Records the outcomes devices reported, and turns devices in progress past their deadline into TIMED_OUT.</summary>
    private static void Settle(DeploymentRolloutStatus record, long generation, IReadOnlyDictionary<string, string> reported, int? timeoutSeconds, DateTimeOffset now)
    {
        foreach (var entry in record.Devices!.Where(e => e.Revision == generation && e.Outcome is null))
        {
            if (reported.TryGetValue(entry.Name, out var outcome))
            {
                entry.Outcome = outcome;
            }
            else if (timeoutSeconds is { } seconds && entry.AdmittedTime is { } admitted
                     && now >= new DateTimeOffset(DateTime.SpecifyKind(admitted, DateTimeKind.Utc)).AddSeconds(seconds))
            {
                entry.Outcome = RolloutOutcomes.TimedOut;
            }
        }
    }

    /// <summary>Admits waiting devices in name order while fewer than the limit are in progress.</summary>
    private static List<string> Admit(DeploymentRolloutStatus record, long generation, IReadOnlyCollection<string> targeted, int limit, DateTimeOffset now)
    {
        var entries = record.Devices!;
        var free = limit - entries.Count(e => e.Revision == generation && e.Outcome is null);
        var admitted = new List<string>();
        foreach (var name in targeted.Order(StringComparer.Ordinal))
        {
            if (free <= 0)
            {
                break;
            }

            var entry = entries.FirstOrDefault(e => e.Name == name);
            if (entry?.Revision == generation)
            {
                continue;
            }

            if (entry is not null)
            {
                entries.Remove(entry);
            }

            entries.Add(new RolloutDevice { Name = name, Revision = generation, AdmittedTime = Seconds(now) });
            admitted.Add(name);
            free--;
        }

        record.Devices = [.. entries.OrderBy(e => e.Name, StringComparer.Ordinal)];
        return admitted;
    }

    private static void Count(DeploymentRolloutStatus record, long generation)
    {
        var entries = record.Devices!.Where(e => e.Revision == generation).ToList();
        record.Admitted = entries.Count;
        record.Succeeded = entries.Count(e => e.Outcome == RolloutOutcomes.Succeeded);
        record.Failed = entries.Count(e => e.Outcome == RolloutOutcomes.Failed);
        record.Rejected = entries.Count(e => e.Outcome == RolloutOutcomes.Rejected);
        record.TimedOut = entries.Count(e => e.Outcome == RolloutOutcomes.TimedOut);
    }

    /// <summary>A revision admitted to every targeted device becomes the stable one; a rollout with nothing left to wait for is complete.</summary>
    private static void Conclude(DeploymentRolloutStatus record, long generation, IReadOnlyCollection<string> targeted)
    {
        var onCurrent = record.Devices!.Where(e => e.Revision == generation).ToDictionary(e => e.Name);
        var allAdmitted = targeted.All(onCurrent.ContainsKey);
        if (allAdmitted)
        {
            record.StableRevision = generation;
        }

        if (record.Phase != RolloutPhases.Aborted)
        {
            record.Phase = allAdmitted && onCurrent.Values.All(e => e.Outcome is not null) ? RolloutPhases.Completed : RolloutPhases.InProgress;
        }
    }

    /// <summary>Devices on the stable revision need no entry (they run it by default); specs no device runs are dropped.</summary>
    private static void Prune(DeploymentRolloutStatus record, long generation)
    {
        record.Devices = [.. record.Devices!.Where(e => e.Revision == generation || e.Revision != record.StableRevision)];
        var used = record.Devices.Select(e => e.Revision).Append(generation).ToHashSet();
        if (record.StableRevision is { } stable)
        {
            used.Add(stable);
        }

        record.Revisions = [.. record.Revisions!.Where(r => used.Contains(r.Revision))];
    }

    private static TimeSpan? NextTimeout(DeploymentRolloutStatus record, long generation, int? timeoutSeconds, DateTimeOffset now)
    {
        if (timeoutSeconds is not { } seconds)
        {
            return null;
        }

        var deadlines = record.Devices!
            .Where(e => e.Revision == generation && e.Outcome is null && e.AdmittedTime is not null)
            .Select(e => new DateTimeOffset(DateTime.SpecifyKind(e.AdmittedTime!.Value, DateTimeKind.Utc)).AddSeconds(seconds) - now)
            .ToList();
        return deadlines.Count == 0 ? null : TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(deadlines.Min().TotalSeconds)));
    }

    // Status times are written with second precision: keeping them so makes a re-read compare equal.
    private static DateTime Seconds(DateTimeOffset now) => new(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    private static T Copy<T>(T value) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(value));
}
