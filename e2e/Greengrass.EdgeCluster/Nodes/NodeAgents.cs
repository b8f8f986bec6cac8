using System.Text.Json.Nodes;
using Greengrass.EdgeCluster.Hosting;
using Greengrass.EdgeCluster.Http;
using Greengrass.EdgeCluster.Resources;
using Greengrass.EdgeCluster.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Greengrass.EdgeCluster.Nodes;

/// <summary>
/// The kubelets of every simulated node: registers Node objects, renews their Leases, and runs
/// the pods bound to them (as processes, or only on paper in simulated mode).
/// </summary>
internal sealed partial class NodeAgents(ResourceStore store, EdgeClusterOptions options, TimeProvider time, string workDir,
    TokenAuthority tokens, NodeLogs logs, ClusterEndpoint endpoint, ILoggerFactory loggers) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Dictionary<string, (PodRunner Runner, Task Task, string Key)> _runners = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _uidByKey = new(StringComparer.Ordinal);
    private readonly HashSet<string> _retry = new(StringComparer.Ordinal);
    private BucketMirror? _podMirror;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _finished = new();
    private readonly ILogger _logger = loggers.CreateLogger<NodeAgents>();
    private ResourceType Pods => store.Registry.Find("", "v1", "pods")!;
    private BucketMirror PodMirror => _podMirror ??= new BucketMirror(store, "/pods");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var (baseUrl, caPem) = await endpoint.Ready.WaitAsync(stoppingToken);
        var names = options.Nodes.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        RegisterNodes();
        store.Committed += Wake;
        var lastBeat = time.GetUtcNow();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await _wake.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
                try
                {
                    await SyncAsync(names, baseUrl, caPem, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogPassFailed(_logger, e); // keep the cluster up; the next pass tries again
                }
                await Task.Delay(TimeSpan.FromMilliseconds(20), time, stoppingToken);
                lastBeat = HeartbeatDue(lastBeat);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down: the runners were cancelled with the same token
        }
        finally
        {
            store.Committed -= Wake;
            await Task.WhenAll(_runners.Values.Select(r => r.Task));
        }
    }

    private void Wake(string storageKey)
    {
        if (storageKey is "/pods" or "/configmaps" or "/secrets" && _wake.CurrentCount == 0)
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

    /// <summary>
    /// One pass over the pods that changed since the last one (plus those handed back for another look):
    /// level-triggered per pod, edge-triggered only in which pods it looks at, as a kubelet's informer is.
    /// </summary>
    private async Task SyncAsync(HashSet<string> nodes, string baseUrl, string? caPem, CancellationToken stop)
    {
        var visit = new HashSet<string>(PodMirror.Refresh(), StringComparer.Ordinal);
        while (_finished.TryDequeue(out var done))
        {
            // A runner that stopped hands its pod back: the next look deletes it or leaves it in its final phase.
            if (_runners.Remove(done, out var finished))
            {
                visit.Add(finished.Key);
            }
            _seen.Remove(done);
        }
        visit.UnionWith(_retry);
        _retry.Clear();
        var slice = new TimeSlice();
        foreach (var key in visit)
        {
            await slice.YieldIfUsedUpAsync();
            try
            {
                Visit(key, nodes, baseUrl, caPem, stop);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The mirror has moved past this change: log it and go on with the other pods of the pass.
                LogPassFailed(_logger, e);
            }
        }
    }

    private void Visit(string key, HashSet<string> nodes, string baseUrl, string? caPem, CancellationToken stop)
    {
        var stored = PodMirror.Items.GetValueOrDefault(key);
        var node = stored?.Field("spec.nodeName");
        var uid = node is not null && nodes.Contains(node) ? stored!.Uid : null;
        if (_uidByKey.TryGetValue(key, out var known) && known != uid)
        {
            Forget(key, known); // deleted (or replaced) behind our back
        }
        if (uid is not null)
        {
            _uidByKey[key] = uid;
            SyncIfChanged(stored!, key, uid, node!, baseUrl, caPem, stop);
        }
    }

    private void SyncIfChanged(StoredObject pod, string key, string uid, string node, string baseUrl, string? caPem, CancellationToken stop)
    {
        if (_seen.TryGetValue(uid, out var rv) && rv == pod.ResourceVersion)
        {
            return;
        }
        _seen[uid] = pod.ResourceVersion;
        try
        {
            SyncPod(pod, key, uid, node, baseUrl, caPem, stop);
        }
        catch (ApiException e) when (e.Code is 404 or 409)
        {
            _seen.Remove(uid); // look again next pass
            _retry.Add(key);
            LogRetry(_logger, pod.Name, e.Message);
        }
    }

    private void Forget(string key, string uid)
    {
        _uidByKey.Remove(key);
        _seen.Remove(uid);
        if (_runners.Remove(uid, out var gone))
        {
            gone.Runner.Terminate(0); // stop its processes at once
        }
    }

    /// <summary>Reads the pod's summary; parses it only to start, terminate or report it.</summary>
    private void SyncPod(StoredObject pod, string key, string uid, string node, string baseUrl, string? caPem, CancellationToken stop)
    {
        var phase = pod.Field("status.phase");
        if (pod.IsDeleting)
        {
            if (_runners.TryGetValue(uid, out var running))
            {
                running.Runner.Terminate(Meta.Long(pod.Parse()["metadata"]?["deletionGracePeriodSeconds"]) ?? 0);
                return;
            }
            store.Delete(Pods, pod.Namespace, pod.Name, new DeleteOptions(GracePeriodSeconds: 0, PreconditionUid: uid));
            return;
        }
        if (_runners.TryGetValue(uid, out var existing))
        {
            existing.Runner.Poke();
            return;
        }
        if (phase is "Succeeded" or "Failed")
        {
            return;
        }
        if (options.Kubelet == KubeletMode.Simulated)
        {
            SimulateRunning(pod, phase);
            return;
        }
        var env = new PodEnvironment(store, tokens, Path.Combine(workDir, node), baseUrl, caPem);
        var runner = new PodRunner(store, pod.Parse(), env, logs, options, time, _logger) { Uid = uid };
        _runners[uid] = (runner, Task.Run(() => RunGuardedAsync(runner, stop), CancellationToken.None), key);
    }

    private async Task RunGuardedAsync(PodRunner runner, CancellationToken stop)
    {
        try
        {
            await runner.RunAsync(stop);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogRunnerFailed(_logger, e, runner.Uid);
        }
        finally
        {
            _finished.Enqueue(runner.Uid);
            Wake("/pods");
        }
    }

    /// <summary>
    /// Reports a simulated pod as running. Our own status write comes back as a change, so the check whether
    /// the write would change anything is made on a private copy first: a write that would be a no-op then takes
    /// neither the store lock nor a parse of the stored pod inside it.
    /// </summary>
    private void SimulateRunning(StoredObject pod, string? phase)
    {
        // Only a pod already reported Running can be unchanged; any other goes straight to the write.
        if (phase == "Running" && pod.Parse() is var parsed && JsonNode.DeepEquals(WithRunningStatus(parsed.DeepClone().AsObject()), parsed))
        {
            return;
        }
        var written = store.Mutate(Pods, pod.Namespace, pod.Name, WithRunningStatus, true, new WriteContext(), out var baseVersion);
        if (baseVersion == pod.ResourceVersion)
        {
            // The write comes back through the mirror as a change. When nobody wrote in between, that version is the
            // one just synced plus this status: marked seen, it costs the next pass nothing. Otherwise it is looked at.
            _seen[pod.Uid!] = written.ResourceVersion;
        }
    }

    private JsonObject WithRunningStatus(JsonObject p)
    {
        var now = time.GetUtcNow();
        var statuses = (p["spec"]?["containers"]?.AsArray() ?? []).Select(c => (JsonNode)new JsonObject
        {
            ["name"] = c?["name"]?.DeepClone(),
            ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = Meta.Timestamp(Meta.ParseTimestamp(p["status"]?["startTime"]) ?? now) } },
            ["lastState"] = new JsonObject(),
            ["ready"] = true,
            ["started"] = true,
            ["restartCount"] = 0,
            ["image"] = c?["image"]?.DeepClone(),
            ["imageID"] = "",
        }).ToArray();
        PodStatusBuilder.Apply(p, statuses, "Running", now);
        return p;
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Debug, Message = "Pod {Pod} sync will be retried: {Reason}")]
    private static partial void LogRetry(ILogger logger, string pod, string reason);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Error, Message = "Node agent pass failed")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Error, Message = "Pod runner {Uid} failed")]
    private static partial void LogRunnerFailed(ILogger logger, Exception exception, string uid);
}
