namespace Greengrass.Operator.Runtime.Queue;

/// <summary>
/// A controller work queue with client-go semantics: a key added many times before it is processed is
/// processed once; a key is never handed to two workers at once (an add during processing is
/// remembered and re-queued on <see cref="Done"/>); delayed and rate-limited adds; shutdown drains.
/// </summary>
public sealed class WorkQueue<TKey> : IDisposable
    where TKey : notnull
{
    private readonly Lock _lock = new();
    private readonly Queue<TKey> _queue = new();
    private readonly HashSet<TKey> _dirty = [];
    private readonly Dictionary<TKey, long> _processing = [];
    private readonly Dictionary<TKey, long> _queuedAt = [];
    private readonly Dictionary<TKey, (long Due, ITimer Timer)> _waiting = [];
    private readonly LinkedList<TaskCompletionSource<TKey>> _getters = new();
    private readonly IRateLimiter<TKey> _rateLimiter;
    private readonly TimeProvider _time;
    private readonly IWorkQueueMetrics _metrics;
    private bool _shuttingDown;

    /// <summary>Creates a queue.</summary>
    public WorkQueue(IRateLimiter<TKey> rateLimiter, TimeProvider time, IWorkQueueMetrics? metrics = null)
    {
        _rateLimiter = rateLimiter;
        _time = time;
        _metrics = metrics ?? NoWorkQueueMetrics.Instance;
    }

    /// <summary>Keys waiting to be processed (not counting delayed ones nor those being processed).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>True once <see cref="ShutDown"/> was called.</summary>
    public bool IsShuttingDown
    {
        get
        {
            lock (_lock)
            {
                return _shuttingDown;
            }
        }
    }

    /// <summary>Queues <paramref name="key"/> unless it is already queued.</summary>
    public void Add(TKey key)
    {
        TaskCompletionSource<TKey>? handOff = null;
        lock (_lock)
        {
            if (_shuttingDown || !_dirty.Add(key))
            {
                return;
            }

            _metrics.Added();
            if (_processing.ContainsKey(key))
            {
                return; // re-queued by Done
            }

            handOff = EnqueueLocked(key);
        }

        Complete(handOff, key);
    }

    /// <summary>Queues <paramref name="key"/> after <paramref name="delay"/>; an earlier pending time wins.</summary>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        lock (_lock)
        {
            if (_shuttingDown)
            {
                return;
            }

            var due = _time.GetTimestamp() + (long)(delay.TotalSeconds * _time.TimestampFrequency);
            if (_waiting.TryGetValue(key, out var pending))
            {
                if (pending.Due <= due)
                {
                    return;
                }

                pending.Timer.Dispose();
            }

            var timer = _time.CreateTimer(_ => FireDelayed(key, due), null, delay, Timeout.InfiniteTimeSpan);
            _waiting[key] = (due, timer);
        }
    }

    /// <summary>Queues <paramref name="key"/> after the delay its rate limiter gives (counts a retry).</summary>
    public void AddRateLimited(TKey key)
    {
        _metrics.Retried();
        AddAfter(key, _rateLimiter.When(key));
    }

    /// <summary>Resets the back-off of <paramref name="key"/> after a success.</summary>
    public void Forget(TKey key) => _rateLimiter.Forget(key);

    /// <summary>How many times <paramref name="key"/> was retried since it was last forgotten.</summary>
    public int Retries(TKey key) => _rateLimiter.Retries(key);

    /// <summary>Waits for the next key. Returns false when the queue is shut down and empty.</summary>
    public async ValueTask<(bool Ok, TKey Key)> GetAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource<TKey> getter;
        LinkedListNode<TaskCompletionSource<TKey>> node;
        lock (_lock)
        {
            if (_queue.Count > 0)
            {
                return (true, TakeLocked(_queue.Dequeue()));
            }

            if (_shuttingDown)
            {
                return (false, default!);
            }

            getter = new TaskCompletionSource<TKey>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _getters.AddLast(getter);
        }

        await using var registration = cancellationToken.Register(() =>
        {
            lock (_lock)
            {
                if (node.List is not null)
                {
                    _getters.Remove(node);
                }
            }

            getter.TrySetCanceled(cancellationToken);
        });

        try
        {
            return (true, await getter.Task.ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, default!); // shut down while waiting
        }
    }

    /// <summary>Marks <paramref name="key"/> as processed; if it was added meanwhile, it is queued again.</summary>
    public void Done(TKey key)
    {
        TaskCompletionSource<TKey>? handOff = null;
        lock (_lock)
        {
            if (!_processing.Remove(key, out var started))
            {
                return;
            }

            _metrics.Finished(_time.GetElapsedTime(started));
            if (_dirty.Contains(key))
            {
                handOff = EnqueueLocked(key);
            }
        }

        Complete(handOff, key);
    }

    /// <summary>Stops accepting keys; waiting getters return false once the queue is empty.</summary>
    public void ShutDown()
    {
        List<TaskCompletionSource<TKey>> getters;
        lock (_lock)
        {
            _shuttingDown = true;
            foreach (var (_, pending) in _waiting)
            {
                pending.Timer.Dispose();
            }

            _waiting.Clear();
            getters = [.. _getters];
            _getters.Clear();
        }

        foreach (var getter in getters)
        {
            getter.TrySetCanceled();
        }
    }

    /// <summary>Seconds of work in progress: total, and the longest running key (for the metrics of the same names).</summary>
    public (double Unfinished, double Longest) InProgressSeconds()
    {
        lock (_lock)
        {
            double total = 0, longest = 0;
            foreach (var started in _processing.Values)
            {
                var seconds = _time.GetElapsedTime(started).TotalSeconds;
                total += seconds;
                longest = Math.Max(longest, seconds);
            }

            return (total, longest);
        }
    }

    /// <inheritdoc />
    public void Dispose() => ShutDown();

    private void FireDelayed(TKey key, long due)
    {
        lock (_lock)
        {
            if (!_waiting.TryGetValue(key, out var pending) || pending.Due != due)
            {
                return; // superseded by an earlier time
            }

            _waiting.Remove(key);
            pending.Timer.Dispose();
        }

        Add(key);
    }

    // Either hands the key straight to a waiting worker or queues it; called under the lock.
    private TaskCompletionSource<TKey>? EnqueueLocked(TKey key)
    {
        _queuedAt[key] = _time.GetTimestamp();
        if (_getters.First is { } first)
        {
            _getters.RemoveFirst();
            TakeLocked(key);
            return first.Value;
        }

        _queue.Enqueue(key);
        _metrics.DepthChanged(_queue.Count);
        return null;
    }

    private TKey TakeLocked(TKey key)
    {
        _dirty.Remove(key);
        var now = _time.GetTimestamp();
        if (_queuedAt.Remove(key, out var queued))
        {
            _metrics.Dequeued(_time.GetElapsedTime(queued, now));
        }

        _processing[key] = now;
        _metrics.DepthChanged(_queue.Count);
        return key;
    }

    private void Complete(TaskCompletionSource<TKey>? getter, TKey key)
    {
        if (getter is not null && !getter.TrySetResult(key))
        {
            // The getter was cancelled between hand-off and completion: give the key back.
            lock (_lock)
            {
                _processing.Remove(key);
                _dirty.Add(key);
                getter = EnqueueLocked(key);
            }

            Complete(getter, key);
        }
    }
}
