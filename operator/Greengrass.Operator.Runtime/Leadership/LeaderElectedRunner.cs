using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Greengrass.Operator.Runtime.Leadership;

/// <summary>Options of Lease-based leader election.</summary>
public sealed class LeaderElectionOptions
{
    /// <summary>Namespace of the Lease.</summary>
    public required string Namespace { get; init; }

    /// <summary>Name of the Lease, also the <c>name</c> label of <c>leader_election_master_status</c>.</summary>
    public required string LeaseName { get; init; }

    /// <summary>This replica's identity (the pod name). Default: host name plus a random suffix.</summary>
    public string Identity { get; init; } = $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>How long a lease holds without renewal. Default 15 s (client-go).</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps trying to renew before it gives up leadership. Default 10 s.</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Interval between acquire and renew attempts. Default 2 s.</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// Runs leader-only work while this replica holds the Lease: the work gets a token that is cancelled
/// the moment leadership is lost, and the runner waits for it to stop before competing again, so two
/// replicas never run leader-only work at the same time for longer than the lease allows.
/// </summary>
public sealed partial class LeaderElectedRunner
{
    private readonly IKubernetes _client;
    private readonly LeaderElectionOptions _options;
    private readonly Func<CancellationToken, Task> _leaderWork;
    private readonly ILogger _logger;
    private readonly Gauge.Child _isLeader;

    /// <summary>Creates the runner; <paramref name="leaderWork"/> runs each time leadership is acquired.</summary>
    public LeaderElectedRunner(IKubernetes client, LeaderElectionOptions options, Func<CancellationToken, Task> leaderWork,
        ILogger logger, CollectorRegistry registry)
    {
        _client = client;
        _options = options;
        _leaderWork = leaderWork;
        _logger = logger;
        _isLeader = Prometheus.Metrics.WithCustomRegistry(registry)
            .CreateGauge("leader_election_master_status", "Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master.",
                new GaugeConfiguration { LabelNames = ["name"] })
            .WithLabels(options.LeaseName);
    }

    /// <summary>True while this replica leads.</summary>
    public bool IsLeader { get; private set; }

    /// <summary>Competes for the lease and runs the leader work whenever it is held, until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _isLeader.Set(0);
        while (!cancellationToken.IsCancellationRequested)
        {
            await RunOneTermAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // A term that ended at once (API unreachable) must not turn into a busy loop.
                await Task.Delay(_options.RetryPeriod, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RunOneTermAsync(CancellationToken cancellationToken)
    {
        var leaseLock = new LeaseLock(_client, _options.Namespace, _options.LeaseName, _options.Identity);
        using var elector = new LeaderElector(new LeaderElectionConfig(leaseLock)
        {
            LeaseDuration = _options.LeaseDuration,
            RenewDeadline = _options.RenewDeadline,
            RetryPeriod = _options.RetryPeriod,
        });
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        elector.OnStartedLeading += () => started.TrySetResult();
        elector.OnError += ex => LogElectionError(_logger, ex, _options.LeaseName);

        var term = elector.RunUntilLeadershipLostAsync(cancellationToken);
        if (await Task.WhenAny(started.Task, term).ConfigureAwait(false) == term)
        {
            await ObserveAsync(term).ConfigureAwait(false);
            return;
        }

        using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        IsLeader = true;
        _isLeader.Set(1);
        LogAcquired(_logger, _options.Identity, _options.LeaseName);
        var work = Task.Run(() => _leaderWork(leading.Token), CancellationToken.None);
        await Task.WhenAny(term, work).ConfigureAwait(false);

        // Leadership lost (or the work ended): stop everything leader-only before competing again.
        await leading.CancelAsync().ConfigureAwait(false);
        IsLeader = false;
        _isLeader.Set(0);
        await ObserveAsync(work).ConfigureAwait(false);
        await ObserveAsync(term).ConfigureAwait(false);
        if (!cancellationToken.IsCancellationRequested)
        {
            LogLost(_logger, _options.Identity, _options.LeaseName);
        }
    }

    private async Task ObserveAsync(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
        catch (Exception ex)
        {
            LogElectionError(_logger, ex, _options.LeaseName);
        }
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "{Identity} acquired lease {Lease}; starting leader-only work")]
    private static partial void LogAcquired(ILogger logger, string identity, string lease);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "{Identity} lost lease {Lease}; leader-only work stopped")]
    private static partial void LogLost(ILogger logger, string identity, string lease);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "Leader election on lease {Lease} failed")]
    private static partial void LogElectionError(ILogger logger, Exception exception, string lease);
}
