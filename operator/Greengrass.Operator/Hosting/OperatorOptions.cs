using System.Globalization;
using Greengrass.Operator.Cli;

namespace Greengrass.Operator.Hosting;

/// <summary>Options of <c>greengrass operator run</c>; each also reads an environment variable (the chart sets those).</summary>
internal sealed class OperatorOptions
{
    /// <summary>kubeconfig file; in-cluster configuration when absent.</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>Namespace to watch; all when absent.</summary>
    public string? WatchNamespace { get; init; }

    /// <summary>Port of /metrics. Default 8080; 0 picks a free port.</summary>
    public int MetricsPort { get; init; } = 8080;

    /// <summary>Port of /healthz and /readyz. Default 8081; 0 picks a free port.</summary>
    public int HealthPort { get; init; } = 8081;

    /// <summary>Concurrent reconciles per controller. Default 4.</summary>
    public int Workers { get; init; } = 4;

    /// <summary>Compete for a Lease before reconciling (needed with more than one replica). Default true.</summary>
    public bool LeaderElection { get; init; } = true;

    /// <summary>Namespace of the Lease. Default: the pod's namespace, else "default".</summary>
    public string LeaseNamespace { get; init; } = Environment.GetEnvironmentVariable("POD_NAMESPACE") ?? "default";

    /// <summary>This replica's identity. Default: the pod name, else the host name.</summary>
    public string Identity { get; init; } = Environment.GetEnvironmentVariable("POD_NAME") ?? $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>Lease timings in seconds (client-go defaults 15, 10, 2).</summary>
    public int LeaseDurationSeconds { get; init; } = 15;

    public int RenewDeadlineSeconds { get; init; } = 10;

    public int RetryPeriodSeconds { get; init; } = 2;

    /// <summary>Default nucleus image.</summary>
    public string NucleusImage { get; init; } = "ghcr.io/greengrass-edge/greengrass-nucleus:0.1.0";

    /// <summary>Seconds without a nucleus report before a device is OFFLINE. Default 90.</summary>
    public int HeartbeatSeconds { get; init; } = 90;

    /// <summary>
    /// Seconds the API server keeps one watch open before the operator re-watches from its last resourceVersion.
    /// Default 300 (client-go picks 5 to 10 minutes).
    /// </summary>
    public int WatchTimeoutSeconds { get; init; } = 300;

    /// <summary>Host directory for nucleus roots.</summary>
    public string HostPathRoot { get; init; } = "/var/lib/greengrass";

    /// <summary>Serve the Greengrass discovery API. Default true.</summary>
    public bool Discovery { get; init; } = true;

    /// <summary>HTTPS port of the discovery API. Default 8443 (the chart's Service also maps 443, which the SDKs use, to it); 0 picks a free port.</summary>
    public int DiscoveryPort { get; init; } = 8443;

    /// <summary>kubernetes.io/tls Secret (in the lease namespace) with the discovery server's certificate; created when missing.</summary>
    public string DiscoveryTlsSecret { get; init; } = "greengrass-discovery-tls";

    /// <summary>Host names of the discovery server for the certificate the operator makes (localhost and 127.0.0.1 are always in it).</summary>
    public IReadOnlyList<string> DiscoveryHosts { get; init; } = [];

    /// <summary>Region and account in the thing ARNs discovery returns. Defaults "local" and "000000000000".</summary>
    public string DiscoveryRegion { get; init; } = "local";

    public string DiscoveryAccount { get; init; } = "000000000000";

    public static readonly string[] Names =
    [
        "--kubeconfig", "--namespace", "--metrics-port", "--health-port", "--workers", "--leader-election", "--lease-namespace", "--identity",
        "--lease-duration", "--renew-deadline", "--retry-period", "--nucleus-image", "--heartbeat", "--host-path-root", "--watch-timeout",
        "--discovery", "--discovery-port", "--discovery-tls-secret", "--discovery-hosts", "--discovery-region", "--discovery-account",
    ];

    private static int Port(int value) => value <= 65535 ? value : throw new UsageException($"--discovery-port: {value} is not a port number");

    public static OperatorOptions Parse(IReadOnlyList<string> arguments)
    {
        var given = CliArguments.Parse(arguments, Names);
        string? Get(string name, string env) => given.GetValueOrDefault(name) ?? Environment.GetEnvironmentVariable(env);
        int Int(string name, string env, int fallback) =>
            Get(name, env) is { } text ? int.TryParse(text, CultureInfo.InvariantCulture, out var v) && v >= 0 ? v : throw new UsageException($"{name}: '{text}' is not a non-negative number") : fallback;
        var defaults = new OperatorOptions();
        return new OperatorOptions
        {
            Kubeconfig = Get("--kubeconfig", "KUBECONFIG"),
            WatchNamespace = Get("--namespace", "Operator__WatchNamespace") is { Length: > 0 } ns ? ns : null,
            MetricsPort = Int("--metrics-port", "Operator__MetricsPort", defaults.MetricsPort),
            HealthPort = Int("--health-port", "Operator__HealthPort", defaults.HealthPort),
            Workers = Math.Max(1, Int("--workers", "Operator__Workers", defaults.Workers)),
            LeaderElection = (Get("--leader-election", "LeaderElection__Enabled") ?? "true") is "true" or "True",
            LeaseNamespace = Get("--lease-namespace", "LeaderElection__Namespace") ?? defaults.LeaseNamespace,
            Identity = Get("--identity", "LeaderElection__Identity") ?? defaults.Identity,
            LeaseDurationSeconds = Int("--lease-duration", "LeaderElection__LeaseDurationSeconds", defaults.LeaseDurationSeconds),
            RenewDeadlineSeconds = Int("--renew-deadline", "LeaderElection__RenewDeadlineSeconds", defaults.RenewDeadlineSeconds),
            RetryPeriodSeconds = Int("--retry-period", "LeaderElection__RetryPeriodSeconds", defaults.RetryPeriodSeconds),
            NucleusImage = Get("--nucleus-image", "Operator__NucleusImage") ?? defaults.NucleusImage,
            HeartbeatSeconds = Int("--heartbeat", "Operator__HeartbeatSeconds", defaults.HeartbeatSeconds),
            HostPathRoot = Get("--host-path-root", "Operator__HostPathRoot") ?? defaults.HostPathRoot,
            WatchTimeoutSeconds = Math.Max(1, Int("--watch-timeout", "Operator__WatchTimeoutSeconds", defaults.WatchTimeoutSeconds)),
            Discovery = (Get("--discovery", "Discovery__Enabled") ?? "true") is "true" or "True",
            DiscoveryPort = Port(Int("--discovery-port", "Discovery__Port", defaults.DiscoveryPort)),
            DiscoveryTlsSecret = Get("--discovery-tls-secret", "Discovery__TlsSecret") is { Length: > 0 } secret ? secret : defaults.DiscoveryTlsSecret,
            DiscoveryHosts = (Get("--discovery-hosts", "Discovery__Hosts") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            DiscoveryRegion = Get("--discovery-region", "Discovery__Region") ?? defaults.DiscoveryRegion,
            DiscoveryAccount = Get("--discovery-account", "Discovery__Account") ?? defaults.DiscoveryAccount,
        };
    }
}
