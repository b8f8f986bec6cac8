using System.Collections.Concurrent;
using System.Threading.Channels;
using Greengrass.Nucleus.Artifacts;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Core.Deployment;
using Greengrass.Nucleus.Core.Lifecycle;
using Greengrass.Nucleus.Storage;
using Greengrass.Nucleus.Supervision;
using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Runtime;

/// <summary>
/// The nucleus: runs a device plan's components with real processes, applies new plans one at a time, survives
/// restarts (applied plan and installed components on disk) and hosts IPC. All state-machine calls run on one event
/// loop (<c>PostAsync</c>), as <see cref="LifecycleCoordinator"/> requires; deployments run beside it and
/// wait for the states the loop publishes.
/// </summary>
internal sealed partial class NucleusRuntime : IDeviceRuntime, IAsyncDisposable
{
    private readonly NucleusRuntimeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly NucleusPaths _paths;
    private readonly ProcessRunner _runner;
    private readonly CgroupLimiter _cgroups = new("/sys/fs/cgroup");
    private readonly ProcessGroupLedger _ledger;
    private readonly ArtifactStore _artifacts;
    private readonly HttpClient? _ownedHttp;
    private readonly PlanStore _plans;
    private readonly ComponentStateStore _installedStore;
    private readonly LifecycleCoordinator _coordinator;
    private readonly Dictionary<string, ComponentSlot> _slots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ComponentRuntimeState> _installed = new(StringComparer.Ordinal);
    private readonly Channel<Func<Task>> _inbox = Channel.CreateUnbounded<Func<Task>>(new() { SingleReader = true });
    private readonly Channel<DeploymentJob> _deploymentQueue = Channel.CreateUnbounded<DeploymentJob>();
    private readonly ConcurrentDictionary<Task, byte> _background = new();
    private readonly SemaphoreSlim _stateChanged = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly RuntimeIpc _ipc;
    private ConfigStore? _config;
    private Cli.CliServer? _cli;
    private Aws.TokenExchangeServer? _tes;
    private Task? _loop;
    private Task? _deploymentLoop;
    private DeviceReport _report;
    private string _reportText = "";
    private DevicePlan? _applied;
    private long? _appliedRevision;
    private bool _stopped;

    public NucleusRuntime(NucleusRuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = options.Time;
        _logger = options.LoggerFactory.CreateLogger<NucleusRuntime>();
        _paths = new NucleusPaths(options.Root);
        _runner = new ProcessRunner(
            new ProcessRunnerOptions
            {
                RootPath = _paths.Root,
                ThingName = options.ThingName,
                AwsRegion = options.Region,
                NucleusVersion = options.NucleusVersion,
                IpcSocketPath = options.EffectiveIpcSocketPath,
                DefaultPosixUser = options.DefaultPosixUser,
                GracefulStopTimeout = options.GracefulStopTimeout,
            },
            _time,
            options.LoggerFactory.CreateLogger<ProcessRunner>());
        _ownedHttp = options.HttpClient is null ? new HttpClient() : null;
        _artifacts = new ArtifactStore(_paths, options.HttpClient ?? _ownedHttp!, _time, options.LoggerFactory.CreateLogger<ArtifactStore>(), options.Aws);
        _plans = new PlanStore(_paths, _time, options.LoggerFactory.CreateLogger<PlanStore>());
        _installedStore = new ComponentStateStore(_paths, options.LoggerFactory.CreateLogger<ComponentStateStore>());
        _coordinator = new LifecycleCoordinator(options.RestartPolicy);
        _ipc = new RuntimeIpc(this);
        _ledger = new ProcessGroupLedger(Path.Combine(_paths.StateDirectory, "process-groups"));
        _report = BuildReport();
    }

    public DevicePlan? AppliedPlan => Volatile.Read(ref _applied);

    public event Action? ReportChanged;

    /// <summary>Every state change of every component, in order, raised on the event loop.</summary>
    public event Action<StateTransition>? Transitioned;

    public NucleusPaths Paths => _paths;

    internal NucleusRuntimeOptions Options => _options;

    internal ProcessRunner Runner => _runner;

    internal RuntimeIpc Ipc => _ipc;

    public DeviceReport Report() => Volatile.Read(ref _report);

    /// <summary>Whether the applied deployment contains <paramref name="component"/> (how the natively implemented plugins are switched on).</summary>
    public bool IsDeployed(string component) => Report().Components.Any(c => c.Name == component);

    /// <summary>The live configuration of a component (deployments and IPC updates), or null when it has none.</summary>
    public System.Text.Json.Nodes.JsonObject? ConfigurationOf(string component) =>
        _ipc.Configuration.TryGet(component, [], out var value) ? value as System.Text.Json.Nodes.JsonObject : null;

    /// <summary>Opens the stores, starts IPC and the event loop, and queues the resume of the last applied plan.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        _paths.EnsureCreated();
        var reclaimed = await _ledger.ReclaimAsync(_paths.WorkDirectory, _options.GracefulStopTimeout, _time, ct);
        if (reclaimed > 0)
        {
            RuntimeLog.Reclaimed(_logger, reclaimed);
        }

        _config = await ConfigStore.OpenAsync(_paths.ConfigTransactionLog, _logger, ct);
        foreach (var state in await _installedStore.LoadAllAsync(ct))
        {
            _installed[state.ComponentName] = state;
        }

        await LoadDeploymentHistoryAsync(ct);
        await _ipc.StartAsync(ct);
        await StartTokenExchangeAsync(ct);
        if (_options.EnableCli)
        {
            _cli = new Cli.CliServer(this, _options.EffectiveCliSocketPath);
            try
            {
                _cli.Start();
            }
            catch (InvalidOperationException ex)
            {
                // The components do not need the local CLI: run without it rather than not at all.
                _logger.LogWarning("Local CLI disabled: {Reason}", ex.Message);
                _cli = null;
            }
        }

        _loop = Task.Run(RunLoopAsync, CancellationToken.None);
        _deploymentLoop = Task.Run(() => RunDeploymentsAsync(_stopping.Token), CancellationToken.None);
        var applied = await _plans.LoadCurrentAsync(ct);
        var resumed = applied is null ? null : ContractJson.DeserializePlan(applied.Plan.GetRawText());
        _ipc.Configuration.Load(_config, resumed?.Components.Select(c => c.Name) ?? []);
        var restart = await LoadRestartAsync(ct);
        if (resumed is { } plan)
        {
            Volatile.Write(ref _applied, plan);
            _appliedRevision = Deployments().LastOrDefault(d => d.Report.Status == DeploymentStatus.Succeeded)?.Report.Revision ?? plan.Revision;
        }

        if (restart is not null)
        {
            // A deployment restarted the nucleus: it decides what runs, not the applied plan.
            await _deploymentQueue.Writer.WriteAsync(restart, ct);
        }
        else if (resumed is { } last)
        {
            RuntimeLog.Resuming(_logger, last.Revision, last.Components.Count);
            await _deploymentQueue.Writer.WriteAsync(new DeploymentJob(last, Resume: true), ct);
        }
    }

    public async Task ApplyAsync(DevicePlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ObjectDisposedException.ThrowIf(_stopped, this);
        if (IsRestartDeployment(plan))
        {
            RuntimeLog.RestartDeploymentOffered(_logger, plan.DeploymentId, plan.Revision);
            return;
        }

        RecordQueued(plan);
        await _deploymentQueue.Writer.WriteAsync(new DeploymentJob(plan, Resume: false), cancellationToken);
        // The queued deployment shows as IN_PROGRESS at once, even while an earlier one is still being applied.
        _inbox.Writer.TryWrite(() =>
        {
            PublishReport();
            return Task.CompletedTask;
        });
    }

    /// <summary>Stops every component in reverse dependency order, then IPC and the loop. Idempotent.</summary>
    public async Task StopAsync(CancellationToken ct)
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        if (_cli is not null)
        {
            await _cli.DisposeAsync();
        }

        _deploymentQueue.Writer.TryComplete();
        await _stopping.CancelAsync();
        if (_deploymentLoop is not null)
        {
            await _deploymentLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (_loop is not null)
        {
            await StopAllComponentsAsync(ct);
        }

        _inbox.Writer.TryComplete();
        if (_loop is not null)
        {
            await _loop;
        }

        await Task.WhenAll(_background.Keys).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_tes is not null)
        {
            await _tes.DisposeAsync();
        }

        await _ipc.StopAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        await _ipc.DisposeAsync();
        if (_config is not null)
        {
            await _config.DisposeAsync();
        }

        _runner.Dispose();
        _ownedHttp?.Dispose();
        _stopping.Dispose();
        _stateChanged.Dispose();
    }

    /// <summary>Runs <paramref name="work"/> on the event loop and returns its result.</summary>
    internal Task<T> PostAsync<T>(Func<Task<T>> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var accepted = _inbox.Writer.TryWrite(async () =>
        {
            try
            {
                done.TrySetResult(await work());
            }
            catch (Exception ex)
            {
                done.TrySetException(ex);
            }
        });
        if (!accepted)
        {
            done.TrySetException(new ObjectDisposedException(nameof(NucleusRuntime), "The nucleus is stopping."));
        }

        return done.Task;
    }

    internal Task<T> PostAsync<T>(Func<T> work) => PostAsync(() => Task.FromResult(work()));

    /// <summary>Queues an event for a component; dropped when the loop has stopped.</summary>
    private void Post(string component, LifecycleEvent lifecycleEvent) =>
        _inbox.Writer.TryWrite(() =>
        {
            HandleEvent(component, lifecycleEvent);
            return Task.CompletedTask;
        });

    private async Task RunLoopAsync()
    {
        await foreach (var work in _inbox.Reader.ReadAllAsync())
        {
            try
            {
                await work();
            }
            catch (Exception ex)
            {
                RuntimeLog.WorkFailed(_logger, ex);
            }
        }
    }

    /// <summary>Keeps a background task (download, stop, save) so that stopping waits for it and its failure is logged.</summary>
    private void Track(Task task)
    {
        _background[task] = 0;
        _ = task.ContinueWith(
            t =>
            {
                _background.TryRemove(t, out _);
                if (t.Exception is { } ex)
                {
                    RuntimeLog.WorkFailed(_logger, ex.GetBaseException());
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void PublishReport()
    {
        var report = BuildReport();
        var text = ContractJson.SerializeReport(report);
        Volatile.Write(ref _report, report);
        if (_stateChanged.CurrentCount == 0)
        {
            _stateChanged.Release();
        }

        if (text != _reportText)
        {
            _reportText = text;
            ReportChanged?.Invoke();
        }
    }

    private DeviceReport BuildReport()
    {
        var components = _coordinator.Components.Order(StringComparer.Ordinal).Select(name =>
        {
            var lifecycle = _coordinator[name];
            return new ComponentReport
            {
                Name = name,
                Version = _slots[name].Component.Version,
                State = lifecycle.State,
                LastTransitionTime = lifecycle.LastTransitionTime,
                Message = lifecycle.StatusReason,
                RestartCount = lifecycle.RestartCount,
                StatusCodes = lifecycle.StatusCode is { } code ? [code] : [],
            };
        }).ToList();
        return new DeviceReport
        {
            SchemaVersion = DeviceReport.CurrentSchemaVersion,
            ThingName = _options.ThingName,
            NucleusVersion = _options.NucleusVersion,
            AppliedRevision = _appliedRevision,
            OverallHealth = DeploymentOutcome.Health(components.Select(c => c.State)),
            Components = components,
            Deployment = LastDeployment(),
        };
    }

    private sealed record DeploymentJob(DevicePlan Plan, bool Resume, Core.Deployment.ResumeAction? Restart = null);
}
