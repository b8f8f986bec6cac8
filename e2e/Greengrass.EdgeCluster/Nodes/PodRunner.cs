using System.Text.Json.Nodes;
using System.Threading.Channels;
using Greengrass.EdgeCluster.Resources;
using Greengrass.EdgeCluster.Store;
using Microsoft.Extensions.Logging;

namespace Greengrass.EdgeCluster.Nodes;

/// <summary>
/// Runs one pod's containers as local processes: restarts per restartPolicy with exponential
/// back-off, publishes container statuses, phase and conditions (honouring readiness gates),
/// and on deletion sends SIGTERM, waits the grace period, then kills the process tree.
/// </summary>
internal sealed partial class PodRunner
{
    /// <summary>The waiting reason of containers whose pod's volumes could not be mounted yet.</summary>
    private const string VolumesPending = "CreateContainerConfigError";

    private readonly ResourceStore _store;
    private readonly ResourceType _podType;
    private readonly PodEnvironment _env;
    private readonly NodeLogs _logs;
    private readonly Hosting.EdgeClusterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<bool> _signal = Channel.CreateUnbounded<bool>();
    private readonly List<ContainerProcess> _containers;
    private readonly string _ns;
    private readonly string _name;
    private readonly string _restartPolicy;
    private long? _terminateGrace;

    public PodRunner(ResourceStore store, JsonObject pod, PodEnvironment env, NodeLogs logs, Hosting.EdgeClusterOptions options, TimeProvider time, ILogger logger)
    {
        _store = store;
        _podType = store.Registry.Find("", "v1", "pods")!;
        _env = env;
        _logs = logs;
        _options = options;
        _time = time;
        _logger = logger;
        _ns = Meta.Namespace(pod)!;
        _name = Meta.Name(pod);
        _restartPolicy = Meta.Str(pod["spec"]?["restartPolicy"]) ?? "Always";
        _containers = [.. (pod["spec"]?["containers"]?.AsArray() ?? []).Select(c => new ContainerProcess(c!.AsObject()))];
    }

    public string Uid { get; init; } = "";

    /// <summary>Something about the pod changed (e.g. a readiness gate): republish its status.</summary>
    public void Poke() => _signal.Writer.TryWrite(true);

    /// <summary>Asks the pod to stop: SIGTERM now, SIGKILL after <paramref name="graceSeconds"/>.</summary>
    public void Terminate(long graceSeconds)
    {
        _terminateGrace ??= graceSeconds;
        Poke();
    }

    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            var pod = _store.Get(_podType, _ns, _name)?.Parse();
            if (pod is null)
            {
                return;
            }
            PrepareVolumes(pod);
            foreach (var c in _containers.Where(c => c.WaitingReason is null))
            {
                StartContainer(pod, c);
            }
            Publish();
            await SuperviseAsync(stop);
        }
        finally
        {
            // However the runner ends, its processes end with it: one that failed half-way (a status write refused while
            // the cluster shuts down) would otherwise leave a container running that nobody watches or stops.
            foreach (var c in _containers.Where(c => c.Process is { HasExited: false }))
            {
                c.KillTree();
            }
        }
    }

    /// <summary>
    /// Mounts the pod's volumes; while one cannot be (a Secret or ConfigMap that does not exist yet) every container waits,
    /// and each supervision pass tries again, as a kubelet retries a failed mount and starts the pod once it succeeds.
    /// </summary>
    private bool PrepareVolumes(JsonObject pod)
    {
        try
        {
            _env.PrepareVolumes(pod);
            foreach (var c in _containers.Where(c => c.WaitingReason == VolumesPending))
            {
                (c.WaitingReason, c.WaitingMessage) = (null, null);
            }
            return true;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or FormatException)
        {
            foreach (var c in _containers)
            {
                (c.WaitingReason, c.WaitingMessage) = (VolumesPending, e.Message);
            }
            return false;
        }
    }

    private void RetryVolumes(JsonObject pod)
    {
        if (_containers.Any(c => c.WaitingReason == VolumesPending) && PrepareVolumes(pod))
        {
            foreach (var c in _containers.Where(c => c.WaitingReason is null && c.Process is null))
            {
                StartContainer(pod, c);
            }
        }
    }

    private async Task SuperviseAsync(CancellationToken stop)
    {
        while (_terminateGrace is null && !stop.IsCancellationRequested)
        {
            await WaitAsync(NextDue(), stop);
            var now = _time.GetUtcNow();
            foreach (var c in _containers.Where(c => c.Process is { HasExited: true }))
            {
                OnExit(c, c.RecordExit(now), now);
            }
            var pod = _store.Get(_podType, _ns, _name)?.Parse();
            if (pod is null)
            {
                break;
            }
            RetryVolumes(pod);
            foreach (var c in _containers.Where(c => c.RestartDue is { } due && due <= now))
            {
                c.RestartDue = null;
                c.RestartCount++;
                StartContainer(pod, c);
            }
            Publish();
        }
        await StopContainersAsync(stop.IsCancellationRequested ? 0 : _terminateGrace ?? 0, stop);
    }

    private void OnExit(ContainerProcess c, int code, DateTimeOffset now)
    {
        LogExited(_logger, _ns, _name, c.Name, code);
        var restart = _restartPolicy == "Always" || (_restartPolicy == "OnFailure" && code != 0);
        if (!restart)
        {
            return;
        }
        var delay = TimeSpan.FromTicks(Math.Min(_options.RestartBackoffMax.Ticks, _options.RestartBackoff.Ticks * (1L << Math.Min(c.RestartCount, 16))));
        c.RestartDue = now + delay;
        c.LastTerminated = c.Terminated;
        c.WaitingReason = "CrashLoopBackOff";
        c.WaitingMessage = $"back-off {delay.TotalSeconds:0.#}s restarting failed container={c.Name} pod={_name}";
    }

    private DateTimeOffset? NextDue() => _containers.Select(c => c.RestartDue).Where(d => d is not null).Min();

    private async Task WaitAsync(DateTimeOffset? due, CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var wait = due is null ? TimeSpan.FromSeconds(5) : due.Value - _time.GetUtcNow();
        timeout.CancelAfter(wait < TimeSpan.Zero ? TimeSpan.Zero : wait);
        try
        {
            await _signal.Reader.WaitToReadAsync(timeout.Token);
            while (_signal.Reader.TryRead(out _))
            {
                // coalesce pokes
            }
        }
        catch (OperationCanceledException)
        {
            // a restart is due, or shutting down
        }
    }

    private void StartContainer(JsonObject pod, ContainerProcess c)
    {
        try
        {
            var env = _env.Environment(pod, c.Spec);
            var argv = Argv(c.Spec, env);
            c.Start(argv, env, Directory.Exists(Meta.Str(c.Spec["workingDir"])) ? Meta.Str(c.Spec["workingDir"])! : _env.PodDir,
                _logs.PathFor(_ns, _name, c.Name), _time.GetUtcNow(), Poke);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or FormatException or System.ComponentModel.Win32Exception)
        {
            (c.WaitingReason, c.WaitingMessage) = ("CreateContainerError", e.Message);
            LogStartFailed(_logger, _ns, _name, c.Name, e.Message);
        }
    }

    /// <summary>command (else the image's mapped entrypoint) followed by args, with $(VAR) expansion and mount-path rewriting.</summary>
    private List<string> Argv(JsonObject container, IReadOnlyDictionary<string, string> env)
    {
        var image = Meta.Str(container["image"]) ?? "";
        var command = (container["command"] as JsonArray)?.Select(a => Meta.Str(a) ?? "").ToList();
        if (command is null)
        {
            command = _options.ImageMap.TryGetValue(image, out var mapped)
                ? [.. mapped]
                : throw new InvalidOperationException($"image \"{image}\" has no command in the image map and the container sets no command");
        }
        var args = (container["args"] as JsonArray)?.Select(a => Meta.Str(a) ?? "") ?? [];
        return [.. command.Concat(args).Select(a => _env.Rewrite(PodEnvironment.Expand(a, env), container))];
    }

    /// <summary>
    /// SIGTERM, then SIGKILL once the grace period ends or the kubelet stops, whichever comes first: a pod deleted with a
    /// long grace period would otherwise outlive a cluster that stops meanwhile (its host gives up waiting after 30 s).
    /// </summary>
    private async Task StopContainersAsync(long graceSeconds, CancellationToken stop)
    {
        foreach (var c in _containers)
        {
            c.RestartDue = null;
            c.SignalTerm();
        }
        var deadline = _time.GetUtcNow().AddSeconds(graceSeconds);
        while (_containers.Any(c => c.Process is { HasExited: false }) && _time.GetUtcNow() < deadline && !stop.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), _time, CancellationToken.None);
        }
        foreach (var c in _containers)
        {
            c.KillTree();
            if (c.Process is not null)
            {
                await c.Process.WaitForExitAsync(CancellationToken.None);
                c.RecordExit(_time.GetUtcNow());
            }
            c.WaitingReason = null;
        }
        Publish(final: true);
    }

    private void Publish(bool final = false)
    {
        try
        {
            _store.Mutate(_podType, _ns, _name, pod =>
            {
                var images = (pod["spec"]?["containers"]?.AsArray() ?? []).ToDictionary(c => Meta.Str(c?["name"]) ?? "", c => Meta.Str(c?["image"]) ?? "");
                var statuses = _containers.Select(c => (JsonNode)c.Status(images.GetValueOrDefault(c.Name, ""))).ToArray();
                PodStatusBuilder.Apply(pod, statuses, Phase(final), _time.GetUtcNow());
                return pod;
            }, true, new WriteContext());
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // the pod is gone already
        }
    }

    private string Phase(bool final)
    {
        if (_containers.Any(c => c.Running || c.RestartDue is not null) && !final)
        {
            return "Running";
        }
        if (_containers.All(c => c.Terminated is not null))
        {
            return _containers.All(c => Meta.Long(c.Terminated!["exitCode"]) == 0) ? "Succeeded" : "Failed";
        }
        return "Pending";
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Container {Namespace}/{Pod}/{Container} exited with {ExitCode}")]
    private static partial void LogExited(ILogger logger, string @namespace, string pod, string container, int exitCode);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Container {Namespace}/{Pod}/{Container} could not start: {Reason}")]
    private static partial void LogStartFailed(ILogger logger, string @namespace, string pod, string container, string reason);
}
