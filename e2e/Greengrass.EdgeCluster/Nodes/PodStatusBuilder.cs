using System.Text.Json.Nodes;
using Greengrass.EdgeCluster.Store;

namespace Greengrass.EdgeCluster.Nodes;

/// <summary>Writes phase, container statuses and the kubelet-owned conditions into a pod, keeping foreign conditions.</summary>
internal static class PodStatusBuilder
{
    public static void Apply(JsonObject pod, JsonNode[] containerStatuses, string phase, DateTimeOffset now)
    {
        var status = pod["status"] as JsonObject ?? new JsonObject();
        pod["status"] = status;
        status["phase"] = phase;
        status["hostIP"] = "127.0.0.1";
        status["podIP"] = "127.0.0.1";
        status["startTime"] ??= Meta.Timestamp(now);
        status["containerStatuses"] = new JsonArray(containerStatuses);
        var containersReady = containerStatuses.Length > 0 && containerStatuses.All(s => s["ready"]?.GetValue<bool>() == true);
        PodConditions.Upsert(status, "PodScheduled", true, null, null, now);
        PodConditions.Upsert(status, "Initialized", true, null, null, now);
        PodConditions.Upsert(status, "ContainersReady", containersReady, containersReady ? null : "ContainersNotReady", null, now);
        var gates = (pod["spec"]?["readinessGates"]?.AsArray() ?? []).Select(g => Meta.Str(g?["conditionType"]) ?? "").ToList();
        var gatesOpen = gates.All(g => PodConditions.IsTrue(pod, g));
        var ready = containersReady && gatesOpen;
        var reason = ready ? null : !containersReady ? "ContainersNotReady" : "ReadinessGatesNotReady";
        PodConditions.Upsert(status, "Ready", ready, reason, null, now);
    }
}
