using System.Globalization;
using System.Text.Json.Nodes;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Runtime;
using Microsoft.Extensions.Logging;
using Greengrass.Nucleus.Threading;

namespace Greengrass.Nucleus.Kubernetes;

/// <summary>Where the reporter writes: the device's CoreDevice and nucleus pod.</summary>
internal sealed record ReportTarget(string CoreDevice, string Pod, string NucleusVersion);

/// <summary>
/// Writes the runtime's report into the cluster: the components, applied revision, nucleus version
/// and heartbeat of <c>CoreDevice.status</c>, and the pod's <c>greengrass.edge.dev/components-ready</c>
/// condition (True only when every component is RUNNING or FINISHED; the message names the others).
/// Changes are coalesced; a heartbeat is written every <see cref="Heartbeat"/> even when nothing
/// changed; a failed write is retried, and the newest report wins, so status catches up after an outage.
/// </summary>
internal sealed partial class StatusReporter(ClusterConnection cluster, ReportTarget target, IDeviceRuntime runtime, ILogger logger, TimeProvider time)
{
    public const string ReadinessGate = "greengrass.edge.dev/components-ready";

    /// <summary>Condition reason while a deployment restarts the nucleus (the deployment is IN_PROGRESS with a stage).</summary>
    public const string NucleusRestarting = "NucleusRestarting";
    private readonly SemaphoreSlim _changed = new(0, 1);
    private string? _conditionStatus;
    private string? _transitionTime;

    /// <summary>Longest time between two status writes. Default 30 s (the operator's heartbeat timeout is 90 s).</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Number of successful status writes (for tests).</summary>
    public int Writes { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        runtime.ReportChanged += Signal;
        try
        {
            var failures = 0;
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await WriteAsync(runtime.Report(), cancellationToken);
                    Writes++;
                    failures = 0;
                    await WaitForChangeAsync(Heartbeat, cancellationToken);
                    await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken); // coalesce bursts of transitions
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
                {
                    failures++;
                    var delay = TimeSpan.FromMilliseconds(Math.Min(30_000, 250 * Math.Pow(2, Math.Min(failures, 7))));
                    LogWriteFailed(logger, ex.Message, delay.TotalSeconds);
                    await WaitForChangeAsync(delay, cancellationToken);
                }
            }
        }
        finally
        {
            runtime.ReportChanged -= Signal;
        }
    }

    /// <summary>One last write of the current report (before the nucleus exits to be restarted); a failure is only logged.</summary>
    public async Task FlushAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await WriteAsync(runtime.Report(), limit.Token);
            Writes++;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            LogWriteFailed(logger, ex.Message, 0);
        }
    }

    private void Signal()
    {
        try
        {
            _changed.Release();
        }
        catch (SemaphoreFullException)
        {
            // a write is already pending
        }
    }

    private async Task WaitForChangeAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _changed.WaitAsync(timeout, cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task WriteAsync(DeviceReport report, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var status = new JsonObject
        {
            ["components"] = new JsonArray([.. report.Components.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["version"] = c.Version,
                ["state"] = StateName(c.State),
                ["message"] = c.Message,
                ["restartCount"] = c.RestartCount,
                ["lastTransitionTime"] = c.LastTransitionTime.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            })]),
            ["appliedRevision"] = report.AppliedRevision,
            ["nucleusVersion"] = string.IsNullOrEmpty(report.NucleusVersion) ? target.NucleusVersion : report.NucleusVersion,
            ["lastStatusUpdate"] = now,
        };
        if (report.Deployment is { } deployment)
        {
            status["lastDeployment"] = new JsonObject
            {
                ["revision"] = deployment.Revision,
                ["status"] = WireName(deployment.Status.ToString()),
                ["detailedStatus"] = deployment.DetailedStatus,
                ["failureCause"] = deployment.FailureCause,
            };
        }

        await PatchAsync($"apis/greengrass.edge.dev/v1alpha1/namespaces/{cluster.Namespace}/coredevices/{target.CoreDevice}/status",
            new JsonObject { ["status"] = status }, "application/merge-patch+json", cancellationToken);
        await PatchAsync($"api/v1/namespaces/{cluster.Namespace}/pods/{target.Pod}/status",
            new JsonObject { ["status"] = new JsonObject { ["conditions"] = new JsonArray(Condition(report, now)) } },
            "application/strategic-merge-patch+json", cancellationToken);
    }

    private JsonObject Condition(DeviceReport report, string now)
    {
        var waiting = report.Components.Where(c => c.State is not (ComponentState.Running or ComponentState.Finished)).ToList();
        var restarting = report.Deployment is { Status: DeploymentStatus.InProgress, DetailedStatus: { } stage } ? stage : null;
        var ready = waiting.Count == 0 && report.AppliedRevision is not null && restarting is null;
        var status = ready ? "True" : "False";
        if (status != _conditionStatus)
        {
            _conditionStatus = status;
            _transitionTime = now;
        }

        return new JsonObject
        {
            ["type"] = ReadinessGate,
            ["status"] = status,
            ["reason"] = ready ? "ComponentsReady" : restarting is not null ? NucleusRestarting : report.AppliedRevision is null ? "NoPlanApplied" : "ComponentsNotReady",
            ["message"] = ready
                ? $"{report.Components.Count} components running or finished"
                : restarting is not null
                    ? $"the nucleus restarts to apply plan revision {report.Deployment!.Revision} (stage {restarting})"
                    : string.Join(", ", waiting.Select(c => $"{c.Name} is {StateName(c.State)}")),
            ["lastTransitionTime"] = _transitionTime,
        };
    }

    private async Task PatchAsync(string path, JsonObject body, string contentType, CancellationToken cancellationToken)
    {
        using var request = cluster.Request(HttpMethod.Patch, path, body.ToJsonString(), contentType);
        using var response = await cluster.Http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"PATCH {path}: {(int)response.StatusCode} {text}", null, response.StatusCode);
        }

        await ThreadPoolHop.Ensure(); // the next report takes the runtime's locks and reads the token file
    }

    private static string StateName(ComponentState state) => state.ToString().ToUpperInvariant();

    // FailedRollbackComplete → FAILED_ROLLBACK_COMPLETE, the Greengrass spelling.
    private static string WireName(string pascal) =>
        string.Concat(pascal.Select((c, i) => i > 0 && char.IsUpper(c) ? $"_{c}" : c.ToString())).ToUpperInvariant();

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "Could not write the device status ({Reason}); retrying in {Seconds:F1} s")]
    private static partial void LogWriteFailed(ILogger logger, string reason, double seconds);
}
