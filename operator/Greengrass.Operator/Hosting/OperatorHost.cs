using Greengrass.Api;
using Greengrass.Operator.Discovery;
using Greengrass.Operator.Reconcilers;
using Greengrass.Operator.Runtime;
using Greengrass.Operator.Runtime.Cache;
using Greengrass.Operator.Runtime.Controllers;
using Greengrass.Operator.Runtime.Leadership;
using Greengrass.Operator.Runtime.Metrics;
using Greengrass.Operator.Runtime.Queue;
using Greengrass.Operator.Runtime.Writes;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Prometheus;
using ApiDeployment = Greengrass.Api.Deployment;

namespace Greengrass.Operator.Hosting;

/// <summary>
/// The operator process: caches always run (a standby replica stays warm); the controllers run only
/// while this replica holds the leader Lease, with fresh queues each term, seeded with every cached key.
/// </summary>
internal sealed partial class OperatorHost(OperatorOptions options, ILoggerFactory loggers)
{
    private readonly TimeProvider _time = TimeProvider.System;
    private readonly ILogger _logger = loggers.CreateLogger("Greengrass.Operator");
    private volatile Queues? _queues;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var config = options.Kubeconfig is { } path
            ? KubernetesClientConfiguration.BuildConfigFromConfigFile(path)
            : KubernetesClientConfiguration.InClusterConfig();
        using var kubernetes = new Kubernetes(config);
        var client = new ResourceClient(kubernetes);
        var state = CreateCaches(client);
        // The .NET event-counter and meter adapters export names that break Prometheus naming rules
        // (gauges ending in _count or _total), which `promtool check metrics` rejects: keep the process metrics only.
        Prometheus.Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions
        {
            SuppressProcessMetrics = false,
            SuppressEventCounters = true,
            SuppressMeters = true,
            SuppressDebugMetrics = true,
        });
        var registry = Prometheus.Metrics.DefaultRegistry;
        var metrics = new ControllerMetrics(registry);
        GreengrassMetrics.Register(registry, state);
        WireEvents(state);

        await using var web = await StartWebAsync(state, cancellationToken);
        var clientDevices = options.Discovery ? CreateClientDeviceCache(client) : null;
        await using var discovery = clientDevices is null ? null
            : await new DiscoveryServer(DiscoverySettingsOf(options), clientDevices, state.CoreDevices, client, registry, _time,
                loggers.CreateLogger("Greengrass.Operator.Discovery")).StartAsync(cancellationToken);
        var caches = clientDevices is null ? state.RunAsync(cancellationToken)
            : Task.WhenAll(state.RunAsync(cancellationToken), clientDevices.RunAsync(cancellationToken));
        var reconcilers = new Reconcilers(state, client, kubernetes, loggers, _time, new OperatorSettings
        {
            NucleusImage = options.NucleusImage,
            HeartbeatTimeout = TimeSpan.FromSeconds(options.HeartbeatSeconds),
            HostPathRoot = options.HostPathRoot,
        });

        Task leaderWork(CancellationToken term) => RunControllersAsync(state, reconcilers, metrics, term);
        var controllers = options.LeaderElection
            ? new LeaderElectedRunner(kubernetes, new LeaderElectionOptions
            {
                Namespace = options.LeaseNamespace,
                LeaseName = "greengrass-operator",
                Identity = options.Identity,
                LeaseDuration = TimeSpan.FromSeconds(options.LeaseDurationSeconds),
                RenewDeadline = TimeSpan.FromSeconds(options.RenewDeadlineSeconds),
                RetryPeriod = TimeSpan.FromSeconds(options.RetryPeriodSeconds),
            }, leaderWork, loggers.CreateLogger<LeaderElectedRunner>(), registry).RunAsync(cancellationToken)
            : leaderWork(cancellationToken);

        await Task.WhenAll(caches, controllers);
        return 0;
    }

    private ClusterState CreateCaches(ResourceClient client)
    {
        var ns = options.WatchNamespace;
        ResourceCache<T> Cache<T>(ResourceType type, string? labelSelector = null)
            where T : class, IKubernetesObject<V1ObjectMeta> =>
            new(client, type, new ResourceCacheOptions
            {
                Namespace = type.Namespaced ? ns : null,
                LabelSelector = labelSelector,
                WatchServerTimeout = TimeSpan.FromSeconds(options.WatchTimeoutSeconds),
            },
                loggers.CreateLogger($"Greengrass.Operator.Cache.{type.Plural}"), _time);
        var owned = $"{Labels.ManagedBy}={Labels.ManagedByValue}";
        return new ClusterState(
            Cache<Component>(ResourceTypes.Components),
            Cache<ApiDeployment>(ResourceTypes.Deployments),
            Cache<CoreDevice>(ResourceTypes.CoreDevices),
            Cache<V1Pod>(ResourceTypes.Pods, owned),
            Cache<V1ConfigMap>(ResourceTypes.ConfigMaps, owned),
            Cache<V1Node>(ResourceTypes.Nodes),
            Cache<ClientDevice>(ResourceTypes.ClientDevices));
    }

    private ResourceCache<ClientDevice> CreateClientDeviceCache(ResourceClient client) =>
        new(client, ResourceTypes.ClientDevices, new ResourceCacheOptions
        {
            Namespace = options.WatchNamespace,
            WatchServerTimeout = TimeSpan.FromSeconds(options.WatchTimeoutSeconds),
        }, loggers.CreateLogger($"Greengrass.Operator.Cache.{ResourceTypes.ClientDevices.Plural}"), _time);

    private static DiscoverySettings DiscoverySettingsOf(OperatorOptions options) => new(
        options.DiscoveryPort, options.LeaseNamespace, options.DiscoveryTlsSecret, options.DiscoveryHosts,
        new DiscoveryArn(options.DiscoveryRegion, options.DiscoveryAccount));

    private void WireEvents(ClusterState state)
    {
        state.Components.OnChange(e =>
        {
            _queues?.Components.Add(EventMaps.KeyOf(e.Object));
            var (devices, deployments) = EventMaps.ComponentChanged(e.Object, state.CoreDevices.List(), state.Deployments.List());
            AddAll(_queues?.CoreDevices, devices);
            AddAll(_queues?.Deployments, deployments);
        });
        state.Deployments.OnChange(e =>
        {
            _queues?.Deployments.Add(EventMaps.KeyOf(e.Object));
            AddAll(_queues?.CoreDevices, EventMaps.DeploymentChanged(e, state.CoreDevices.List()));
            foreach (var name in (e.Object.Spec.Components?.Keys ?? []).Concat(e.Old?.Spec.Components?.Keys ?? []).Distinct())
            {
                AddAll(_queues?.Components, state.Components.List()
                    .Where(c => c.Metadata.NamespaceProperty == e.Object.Metadata.NamespaceProperty && c.Spec.ComponentName == name).Select(EventMaps.KeyOf));
            }
        });
        state.CoreDevices.OnChange(e =>
        {
            _queues?.CoreDevices.Add(EventMaps.KeyOf(e.Object));
            AddAll(_queues?.Deployments, EventMaps.CoreDeviceChanged(e, state.Deployments.List()));
            AddAll(_queues?.ClientDevices, EventMaps.CoreDeviceChangedForClients(e, state.ClientDevices.List()));
        });
        state.ClientDevices.OnChange(e =>
        {
            _queues?.ClientDevices.Add(EventMaps.KeyOf(e.Object));
            AddAll(_queues?.CoreDevices, EventMaps.ClientDeviceChanged(e, state.CoreDevices.List()));
        });
        state.Pods.OnChange(e => AddAll(_queues?.CoreDevices, EventMaps.OwnedObjectChanged(e.Object) is { } key ? [key] : []));
        state.ConfigMaps.OnChange(e => AddAll(_queues?.CoreDevices, EventMaps.OwnedObjectChanged(e.Object) is { } key ? [key] : []));
        state.Nodes.OnChange(e => AddAll(_queues?.CoreDevices, EventMaps.NodeChanged(e.Object, state.Pods.List())));
    }

    private static void AddAll(WorkQueue<ResourceKey>? queue, IEnumerable<ResourceKey> keys)
    {
        if (queue is null)
        {
            return;
        }

        foreach (var key in keys)
        {
            queue.Add(key);
        }
    }

    private async Task RunControllersAsync(ClusterState state, Reconcilers reconcilers, ControllerMetrics metrics, CancellationToken term)
    {
        await Task.WhenAll(state.Synced).WaitAsync(term);
        Controller<ResourceKey> Make(string name, IReconciler<ResourceKey> reconciler)
        {
            var queue = new WorkQueue<ResourceKey>(RateLimiters.ControllerDefault<ResourceKey>(_time), _time, metrics.ForQueue(name));
            metrics.TrackInProgress(name, queue);
            return new Controller<ResourceKey>(new ControllerOptions { Name = name, Workers = options.Workers }, reconciler, queue,
                loggers.CreateLogger($"Greengrass.Operator.Controllers.{name}"), _time, metrics);
        }

        var components = Make("component", reconcilers.Component);
        var deployments = Make("deployment", reconcilers.Deployment);
        var devices = Make("coredevice", reconcilers.CoreDevice);
        var clients = Make("clientdevice", reconcilers.ClientDevice);
        _queues = new Queues(components.Queue, deployments.Queue, devices.Queue, clients.Queue);
        AddAll(clients.Queue, state.ClientDevices.List().Select(EventMaps.KeyOf));
        AddAll(components.Queue, state.Components.List().Select(EventMaps.KeyOf));
        AddAll(deployments.Queue, state.Deployments.List().Select(EventMaps.KeyOf));
        AddAll(devices.Queue, state.CoreDevices.List().Select(EventMaps.KeyOf));
        LogControllersStarted(_logger, options.Identity);
        try
        {
            await Task.WhenAll(components.RunAsync(term), deployments.RunAsync(term), devices.RunAsync(term), clients.RunAsync(term));
        }
        finally
        {
            _queues = null;
        }
    }

    private async Task<WebApplication> StartWebAsync(ClusterState state, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenAnyIP(options.MetricsPort);
            if (options.HealthPort != options.MetricsPort || options.HealthPort == 0)
            {
                kestrel.ListenAnyIP(options.HealthPort);
            }
        });
        var app = builder.Build();
        app.MapMetrics("/metrics");
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", () => state.Synced.All(t => t.IsCompletedSuccessfully)
            ? Results.Text("ok")
            : Results.Text("caches not synced", statusCode: StatusCodes.Status503ServiceUnavailable));
        await app.StartAsync(cancellationToken);
        foreach (var url in app.Urls)
        {
            LogListening(_logger, url);
        }

        return app;
    }

    private sealed record Queues(
        WorkQueue<ResourceKey> Components, WorkQueue<ResourceKey> Deployments, WorkQueue<ResourceKey> CoreDevices, WorkQueue<ResourceKey> ClientDevices);

    private sealed class Reconcilers(ClusterState state, ResourceClient client, Kubernetes kubernetes, ILoggerFactory loggers, TimeProvider time, OperatorSettings settings)
    {
        public IReconciler<ResourceKey> Component { get; } = new ComponentReconciler(state, client, new StatusWriter(client), time);

        public IReconciler<ResourceKey> Deployment { get; } = new DeploymentReconciler(state, client, new StatusWriter(client),
            new EventRecorder(kubernetes, "greengrass-operator", loggers.CreateLogger<EventRecorder>(), time), time,
            loggers.CreateLogger<DeploymentReconciler>());

        public IReconciler<ResourceKey> ClientDevice { get; } = new ClientDeviceReconciler(state, client, new StatusWriter(client), time);

        public IReconciler<ResourceKey> CoreDevice { get; } = new CoreDeviceReconciler(state, client, new StatusWriter(client), new FinalizerWriter(client),
            new EventRecorder(kubernetes, "greengrass-operator", loggers.CreateLogger<EventRecorder>(), time), settings, time,
            loggers.CreateLogger<CoreDeviceReconciler>());
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Serving /metrics, /healthz and /readyz on {Url}")]
    private static partial void LogListening(ILogger logger, string url);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "{Identity} leads: controllers started")]
    private static partial void LogControllersStarted(ILogger logger, string identity);
}
