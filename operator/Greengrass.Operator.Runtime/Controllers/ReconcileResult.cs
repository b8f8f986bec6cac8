namespace Greengrass.Operator.Runtime.Controllers;

/// <summary>What a reconcile asks of its controller next (an exception means: retry with back-off).</summary>
public readonly record struct ReconcileResult
{
    private ReconcileResult(bool requeue, TimeSpan? after)
    {
        Requeue = requeue;
        After = after;
    }

    /// <summary>Converged: forget the key's back-off and wait for the next change.</summary>
    public static ReconcileResult Done { get; } = new(false, null);

    /// <summary>Not converged yet: try again with the key's back-off.</summary>
    public static ReconcileResult RequeueWithBackoff { get; } = new(true, null);

    /// <summary>Converged for now, look again after <paramref name="delay"/> (for example to watch a timeout).</summary>
    public static ReconcileResult RequeueAfter(TimeSpan delay) => new(false, delay);

    /// <summary>True when the key goes back through the rate limiter.</summary>
    public bool Requeue { get; }

    /// <summary>When set, the key is queued again after this delay.</summary>
    public TimeSpan? After { get; }
}

/// <summary>A failure that retrying cannot fix (it belongs in a condition); the key is not retried.</summary>
public sealed class TerminalReconcileException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Reconciles one key, level-triggered: reads the world, never branches on the kind of event.</summary>
public interface IReconciler<in TKey>
{
    /// <summary>Brings the object named by <paramref name="key"/> towards its desired state.</summary>
    Task<ReconcileResult> ReconcileAsync(TKey key, CancellationToken cancellationToken);
}
