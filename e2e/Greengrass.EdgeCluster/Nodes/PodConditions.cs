using System.Text.Json.Nodes;
using Greengrass.EdgeCluster.Resources;
using Greengrass.EdgeCluster.Store;

namespace Greengrass.EdgeCluster.Nodes;

/// <summary>Pod condition updates through the status subresource; lastTransitionTime moves only on a flip.</summary>
internal static class PodConditions
{
    public static void Set(ResourceStore store, ResourceType podType, string? ns, string name, string type, bool value, string? reason, string? message, DateTimeOffset now) =>
        store.Mutate(podType, ns, name, pod =>
        {
            var status = pod["status"] as JsonObject ?? new JsonObject();
            pod["status"] = status;
            Upsert(status, type, value, reason, message, now);
            return pod;
        }, true, new WriteContext());

    /// <summary>Sets one condition in a status object; returns true when something changed.</summary>
    public static bool Upsert(JsonObject status, string type, bool value, string? reason, string? message, DateTimeOffset now)
    {
        var conditions = status["conditions"] as JsonArray ?? [];
        status["conditions"] = conditions;
        var text = value ? "True" : "False";
        var existing = conditions.FirstOrDefault(c => Meta.Str(c?["type"]) == type) as JsonObject;
        if (existing is not null && Meta.Str(existing["status"]) == text && Meta.Str(existing["reason"]) == reason)
        {
            return false;
        }
        var condition = new JsonObject
        {
            ["type"] = type,
            ["status"] = text,
            ["lastProbeTime"] = null,
            ["lastTransitionTime"] = existing is not null && Meta.Str(existing["status"]) == text ? existing["lastTransitionTime"]?.DeepClone() : Meta.Timestamp(now),
        };
        if (reason is not null)
        {
            condition["reason"] = reason;
        }
        if (message is not null)
        {
            condition["message"] = message;
        }
        if (existing is not null)
        {
            conditions[conditions.IndexOf(existing)] = condition;
        }
        else
        {
            conditions.Add(condition);
        }
        return true;
    }

    public static bool IsTrue(JsonObject pod, string type) =>
        (pod["status"]?["conditions"]?.AsArray() ?? []).Any(c => Meta.Str(c?["type"]) == type && Meta.Str(c?["status"]) == "True");
}
