using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Greengrass.Nucleus.Ipc;
using Greengrass.Nucleus.Ipc.Authorization;
using Greengrass.Nucleus.Cli;
using Greengrass.Nucleus.Mqtt;
using Greengrass.Nucleus.Ipc.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Greengrass.Nucleus.Runtime;

/// <summary>
/// The IPC server of a runtime, wired to it: SVCUID tokens and accessControl of the running components, the
/// configuration the deployments merged, UpdateState and component updates, component management and local deployments;
/// and, when <see cref="NucleusRuntimeOptions.Mqtt"/> is set, the MQTT broker and bridge on the same local bus.
/// </summary>
internal sealed class RuntimeIpc : IIpcComponentRegistry, IAsyncDisposable
{
    private readonly NucleusRuntime _runtime;
    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IpcAccessControl> _accessControl = new(StringComparer.Ordinal);
    private readonly List<IHostedService> _started = [];
    private readonly LocalPubSub _bus = new();
    private readonly SemaphoreSlim _mqttGate = new(1, 1);
    private ServiceProvider? _provider;
    private RuntimeMqttHost? _mqtt;

    public RuntimeIpc(NucleusRuntime runtime)
    {
        _runtime = runtime;
        Configuration = new RuntimeConfigurationStore();
    }

    /// <summary>Component configuration as IPC reads and updates it; deployments merge into it.</summary>
    public RuntimeConfigurationStore Configuration { get; }

    /// <summary>The NOTIFY_COMPONENTS protocol; null while IPC is off.</summary>
    public ComponentUpdateCoordinator? Updates => _provider?.GetService<ComponentUpdateCoordinator>();

    /// <summary>Dynamic configuration validation (§4.6 step 2); null while IPC is off.</summary>
    public ConfigurationValidationCoordinator? Validation => _provider?.GetRequiredService<ConfigurationValidationCoordinator>();

    /// <summary>The SVCUID of a deployed component, for tests that connect as it; null when unknown.</summary>
    public string? TokenOf(string componentName) => _tokens.FirstOrDefault(kv => kv.Value == componentName).Key;

    /// <summary>The local bus of PublishToTopic (and of the MQTT bridge); null while IPC and MQTT are off.</summary>
    public LocalPubSub? Bus => _provider is null && _mqtt is null ? null : _bus;

    /// <summary>The MQTT stack running now; null while the nucleus hosts no MQTT.</summary>
    public RuntimeMqttHost? Mqtt => _mqtt;

    /// <summary>Starts the MQTT stack (when configured) and then the IPC server; a failed start stops what started.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        var options = _runtime.Options;
        if (options.Mqtt is { } mqtt)
        {
            _mqtt = await RuntimeMqttHost.StartAsync(mqtt, _bus, options.LoggerFactory, options.Time, ct);
        }

        if (!options.EnableIpc)
        {
            return;
        }

        var services = new ServiceCollection();
        services.AddSingleton(options.LoggerFactory);
        services.AddLogging();
        services.AddSingleton(options.Time);
        services.AddSingleton(_bus);
        services.AddSingleton<IIotCoreRouter>(new SwitchingIotCoreRouter(() => _mqtt?.Router, new LocalBusIotCoreRouter(new LocalPubSub())));
        services.AddSingleton<IIpcComponentRegistry>(this);
        services.AddSingleton<IIpcConfigurationStore>(Configuration);
        services.AddSingleton<IIpcLifecycle>(new Lifecycle(_runtime));
        services.AddSingleton<IIpcComponentManager>(new ComponentManager(_runtime));
        services.AddSingleton<IIpcComponentPauser>(new Pauser(_runtime));
        services.AddSingleton<IIpcLocalDeployments>(new LocalDeployments(_runtime));
        services.AddRuntimeShadows(_runtime, _bus);
        services.AddRuntimeSecrets(_runtime);
        services.AddSingleton<IClientDeviceAuthAccess>(new RuntimeClientDeviceAuth(_runtime, () => _mqtt));
        services.AddGreengrassIpc(o => o.SocketPath = options.EffectiveIpcSocketPath);
        _provider = services.BuildServiceProvider();
        foreach (var service in _provider.GetServices<IHostedService>())
        {
            try
            {
                await service.StartAsync(ct);
            }
            catch
            {
                await StopAsync(CancellationToken.None);
                throw;
            }

            _started.Add(service);
        }
    }

    /// <summary>
    /// Replaces the MQTT stack with one for <paramref name="settings"/> (null: none). The old one stops first, so the
    /// new broker can bind the same port; when the new one fails to start the nucleus runs without MQTT and throws.
    /// </summary>
    public async Task ReplaceMqttAsync(MqttSettings? settings, CancellationToken ct)
    {
        await _mqttGate.WaitAsync(ct);
        try
        {
            if (Interlocked.Exchange(ref _mqtt, null) is { } old)
            {
                await old.DisposeAsync();
            }

            if (settings is not null)
            {
                var options = _runtime.Options;
                _mqtt = await RuntimeMqttHost.StartAsync(settings, _bus, options.LoggerFactory, options.Time, ct);
            }
        }
        finally
        {
            _mqttGate.Release();
        }
    }

    /// <summary>Stops the IPC server, then the MQTT stack: the reverse of the start order.</summary>
    public async Task StopAsync(CancellationToken ct)
    {
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            await _started[i].StopAsync(ct);
        }

        _started.Clear();
        if (Interlocked.Exchange(ref _mqtt, null) is { } mqtt)
        {
            await mqtt.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
            _provider = null;
        }

        _mqttGate.Dispose();
        Configuration.Dispose();
    }

    public string? ResolveToken(string token) => _tokens.TryGetValue(token, out var name) ? name : null;

    public IpcAccessControl? GetAccessControl(string componentName) =>
        _accessControl.TryGetValue(componentName, out var policy) ? policy : null;

    public void Register(ComponentSlot slot) => _tokens[slot.Token] = slot.Component.Name;

    public void Unregister(ComponentSlot slot)
    {
        _tokens.TryRemove(slot.Token, out _);
        _accessControl.TryRemove(slot.Component.Name, out _);
        // A removed component's metric series go with it.
        _provider?.GetService<Observability.ComponentMetrics>()?.Forget(slot.Component.Name);
    }

    /// <summary>Re-reads the accessControl of a component's configuration (a deployment may change it).</summary>
    public void Refresh(ComponentSlot slot)
    {
        var name = slot.Component.Name;
        if (slot.Component.Configuration["accessControl"] is JsonObject accessControl)
        {
            using var document = JsonDocument.Parse(accessControl.ToJsonString());
            _accessControl[name] = IpcAccessControl.Parse(document.RootElement);
        }
        else
        {
            _accessControl.TryRemove(name, out _);
        }
    }

    private sealed class Lifecycle(NucleusRuntime runtime) : IIpcLifecycle
    {
        public async ValueTask ReportStateAsync(string componentName, string state, CancellationToken cancellationToken) =>
            await runtime.ReportStateAsync(componentName, state);
    }

    private sealed class Pauser(NucleusRuntime runtime) : IIpcComponentPauser
    {
        public async ValueTask<PauseRefusal> SetPausedAsync(string componentName, bool pause, CancellationToken cancellationToken) =>
            await runtime.SetPausedAsync(componentName, pause);
    }

    private sealed class ComponentManager(NucleusRuntime runtime) : IIpcComponentManager
    {
        public IReadOnlyList<IpcComponentDetails> ListComponents() =>
            [.. runtime.Report().Components.Select(c => Details(c.Name)!)];

        public IpcComponentDetails? GetComponent(string componentName) => Details(componentName);

        public async ValueTask<IpcRequestStatus> RestartComponentAsync(string componentName, CancellationToken cancellationToken) =>
            await runtime.RequestAsync(componentName, Core.Lifecycle.DesiredRequest.Restart);

        public async ValueTask<IpcRequestStatus> StopComponentAsync(string componentName, CancellationToken cancellationToken) =>
            await runtime.RequestAsync(componentName, Core.Lifecycle.DesiredRequest.Stop);

        private IpcComponentDetails? Details(string name)
        {
            var report = runtime.Report().Components.FirstOrDefault(c => c.Name == name);
            return report is null
                ? null
                : new IpcComponentDetails(name, report.Version, report.State.ToString().ToUpperInvariant(), runtime.ConfigurationOf(name));
        }
    }

    private sealed class LocalDeployments(NucleusRuntime runtime) : IIpcLocalDeployments
    {
        public async ValueTask<string> CreateAsync(LocalDeploymentRequest request, CancellationToken cancellationToken)
        {
            try
            {
                return await runtime.CreateLocalDeploymentAsync(request, cancellationToken);
            }
            catch (LocalDeploymentException ex)
            {
                throw IpcServiceException.InvalidArguments(ex.Message);
            }
        }

        public IpcLocalDeployment? Get(string deploymentId) =>
            runtime.Deployments().LastOrDefault(d => d.DeploymentId == deploymentId) is { } record ? ToIpc(record) : null;

        public IReadOnlyList<IpcLocalDeployment> List() => [.. runtime.Deployments().Select(ToIpc)];

        public async ValueTask<string> CancelAsync(string deploymentId, CancellationToken cancellationToken)
        {
            var verdict = await runtime.CancelLocalDeploymentAsync(deploymentId, cancellationToken);
            return verdict == CancelVerdict.NotFound
                ? throw IpcServiceException.ResourceNotFound($"Cannot find the local deployment {deploymentId}")
                : LocalDeploymentCancellation.Message(verdict, deploymentId);
        }

        private static IpcLocalDeployment ToIpc(DeploymentRecord record) => new(
            record.DeploymentId,
            record.Report.Status switch
            {
                _ when record.Canceled => "CANCELED",
                Contracts.DeploymentStatus.InProgress => "IN_PROGRESS",
                Contracts.DeploymentStatus.Succeeded => "SUCCEEDED",
                _ => "FAILED",
            },
            record.CreatedOn,
            new JsonObject
            {
                // In progress, the field carries a nucleus-restart stage, which is not a DetailedDeploymentStatus value of the IPC model.
                ["detailedDeploymentStatus"] = record.Report.Status == Contracts.DeploymentStatus.InProgress || record.Canceled ? null : record.Report.DetailedStatus,
                ["deploymentFailureCause"] = record.Report.FailureCause,
            });
    }
}
