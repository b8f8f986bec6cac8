using Greengrass.Operator.Runtime.Queue;
using Prometheus;

namespace Greengrass.Operator.Runtime.Metrics;

/// <summary>
/// controller-runtime's controller and work-queue metrics, with its names and labels, on one
/// prometheus-net registry (the default one in the operator, a private one in tests).
/// </summary>
public sealed class ControllerMetrics
{
    // client-go's work-queue buckets: 10 ns to 1000 s by powers of ten.
    private static readonly double[] QueueBuckets = Histogram.ExponentialBuckets(1e-8, 10, 12);

    // controller-runtime's reconcile_time_seconds buckets.
    private static readonly double[] ReconcileBuckets =
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0,
         1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60];

    private readonly CollectorRegistry _registry;
    private readonly Counter _reconcileTotal;
    private readonly Counter _reconcileErrors;
    private readonly Histogram _reconcileTime;
    private readonly Gauge _activeWorkers;
    private readonly Gauge _maxConcurrent;
    private readonly Gauge _depth;
    private readonly Counter _adds;
    private readonly Histogram _queueDuration;
    private readonly Histogram _workDuration;
    private readonly Counter _retries;
    private readonly Gauge _unfinished;
    private readonly Gauge _longest;

    /// <summary>Creates the metrics on <paramref name="registry"/>.</summary>
    public ControllerMetrics(CollectorRegistry registry)
    {
        _registry = registry;
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        string[] controller = ["controller"];
        string[] name = ["name"];
        _reconcileTotal = factory.CreateCounter("controller_runtime_reconcile_total",
            "Total number of reconciliations per controller", new CounterConfiguration { LabelNames = ["controller", "result"] });
        _reconcileErrors = factory.CreateCounter("controller_runtime_reconcile_errors_total",
            "Total number of reconciliation errors per controller", new CounterConfiguration { LabelNames = controller });
        _reconcileTime = factory.CreateHistogram("controller_runtime_reconcile_time_seconds",
            "Length of time per reconciliation per controller", new HistogramConfiguration { LabelNames = controller, Buckets = ReconcileBuckets });
        _activeWorkers = factory.CreateGauge("controller_runtime_active_workers",
            "Number of currently used workers per controller", new GaugeConfiguration { LabelNames = controller });
        _maxConcurrent = factory.CreateGauge("controller_runtime_max_concurrent_reconciles",
            "Maximum number of concurrent reconciles per controller", new GaugeConfiguration { LabelNames = controller });
        _depth = factory.CreateGauge("workqueue_depth", "Current depth of workqueue", new GaugeConfiguration { LabelNames = name });
        _adds = factory.CreateCounter("workqueue_adds_total", "Total number of adds handled by workqueue", new CounterConfiguration { LabelNames = name });
        _queueDuration = factory.CreateHistogram("workqueue_queue_duration_seconds",
            "How long in seconds an item stays in workqueue before being requested", new HistogramConfiguration { LabelNames = name, Buckets = QueueBuckets });
        _workDuration = factory.CreateHistogram("workqueue_work_duration_seconds",
            "How long in seconds processing an item from workqueue takes", new HistogramConfiguration { LabelNames = name, Buckets = QueueBuckets });
        _retries = factory.CreateCounter("workqueue_retries_total", "Total number of retries handled by workqueue", new CounterConfiguration { LabelNames = name });
        _unfinished = factory.CreateGauge("workqueue_unfinished_work_seconds",
            "How many seconds of work has been done that is in progress and hasn't been observed by work_duration", new GaugeConfiguration { LabelNames = name });
        _longest = factory.CreateGauge("workqueue_longest_running_processor_seconds",
            "How many seconds has the longest running processor for workqueue been running", new GaugeConfiguration { LabelNames = name });
    }

    /// <summary>The work-queue metrics of the queue named <paramref name="queueName"/>.</summary>
    public IWorkQueueMetrics ForQueue(string queueName) => new QueueMetrics(this, queueName);

    /// <summary>Samples the in-progress gauges of <paramref name="queue"/> before every scrape.</summary>
    public void TrackInProgress<TKey>(string queueName, WorkQueue<TKey> queue)
        where TKey : notnull
    {
        var unfinished = _unfinished.WithLabels(queueName);
        var longest = _longest.WithLabels(queueName);
        _registry.AddBeforeCollectCallback(() =>
        {
            var (total, max) = queue.InProgressSeconds();
            unfinished.Set(total);
            longest.Set(max);
        });
    }

    internal void MaxConcurrentReconciles(string controller, int workers)
    {
        _maxConcurrent.WithLabels(controller).Set(workers);

        // As controller-runtime does at start: every series exists at zero, so rate() and alerts work before the first error.
        _reconcileErrors.WithLabels(controller);
        foreach (var result in new[] { "success", "error", "requeue", "requeue_after" })
        {
            _reconcileTotal.WithLabels(controller, result);
        }
    }

    internal void WorkerStarted(string controller) => _activeWorkers.WithLabels(controller).Inc();

    internal void WorkerFinished(string controller) => _activeWorkers.WithLabels(controller).Dec();

    internal void ReconcileError(string controller) => _reconcileErrors.WithLabels(controller).Inc();

    internal void Reconciled(string controller, string result, TimeSpan took)
    {
        _reconcileTotal.WithLabels(controller, result).Inc();
        _reconcileTime.WithLabels(controller).Observe(took.TotalSeconds);
    }

    private sealed class QueueMetrics(ControllerMetrics metrics, string queueName) : IWorkQueueMetrics
    {
        private readonly Counter.Child _adds = metrics._adds.WithLabels(queueName);
        private readonly Gauge.Child _depth = metrics._depth.WithLabels(queueName);
        private readonly Histogram.Child _queueDuration = metrics._queueDuration.WithLabels(queueName);
        private readonly Histogram.Child _workDuration = metrics._workDuration.WithLabels(queueName);
        private readonly Counter.Child _retries = metrics._retries.WithLabels(queueName);

        public void Added() => _adds.Inc();

        public void DepthChanged(int depth) => _depth.Set(depth);

        public void Dequeued(TimeSpan waited) => _queueDuration.Observe(waited.TotalSeconds);

        public void Finished(TimeSpan took) => _workDuration.Observe(took.TotalSeconds);

        public void Retried() => _retries.Inc();
    }
}
