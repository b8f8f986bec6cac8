using System.Text.Json.Nodes;
using Greengrass.EdgeCluster.Resources;
using Greengrass.EdgeCluster.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Greengrass.EdgeCluster.Nodes;

/// <summary>
/// Binds pending pods to nodes: nodeName, nodeSelector, required node affinity and taints/tolerations;
/// among the nodes that fit, the one with the fewest pods wins.
/// </summary>
internal sealed partial class Scheduler(ResourceStore store, TimeProvider time, ILogger<Scheduler> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, 1);
    private SchedulerState? _state;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        store.Committed += Wake;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await _wake.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
                try
                {
                    await SchedulePendingAsync();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogPassFailed(logger, e); // keep the cluster up; the next pass tries again
                }
                // Batch: under a burst of creates, one pass per interval binds everything pending.
                await Task.Delay(TimeSpan.FromMilliseconds(50), time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
        finally
        {
            store.Committed -= Wake;
        }
    }

    private void Wake(string storageKey)
    {
        if (storageKey is "/pods" or "/nodes" && _wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // already signalled
            }
        }
    }

    internal async Task SchedulePendingAsync()
    {
        _state ??= new SchedulerState(store);
        var state = _state;
        try
        {
            state.Refresh();
        }
        catch
        {
            _state = null; // half-applied changes: start over from a fresh snapshot next pass
            throw;
        }
        if (state.Pending.Count == 0)
        {
            return;
        }
        var podType = store.Registry.Find("", "v1", "pods")!;
        var slice = new TimeSlice();
        foreach (var key in state.Pending.ToList())
        {
            await slice.YieldIfUsedUpAsync();
            var stored = state.Pods.Items[key];
            var pod = stored.Parse(); // once per pass that finds it pending: usually once
            // Least-loaded first: the first node that fits is the choice, so a typical pod costs one check.
            var fit = state.ByLoad.FirstOrDefault(c => Fits(pod, state.Nodes[c.Name]));
            try
            {
                if (fit.Name is null)
                {
                    MarkUnschedulable(podType, pod, state.Nodes.Count);
                    continue;
                }
                Bind(podType, stored.Namespace, stored.Name, fit.Name);
                state.Bound(key, fit.Name);
            }
            catch (ApiException e) when (e.Code is 404 or 409)
            {
                LogRetry(logger, Meta.Name(pod), e.Message);
            }
        }
    }

    internal static bool IsSchedulable(JsonObject node) =>
        node["spec"]?["unschedulable"]?.GetValue<bool>() != true &&
        (node["status"]?["conditions"]?.AsArray() ?? []).Any(c => Meta.Str(c?["type"]) == "Ready" && Meta.Str(c?["status"]) == "True");

    /// <summary>Pure placement predicate: selector, required affinity, taints.</summary>
    internal static bool Fits(JsonObject pod, NodeView node)
    {
        var labels = node.Labels;
        var spec = pod["spec"] as JsonObject;
        if (spec?["nodeSelector"] is JsonObject selector && selector.Any(p => !labels.TryGetValue(p.Key, out var v) || v != Meta.Str(p.Value)))
        {
            return false;
        }
        var terms = spec?["affinity"]?["nodeAffinity"]?["requiredDuringSchedulingIgnoredDuringExecution"]?["nodeSelectorTerms"] as JsonArray;
        if (terms is { Count: > 0 } && !terms.Any(t => TermMatches(t, labels, node.Name)))
        {
            return false;
        }
        var tolerations = spec?["tolerations"]?.AsArray() ?? [];
        foreach (var taint in node.Taints)
        {
            if (taint.Effect is "NoSchedule" or "NoExecute" && !tolerations.Any(t => Tolerates(t, taint)))
            {
                return false;
            }
        }
        return true;
    }

    private static bool TermMatches(JsonNode? term, IReadOnlyDictionary<string, string> labels, string nodeName)
    {
        foreach (var e in term?["matchExpressions"]?.AsArray() ?? [])
        {
            if (!ExpressionMatches(e, labels.TryGetValue(Meta.Str(e?["key"]) ?? "", out var v) ? v : null))
            {
                return false;
            }
        }
        foreach (var f in term?["matchFields"]?.AsArray() ?? [])
        {
            if (Meta.Str(f?["key"]) == "metadata.name" && !ExpressionMatches(f, nodeName))
            {
                return false;
            }
        }
        return true;
    }

    private static bool ExpressionMatches(JsonNode? e, string? value)
    {
        var values = (e?["values"]?.AsArray() ?? []).Select(Meta.Str).ToList();
        return Meta.Str(e?["operator"]) switch
        {
            "In" => value is not null && values.Contains(value),
            "NotIn" => value is null || !values.Contains(value),
            "Exists" => value is not null,
            "DoesNotExist" => value is null,
            "Gt" => long.TryParse(value, out var a) && long.TryParse(values.FirstOrDefault(), out var b) && a > b,
            "Lt" => long.TryParse(value, out var c) && long.TryParse(values.FirstOrDefault(), out var d) && c < d,
            _ => false,
        };
    }

    private static bool Tolerates(JsonNode? toleration, Taint taint)
    {
        var effect = Meta.Str(toleration?["effect"]);
        if (!string.IsNullOrEmpty(effect) && effect != taint.Effect)
        {
            return false;
        }
        var key = Meta.Str(toleration?["key"]);
        if (string.IsNullOrEmpty(key))
        {
            return Meta.Str(toleration?["operator"]) == "Exists";
        }
        return key == taint.Key && (Meta.Str(toleration?["operator"]) == "Exists" || (Meta.Str(toleration?["value"]) ?? "") == (taint.Value ?? ""));
    }

    private void Bind(ResourceType podType, string? ns, string name, string nodeName)
    {
        store.Mutate(podType, ns, name, p =>
        {
            if (p["spec"]?["nodeName"] is not null)
            {
                return p; // bound meanwhile
            }
            p["spec"]!["nodeName"] = nodeName;
            return p;
        }, false, new WriteContext());
        // PodScheduled=True is reported by the node agent with the rest of the status: one write fewer per pod.
        LogBound(logger, ns, name, nodeName);
    }

    private void MarkUnschedulable(ResourceType podType, JsonObject pod, int nodeCount) =>
        PodConditions.Set(store, podType, Meta.Namespace(pod), Meta.Name(pod), "PodScheduled", false, "Unschedulable",
            $"0/{nodeCount} nodes are available: no node matches the pod's node selector, affinity and tolerations.", time.GetUtcNow());

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Bound pod {Namespace}/{Pod} to {Node}")]
    private static partial void LogBound(ILogger logger, string? @namespace, string pod, string node);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Scheduling pass failed")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "Scheduling {Pod} will be retried: {Reason}")]
    private static partial void LogRetry(ILogger logger, string pod, string reason);
}
