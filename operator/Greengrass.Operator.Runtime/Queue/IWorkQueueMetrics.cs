namespace Greengrass.Operator.Runtime.Queue;

/// <summary>What a work queue reports; the Prometheus implementation uses client-go's metric names.</summary>
public interface IWorkQueueMetrics
{
    /// <summary>A key was added (workqueue_adds_total).</summary>
    void Added();

    /// <summary>The number of queued keys changed (workqueue_depth).</summary>
    void DepthChanged(int depth);

    /// <summary>A key left the queue after waiting <paramref name="waited"/> (workqueue_queue_duration_seconds).</summary>
    void Dequeued(TimeSpan waited);

    /// <summary>A key was processed in <paramref name="took"/> (workqueue_work_duration_seconds).</summary>
    void Finished(TimeSpan took);

    /// <summary>A key was re-queued by its rate limiter (workqueue_retries_total).</summary>
    void Retried();
}

internal sealed class NoWorkQueueMetrics : IWorkQueueMetrics
{
    public static readonly NoWorkQueueMetrics Instance = new();

    public void Added()
    {
    }

    public void DepthChanged(int depth)
    {
    }

    public void Dequeued(TimeSpan waited)
    {
    }

    public void Finished(TimeSpan took)
    {
    }

    public void Retried()
    {
    }
}
