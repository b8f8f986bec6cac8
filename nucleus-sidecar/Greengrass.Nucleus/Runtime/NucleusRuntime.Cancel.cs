using Greengrass.Nucleus.Contracts;

namespace Greengrass.Nucleus.Runtime;

/// <summary>
/// CancelLocalDeployment. One gate orders a cancellation against the deployment loop: a job is either dropped before it
/// starts, or stopped while it only waits (deferrals, configuration validation), or left to finish once it has passed
/// the point where it changes the device. So a cancellation never leaves a half-applied configuration behind.
/// </summary>
internal sealed partial class NucleusRuntime
{
    private readonly Lock _cancelGate = new();
    // Read while the history lock is held (to mark new records), so it takes no lock of its own.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _localDeployments = new(StringComparer.Ordinal);
    private readonly HashSet<string> _droppedBeforeStart = new(StringComparer.Ordinal);
    private string? _runningId;
    private CancellationTokenSource? _runningCancel;

    /// <summary>Cancels a local deployment when it can still be cancelled; the verdict says what happened.</summary>
    public async Task<CancelVerdict> CancelLocalDeploymentAsync(string deploymentId, CancellationToken ct)
    {
        CancelVerdict verdict;
        DeploymentRecord? record;
        lock (_cancelGate)
        {
            record = Deployments().LastOrDefault(d => d.DeploymentId == deploymentId);
            var active = _runningId == deploymentId;
            verdict = LocalDeploymentCancellation.Decide(record is null ? null : new CancelTarget(
                record.Local || _localDeployments.ContainsKey(deploymentId), record.Report.Status, active, active && _runningCancel is not null));
            if (verdict == CancelVerdict.DropQueued)
            {
                _droppedBeforeStart.Add(deploymentId);
            }
            else if (verdict == CancelVerdict.StopInProgress)
            {
                _runningCancel!.Cancel();
            }
        }

        RuntimeLog.CancelRequested(_logger, deploymentId, verdict);
        if (verdict == CancelVerdict.DropQueued)
        {
            // Recorded now, not when the loop reaches the job: the answer and the status agree from the start.
            await RecordCanceledAsync(deploymentId, record!.Report.Revision, ct);
        }

        return verdict;
    }

    /// <summary>Takes a job off the queue: false when it was cancelled while queued. Else it is cancellable until it changes something.</summary>
    private bool BeginJob(DeploymentJob job, CancellationToken ct)
    {
        lock (_cancelGate)
        {
            var id = job.Plan.DeploymentId;
            if (!job.Resume && job.Restart is null && _droppedBeforeStart.Remove(id))
            {
                return false;
            }

            _runningId = id;
            // A resumed plan or a restart stage has changed the device already: those are never cancellable.
            _runningCancel = job.Resume || job.Restart is not null ? null : CancellationTokenSource.CreateLinkedTokenSource(ct);
            return true;
        }
    }

    private void EndJob()
    {
        lock (_cancelGate)
        {
            _runningId = null;
            _runningCancel?.Dispose();
            _runningCancel = null;
        }
    }

    /// <summary>The token that a cancellation trips while the running deployment has changed nothing.</summary>
    private CancellationToken RunningCancelToken(CancellationToken ct)
    {
        lock (_cancelGate)
        {
            return _runningCancel?.Token ?? ct;
        }
    }

    /// <summary>
    /// The point of no return: from here on the deployment changes the device and runs to its end. Returns false when a
    /// cancellation came first.
    /// </summary>
    private bool PassPointOfNoReturn()
    {
        lock (_cancelGate)
        {
            if (_runningCancel is { IsCancellationRequested: true })
            {
                return false;
            }

            _runningCancel?.Dispose();
            _runningCancel = null;
            return true;
        }
    }

    private void RememberLocal(string deploymentId) => _localDeployments[deploymentId] = 0;

    private async Task FinishCanceledAsync(DevicePlan plan, CancellationToken ct)
    {
        await RecordCanceledAsync(plan.DeploymentId, plan.Revision, ct);
        // Components that were asked about the update (and may have deferred it) learn that it is over.
        _ipc.Updates?.NotifyUpdateFinished(plan.DeploymentId);
    }

    private async Task RecordCanceledAsync(string deploymentId, long revision, CancellationToken ct)
    {
        var report = new DeploymentReport
        {
            DeploymentId = deploymentId,
            Revision = revision,
            // Not applied: the device is as it was before the deployment (nothing to roll back).
            Status = DeploymentStatus.Rejected,
            FailureCause = "Cancelled by a CancelLocalDeployment request before it changed anything.",
        };
        lock (_historyGate)
        {
            var index = _history.FindIndex(d => d.DeploymentId == deploymentId && d.Report.Revision == revision);
            if (index >= 0)
            {
                _history[index] = _history[index] with { Report = report, Canceled = true };
            }
        }

        RuntimeLog.DeploymentEnded(_logger, deploymentId, "CANCELED", "");
        await PostAsync(() =>
        {
            PublishReport();
            return true;
        });
        await SaveHistoryAsync(ct);
    }
}
