using System.Text.Json;
using System.Text.Json.Nodes;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Runtime;
using Microsoft.Extensions.Logging;
using Greengrass.Nucleus.Threading;

namespace Greengrass.Nucleus.Kubernetes;

/// <summary>
/// Follows the device's plan ConfigMap (its only readable ConfigMap) and hands each new revision to
/// the runtime. When the API is unreachable the runtime simply keeps running the last applied plan;
/// the watcher retries with back-off and catches up when the API returns.
/// </summary>
internal sealed partial class PlanWatcher(
    ClusterConnection cluster, string configMapName, IDeviceRuntime runtime, ILogger logger, TimeProvider time, MqttSectionApplier? mqtt = null)
{
    private long _submitted = -1;

    /// <summary>Revisions handed to the runtime so far (for tests and logs).</summary>
    public long LastSubmittedRevision => Interlocked.Read(ref _submitted);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _submitted = runtime.AppliedPlan?.Revision ?? -1;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await ThreadPoolHop.Ensure(); // after a watch ends on a socket thread: the request reads the token file
                var resourceVersion = await ReadAsync(cancellationToken);
                failures = 0;
                await WatchAsync(resourceVersion, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or JsonException or InvalidOperationException or TaskCanceledException)
            {
                failures++;
                var delay = TimeSpan.FromMilliseconds(Math.Min(30_000, 250 * Math.Pow(2, Math.Min(failures, 7))));
                LogUnreachable(logger, ex.Message, delay.TotalSeconds);
                try
                {
                    await Task.Delay(delay, time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private string Path => $"api/v1/namespaces/{Uri.EscapeDataString(cluster.Namespace)}/configmaps";

    private async Task<string> ReadAsync(CancellationToken cancellationToken)
    {
        using var request = cluster.Request(HttpMethod.Get, $"{Path}/{Uri.EscapeDataString(configMapName)}");
        using var response = await cluster.Http.SendAsync(request, cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return "0"; // no plan yet: watch for its creation
        }

        response.EnsureSuccessStatusCode();
        var configMap = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
        await OfferAsync(configMap, cancellationToken);
        return configMap["metadata"]?["resourceVersion"]?.GetValue<string>() ?? "0";
    }

    private async Task WatchAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        var query = $"?watch=true&allowWatchBookmarks=true&timeoutSeconds=300&fieldSelector=metadata.name%3D{Uri.EscapeDataString(configMapName)}"
            + (resourceVersion == "0" ? string.Empty : $"&resourceVersion={resourceVersion}");
        using var request = cluster.Request(HttpMethod.Get, Path + query);
        using var response = await cluster.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var watchEvent = JsonNode.Parse(line)!;
            switch (watchEvent["type"]?.GetValue<string>())
            {
                case "ADDED" or "MODIFIED":
                    await OfferAsync(watchEvent["object"]!, cancellationToken);
                    break;
                case "ERROR":
                    return; // too old or similar: the outer loop re-reads and watches again
                default:
                    break;
            }
        }
    }

    private async Task OfferAsync(JsonNode configMap, CancellationToken cancellationToken)
    {
        await ThreadPoolHop.Ensure(); // applying a plan writes files and starts processes: never on a socket thread
        if (configMap["data"]?["plan.json"]?.GetValue<string>() is not { } json)
        {
            return;
        }

        DevicePlan plan;
        try
        {
            plan = ContractJson.DeserializePlan(json);
        }
        catch (ContractFormatException ex)
        {
            LogBadPlan(logger, ex.Message);
            return;
        }

        if (mqtt is not null)
        {
            // Before the revision check: a section that failed to start is retried on every offer of the plan.
            await mqtt.ApplyAsync(plan.Mqtt, cancellationToken);
        }

        if (plan.Revision <= LastSubmittedRevision)
        {
            return;
        }

        LogNewPlan(logger, plan.Revision, plan.Components.Count);
        await runtime.ApplyAsync(plan, cancellationToken);
        Interlocked.Exchange(ref _submitted, plan.Revision);
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Applying plan revision {Revision} ({Count} components)")]
    private static partial void LogNewPlan(ILogger logger, long revision, int count);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Kubernetes API unreachable ({Reason}); running the last applied plan, retrying in {Seconds:F1} s")]
    private static partial void LogUnreachable(ILogger logger, string reason, double seconds);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Error, Message = "The plan ConfigMap holds an unreadable plan: {Reason}")]
    private static partial void LogBadPlan(ILogger logger, string reason);
}
