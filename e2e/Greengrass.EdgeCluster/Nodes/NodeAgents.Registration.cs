using System.Text.Json.Nodes;
using Greengrass.EdgeCluster.Store;

namespace Greengrass.EdgeCluster.Nodes;

internal sealed partial class NodeAgents
{
    /// <summary>Creates (or refreshes) every configured Node with its labels, taints, capacity and a Ready condition.</summary>
    private void RegisterNodes()
    {
        var nodes = store.Registry.Find("", "v1", "nodes")!;
        foreach (var spec in options.Nodes)
        {
            var labels = new JsonObject
            {
                ["kubernetes.io/hostname"] = spec.Name,
                ["kubernetes.io/os"] = "linux",
                ["kubernetes.io/arch"] = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.X64 ? "amd64" : "arm64",
            };
            foreach (var (k, v) in spec.Labels)
            {
                labels[k] = v;
            }
            var body = new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = spec.Name, ["labels"] = labels },
                ["spec"] = new JsonObject { ["taints"] = new JsonArray([.. spec.Taints.Select(ParseTaint)]) },
            };
            if (store.Get(nodes, null, spec.Name) is null)
            {
                store.Create(nodes, null, body, new WriteContext());
            }
            else
            {
                store.Mutate(nodes, null, spec.Name, current =>
                {
                    current["metadata"]!["labels"] = labels.DeepClone();
                    current["spec"] = body["spec"]!.DeepClone();
                    return current;
                }, false, new WriteContext());
            }
            store.Mutate(nodes, null, spec.Name, n =>
            {
                n["status"] = NodeStatus(n["status"] as JsonObject);
                return n;
            }, true, new WriteContext());
        }
        Heartbeat();
    }

    private int _nextBeat;

    /// <summary>
    /// Renews the share of Leases that fell due since <paramref name="last"/>, so that every node renews
    /// once per heartbeat interval while the writes are spread evenly instead of arriving as one burst.
    /// </summary>
    private DateTimeOffset HeartbeatDue(DateTimeOffset last)
    {
        var now = time.GetUtcNow();
        var due = (int)(options.Nodes.Count * ((now - last) / options.NodeHeartbeat));
        if (due == 0)
        {
            return last;
        }
        var batch = Enumerable.Range(0, Math.Min(due, options.Nodes.Count)).Select(i => options.Nodes[(_nextBeat + i) % options.Nodes.Count]).ToList();
        _nextBeat = (_nextBeat + batch.Count) % options.Nodes.Count;
        Heartbeat(batch);
        return now;
    }

    /// <summary>Renews node Leases in kube-node-lease, the way kubelets report they are alive.</summary>
    private void Heartbeat(IEnumerable<Hosting.NodeSpec>? nodes = null)
    {
        var leases = store.Registry.Find("coordination.k8s.io", "v1", "leases")!;
        var now = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var spec in nodes ?? options.Nodes)
        {
            try
            {
                if (store.Get(leases, "kube-node-lease", spec.Name) is null)
                {
                    store.Create(leases, "kube-node-lease", new JsonObject
                    {
                        ["metadata"] = new JsonObject { ["name"] = spec.Name },
                        ["spec"] = new JsonObject { ["holderIdentity"] = spec.Name, ["leaseDurationSeconds"] = 40, ["renewTime"] = now },
                    }, new WriteContext());
                }
                else
                {
                    store.Mutate(leases, "kube-node-lease", spec.Name, l =>
                    {
                        l["spec"]!["renewTime"] = now;
                        return l;
                    }, false, new WriteContext());
                }
            }
            catch (ApiException e) when (e.Code is 404 or 409)
            {
                LogRetry(_logger, spec.Name, e.Message);
            }
        }
    }

    private JsonObject NodeStatus(JsonObject? previous)
    {
        var status = previous?.DeepClone().AsObject() ?? new JsonObject();
        var now = time.GetUtcNow();
        PodConditions.Upsert(status, "Ready", true, "KubeletReady", "kubelet is posting ready status", now);
        foreach (var c in status["conditions"]!.AsArray())
        {
            c!["lastHeartbeatTime"] = Meta.Timestamp(now);
        }
        var capacity = new JsonObject { ["cpu"] = "4", ["memory"] = "8Gi", ["pods"] = "110", ["ephemeral-storage"] = "50Gi" };
        status["capacity"] = capacity;
        status["allocatable"] = capacity.DeepClone();
        status["addresses"] = new JsonArray(new JsonObject { ["type"] = "InternalIP", ["address"] = "127.0.0.1" });
        status["nodeInfo"] = new JsonObject
        {
            ["kubeletVersion"] = "v1.32.0-edgecluster",
            ["operatingSystem"] = "linux",
            ["architecture"] = "amd64",
            ["containerRuntimeVersion"] = options.Kubelet == Hosting.KubeletMode.Process ? "process://local" : "simulated://",
        };
        return status;
    }

    private static JsonNode ParseTaint(string text)
    {
        // key=value:Effect or key:Effect
        var colon = text.LastIndexOf(':');
        var effect = colon >= 0 ? text[(colon + 1)..] : "NoSchedule";
        var kv = colon >= 0 ? text[..colon] : text;
        var eq = kv.IndexOf('=');
        var taint = new JsonObject { ["key"] = eq >= 0 ? kv[..eq] : kv, ["effect"] = effect };
        if (eq >= 0)
        {
            taint["value"] = kv[(eq + 1)..];
        }
        return taint;
    }
}
