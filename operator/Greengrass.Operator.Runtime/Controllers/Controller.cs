using System.Net;
using Greengrass.Operator.Runtime.Metrics;
using Greengrass.Operator.Runtime.Queue;
using k8s.Autorest;
using Microsoft.Extensions.Logging;

namespace Greengrass.Operator.Runtime.Controllers;

/// <summary>Options of one controller.</summary>
public sealed class ControllerOptions
{
    /// <summary>The controller's name, used in logs and as the <c>controller</c> metric label.</summary>
    public required string Name { get; init; }

    /// <summary>How many keys are reconciled at once (controller-runtime's MaxConcurrentReconciles). Default 1.</summary>
    public int Workers { get; init; } = 1;
}

/// <summary>
/// Runs a reconciler over a work queue with a fixed number of workers. One key never runs on two
/// workers at once (the queue guarantees it); results drive requeue; exceptions back off per key;
/// 409 conflicts requeue quietly; terminal errors are logged and not retried.
/// </summary>
public sealed partial class Controller<TKey>
    where TKey : notnull
{
    private readonly ControllerOptions _options;
    private readonly IReconciler<TKey> _reconciler;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ControllerMetrics _metrics;

    /// <summary>Creates a controller over <paramref name="queue"/>.</summary>
    public Controller(ControllerOptions options, IReconciler<TKey> reconciler, WorkQueue<TKey> queue,
        ILogger logger, TimeProvider time, ControllerMetrics metrics)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Workers, 1);
        _options = options;
        _reconciler = reconciler;
        Queue = queue;
        _logger = logger;
        _time = time;
        _metrics = metrics;
    }

    /// <summary>The controller's queue: event handlers and map functions add keys here.</summary>
    public WorkQueue<TKey> Queue { get; }

    /// <summary>The controller's name.</summary>
    public string Name => _options.Name;

    /// <summary>Runs the workers until <paramref name="cancellationToken"/> fires, then shuts the queue down and waits for them.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _metrics.MaxConcurrentReconciles(_options.Name, _options.Workers);
        var workers = Enumerable.Range(0, _options.Workers).Select(_ => WorkAsync(cancellationToken)).ToArray();
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // normal stop
        }

        Queue.ShutDown();
        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            (bool ok, TKey key) next;
            try
            {
                next = await Queue.GetAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (!next.ok)
            {
                return;
            }

            try
            {
                await ProcessAsync(next.key, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Queue.Done(next.key);
            }
        }
    }

    private async Task ProcessAsync(TKey key, CancellationToken cancellationToken)
    {
        var reconcileId = Guid.NewGuid().ToString("N")[..12];
        using var scope = _logger.BeginScope(new Dictionary<string, object?>
        {
            ["Controller"] = _options.Name,
            ["Key"] = key.ToString(),
            ["ReconcileId"] = reconcileId,
        });
        var started = _time.GetTimestamp();
        _metrics.WorkerStarted(_options.Name);
        string outcome;
        try
        {
            var result = await _reconciler.ReconcileAsync(key, cancellationToken).ConfigureAwait(false);
            outcome = Apply(key, result);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = "error";
            _metrics.ReconcileError(_options.Name);
        }
        catch (TerminalReconcileException ex)
        {
            Queue.Forget(key);
            LogTerminal(_logger, key, ex.Message);
            outcome = "error";
            _metrics.ReconcileError(_options.Name);
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.Conflict)
        {
            // Someone wrote the object since we read it: normal, read again.
            LogConflict(_logger, key);
            Queue.AddRateLimited(key);
            outcome = "requeue";
        }
        catch (Exception ex)
        {
            LogRetry(_logger, ex, key, Queue.Retries(key) + 1);
            Queue.AddRateLimited(key);
            outcome = "error";
            _metrics.ReconcileError(_options.Name);
        }
        finally
        {
            _metrics.WorkerFinished(_options.Name);
        }

        var took = _time.GetElapsedTime(started);
        _metrics.Reconciled(_options.Name, outcome, took);
        LogReconciled(_logger, key, outcome, took.TotalMilliseconds);
    }

    private string Apply(TKey key, ReconcileResult result)
    {
        if (result.After is { } delay)
        {
            Queue.Forget(key);
            Queue.AddAfter(key, delay);
            return "requeue_after";
        }

        if (result.Requeue)
        {
            Queue.AddRateLimited(key);
            return "requeue";
        }

        Queue.Forget(key);
        return "success";
    }

    // One line per reconcile lets a test (or an operator at Debug level) see which replica reconciled what.
    [LoggerMessage(EventId = 1004, Level = LogLevel.Debug, Message = "Reconciled {Key}: {Outcome} in {Milliseconds:F1} ms")]
    private static partial void LogReconciled(ILogger logger, TKey key, string outcome, double milliseconds);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Reconcile of {Key} failed (attempt {Attempt}); retrying with back-off")]
    private static partial void LogRetry(ILogger logger, Exception exception, TKey key, int attempt);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "Conflict while reconciling {Key}; requeued")]
    private static partial void LogConflict(ILogger logger, TKey key);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "Reconcile of {Key} failed for good: {Reason}")]
    private static partial void LogTerminal(ILogger logger, TKey key, string reason);
}
