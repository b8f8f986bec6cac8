namespace Greengrass.EdgeCluster.Hosting;

/// <summary>How simulated nodes run pods.</summary>
public enum KubeletMode
{
    /// <summary>No node agents: pods stay Pending unless something else binds and runs them.</summary>
    None,

    /// <summary>Pods go Running without processes (scale runs).</summary>
    Simulated,

    /// <summary>Each container runs as a local process, its image mapped to a command.</summary>
    Process,
}

/// <summary>One simulated edge node.</summary>
public sealed class NodeSpec
{
    /// <summary>Node name, e.g. <c>edge-node-1</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Labels set on the Node object (besides kubernetes.io/hostname).</summary>
    public Dictionary<string, string> Labels { get; init; } = [];

    /// <summary>Taints as <c>key=value:Effect</c> or <c>key:Effect</c>.</summary>
    public List<string> Taints { get; init; } = [];
}

/// <summary>Options of an embedded edge cluster.</summary>
public sealed class EdgeClusterOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 picks a free one. Default 0.</summary>
    public int Port { get; set; }

    /// <summary>Serve plain HTTP instead of HTTPS with a self-signed CA. Default false.</summary>
    public bool Http { get; set; }

    /// <summary>Where the kubeconfig is written (the CA certificate goes next to it as ca.crt); null writes none.</summary>
    public string? KubeconfigPath { get; set; }

    /// <summary>Directory for the persisted state (snapshot and change log); null keeps everything in memory.</summary>
    public string? StateDir { get; set; }

    /// <summary>Events retained for watch resumption; older versions get 410 Gone. Default 10,000.</summary>
    public int WatchWindow { get; set; } = 10_000;

    /// <summary>Enforce RBAC for service-account tokens (the admin token is always allowed). Default false.</summary>
    public bool Rbac { get; set; }

    /// <summary>Static admin bearer token; null generates a random one.</summary>
    public string? AdminToken { get; set; }

    /// <summary>The simulated nodes.</summary>
    public List<NodeSpec> Nodes { get; set; } = [];

    /// <summary>How node agents run pods. Default Process.</summary>
    public KubeletMode Kubelet { get; set; } = KubeletMode.Process;

    /// <summary>Image to command map for the process kubelet, e.g. <c>"busybox": ["/bin/sh"]</c>.</summary>
    public Dictionary<string, string[]> ImageMap { get; set; } = [];

    /// <summary>Root of per-node working directories (volumes, logs); null uses a temporary directory.</summary>
    public string? WorkDir { get; set; }

    /// <summary>Interval between watch bookmarks. Default 5 s (the API server uses about a minute).</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Interval between node heartbeats (Lease renewals and Ready condition). Default 10 s.</summary>
    public TimeSpan NodeHeartbeat { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First restart back-off of a crashed container, doubled per restart. Default 10 s, as the kubelet.</summary>
    public TimeSpan RestartBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest restart back-off. Default 5 min, as the kubelet.</summary>
    public TimeSpan RestartBackoffMax { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Creates <paramref name="count"/> nodes named <c>edge-node-1</c>…</summary>
    public EdgeClusterOptions WithNodes(int count)
    {
        Nodes = [.. Enumerable.Range(1, count).Select(i => new NodeSpec { Name = $"edge-node-{i}" })];
        return this;
    }
}
