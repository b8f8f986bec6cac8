using System.Text.RegularExpressions;
using k8s.Models;

namespace Greengrass.Api;

/// <summary>
/// Reads and writes status conditions with Kubernetes semantics: <c>lastTransitionTime</c> moves only when the
/// status flips, and every write stamps <c>observedGeneration</c>. Pure: the caller passes the time.
/// </summary>
public static partial class Conditions
{
    /// <summary>The condition of the given type, or null when absent.</summary>
    /// <param name="conditions">The status conditions; null counts as empty.</param>
    /// <param name="type">The condition type, such as <see cref="ConditionTypes.Ready"/>.</param>
    /// <returns>The condition, or null.</returns>
    public static V1Condition? Find(IEnumerable<V1Condition>? conditions, string type) =>
        conditions?.FirstOrDefault(c => string.Equals(c.Type, type, StringComparison.Ordinal));

    /// <summary>Whether the condition of the given type is present with status True.</summary>
    /// <param name="conditions">The status conditions; null counts as empty.</param>
    /// <param name="type">The condition type.</param>
    /// <returns>True only when the condition is present and True.</returns>
    public static bool IsTrue(IEnumerable<V1Condition>? conditions, string type) =>
        Find(conditions, type)?.Status == ConditionStatuses.True;

    /// <summary>
    /// Adds or updates the condition of the given type. <c>lastTransitionTime</c> becomes <paramref name="now"/>
    /// (whole seconds, as the API server stores it) when the condition is new or its status flips, and is kept otherwise.
    /// </summary>
    /// <param name="conditions">The status conditions to change in place.</param>
    /// <param name="type">The condition type, such as <see cref="ConditionTypes.Ready"/>.</param>
    /// <param name="status">True, False or Unknown (see <see cref="ConditionStatuses"/>).</param>
    /// <param name="reason">CamelCase reason, such as <see cref="ConditionReasons.Succeeded"/>.</param>
    /// <param name="message">Human-readable detail; null means empty.</param>
    /// <param name="observedGeneration">The metadata.generation the condition was computed from.</param>
    /// <param name="now">The current time.</param>
    /// <returns>True when anything changed, so the caller can skip a status write otherwise.</returns>
    /// <exception cref="ArgumentException">The type, status or reason is not valid; the message names which.</exception>
    public static bool Set(
        IList<V1Condition> conditions, string type, string status, string reason, string? message, long? observedGeneration, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        Validate(type, status, reason);
        message ??= "";
        var existing = Find(conditions, type);
        if (existing is null)
        {
            conditions.Add(new V1Condition
            {
                Type = type,
                Status = status,
                Reason = reason,
                Message = message,
                ObservedGeneration = observedGeneration,
                LastTransitionTime = ToApiTime(now),
            });
            return true;
        }

        var changed = existing.Status != status || existing.Reason != reason || existing.Message != message
            || existing.ObservedGeneration != observedGeneration;
        if (existing.Status != status)
        {
            existing.LastTransitionTime = ToApiTime(now);
        }

        existing.Status = status;
        existing.Reason = reason;
        existing.Message = message;
        existing.ObservedGeneration = observedGeneration;
        return changed;
    }

    /// <summary>Removes the condition of the given type.</summary>
    /// <param name="conditions">The status conditions to change in place.</param>
    /// <param name="type">The condition type.</param>
    /// <returns>True when a condition was removed.</returns>
    public static bool Remove(IList<V1Condition> conditions, string type)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        var existing = Find(conditions, type);
        return existing is not null && conditions.Remove(existing);
    }

    private static void Validate(string type, string status, string reason)
    {
        if (string.IsNullOrEmpty(type) || type.Length > 316)
        {
            throw new ArgumentException($"condition type must be 1 to 316 characters, got '{type}'", nameof(type));
        }

        if (status is not (ConditionStatuses.True or ConditionStatuses.False or ConditionStatuses.Unknown))
        {
            throw new ArgumentException($"condition status must be True, False or Unknown, got '{status}'", nameof(status));
        }

        if (reason is null || reason.Length > 1024 || !ReasonPattern().IsMatch(reason))
        {
            throw new ArgumentException($"condition reason must be CamelCase (letters, digits, _ , :), got '{reason}'", nameof(reason));
        }
    }

    // metav1.Time has whole-second precision: a sub-second value would differ after a round trip through the API
    // server and make every status write look like a change.
    private static DateTime ToApiTime(DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }

    [GeneratedRegex("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$")]
    private static partial Regex ReasonPattern();
}
