using System.Text.Json;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Core.Deployment;
using Greengrass.Nucleus.Storage;

namespace Greengrass.Nucleus.Runtime;

/// <summary>
/// One deployment as the device saw it: when it was queued and where it stands. <c>Canceled</c>: cancelled by
/// CancelLocalDeployment (its report then says Rejected, as nothing was applied). <c>Local</c>: created by
/// CreateLocalDeployment, so CancelLocalDeployment applies to it, also after a restart.
/// </summary>
internal sealed record DeploymentRecord(string DeploymentId, DateTimeOffset CreatedOn, DeploymentReport Report, bool Canceled = false, bool Local = false);

/// <summary>The deployment history: queued, in progress, finished; kept on disk so the CLI still lists it after a restart.</summary>
internal sealed partial class NucleusRuntime
{
    private const int HistoryKept = 50;
    private readonly List<DeploymentRecord> _history = [];
    private readonly Lock _historyGate = new();
    private DevicePlan? _activeDeployment;

    private string HistoryPath => Path.Combine(_paths.StateDirectory, "deployments.json");

    /// <summary>Deployments from the oldest to the newest (the last <c>50</c>).</summary>
    public IReadOnlyList<DeploymentRecord> Deployments()
    {
        lock (_historyGate)
        {
            return [.. _history];
        }
    }

    private void RecordQueued(DevicePlan plan) =>
        Upsert(plan, new DeploymentReport { DeploymentId = plan.DeploymentId, Revision = plan.Revision, Status = DeploymentStatus.InProgress });

    private static DeploymentReport InProgress(DevicePlan plan) =>
        new() { DeploymentId = plan.DeploymentId, Revision = plan.Revision, Status = DeploymentStatus.InProgress };

    private async Task SetDeploymentAsync(DevicePlan plan, DeploymentReport report, CancellationToken ct)
    {
        Upsert(plan, report);
        await PostAsync(() =>
        {
            PublishReport();
            return true;
        });
        await SaveHistoryAsync(ct);
    }

    private async Task FinishAsync(DevicePlan plan, OutcomeDecision decision, CancellationToken ct)
    {
        var report = new DeploymentReport
        {
            DeploymentId = plan.DeploymentId,
            Revision = plan.Revision,
            Status = decision.Status,
            DetailedStatus = decision.DetailedStatus,
            ErrorStack = decision.ErrorStack,
            ErrorTypes = decision.ErrorTypes,
            FailureCause = decision.FailureCause,
        };
        if (decision.Status == DeploymentStatus.Succeeded)
        {
            _appliedRevision = plan.Revision;
        }
        else if (decision.Status == DeploymentStatus.FailedRollbackComplete)
        {
            _appliedRevision = AppliedPlan?.Revision;
        }

        var cause = decision.FailureCause is { } text ? $": {text}" : "";
        RuntimeLog.DeploymentEnded(_logger, plan.DeploymentId, decision.DetailedStatus ?? "IN_PROGRESS", cause);
        await SetDeploymentAsync(plan, report, ct);
    }

    private void Upsert(DevicePlan plan, DeploymentReport report)
    {
        lock (_historyGate)
        {
            var index = _history.FindIndex(d => d.DeploymentId == plan.DeploymentId && d.Report.Revision == plan.Revision);
            if (index >= 0)
            {
                _history[index] = _history[index] with { Report = report };
                return;
            }

            _history.Add(new DeploymentRecord(plan.DeploymentId, _time.GetUtcNow(), report, Local: _localDeployments.ContainsKey(plan.DeploymentId)));
            if (_history.Count > HistoryKept)
            {
                _history.RemoveAt(0);
            }
        }
    }

    /// <summary>The deployment being applied, else the last one applied; queued ones wait their turn.</summary>
    private DeploymentReport? LastDeployment()
    {
        lock (_historyGate)
        {
            var active = Volatile.Read(ref _activeDeployment);
            return _history.LastOrDefault(d => d.DeploymentId == active?.DeploymentId && d.Report.Revision == active.Revision)?.Report
                ?? (_history.Count > 0 ? _history[^1].Report : null);
        }
    }

    private Task SaveHistoryAsync(CancellationToken ct) => JsonStateFile.WriteAsync(HistoryPath, Deployments(), ct);

    private async Task LoadDeploymentHistoryAsync(CancellationToken ct)
    {
        try
        {
            if (await JsonStateFile.ReadAsync<List<DeploymentRecord>>(HistoryPath, _logger, ct) is { } saved)
            {
                lock (_historyGate)
                {
                    _history.AddRange(saved);
                }
            }
        }
        catch (JsonException)
        {
            // An unreadable history only costs the CLI its list; the plan and component state live elsewhere.
        }
    }
}
