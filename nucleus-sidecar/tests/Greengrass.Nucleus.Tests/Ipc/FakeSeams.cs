using System.Collections.Concurrent;
using Greengrass.Nucleus.Ipc;
using Greengrass.Nucleus.Ipc.Services;

namespace Greengrass.Nucleus.Tests.Ipc;

/// <summary>Records UpdateState calls (the supervisor implements the real lifecycle).</summary>
internal sealed class RecordingLifecycle : IIpcLifecycle
{
    public ConcurrentQueue<(string Component, string State)> Reports { get; } = new();

    public ValueTask ReportStateAsync(string componentName, string state, CancellationToken cancellationToken)
    {
        Reports.Enqueue((componentName, state));
        return ValueTask.CompletedTask;
    }
}

/// <summary>A fixed component list that records restarts and stops.</summary>
internal sealed class FakeComponentManager : IIpcComponentManager
{
    public ConcurrentDictionary<string, IpcComponentDetails> Components { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<string> Restarted { get; } = new();

    public ConcurrentQueue<string> Stopped { get; } = new();

    public IReadOnlyList<IpcComponentDetails> ListComponents() => [.. Components.Values.OrderBy(c => c.ComponentName, StringComparer.Ordinal)];

    public IpcComponentDetails? GetComponent(string componentName) => Components.GetValueOrDefault(componentName);

    public ValueTask<IpcRequestStatus> RestartComponentAsync(string componentName, CancellationToken cancellationToken)
    {
        Restarted.Enqueue(componentName);
        return ValueTask.FromResult(new IpcRequestStatus(true, "restarted"));
    }

    public ValueTask<IpcRequestStatus> StopComponentAsync(string componentName, CancellationToken cancellationToken)
    {
        Stopped.Enqueue(componentName);
        return ValueTask.FromResult(new IpcRequestStatus(true));
    }
}

/// <summary>Keeps created local deployments in a list.</summary>
internal sealed class FakeLocalDeployments : IIpcLocalDeployments
{
    private readonly ConcurrentDictionary<string, IpcLocalDeployment> _deployments = new(StringComparer.Ordinal);

    public ConcurrentQueue<LocalDeploymentRequest> Requests { get; } = new();

    public ValueTask<string> CreateAsync(LocalDeploymentRequest request, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString();
        Requests.Enqueue(request);
        _deployments[id] = new IpcLocalDeployment(id, "QUEUED", DateTimeOffset.UnixEpoch.AddDays(1));
        return ValueTask.FromResult(id);
    }

    public IpcLocalDeployment? Get(string deploymentId) => _deployments.GetValueOrDefault(deploymentId);

    public IReadOnlyList<IpcLocalDeployment> List() => [.. _deployments.Values];

    /// <summary>Marks a known deployment CANCELED (the runtime's rules have tests of their own).</summary>
    public ValueTask<string> CancelAsync(string deploymentId, CancellationToken cancellationToken)
    {
        if (!_deployments.TryGetValue(deploymentId, out var deployment))
        {
            throw IpcServiceException.ResourceNotFound($"Cannot find the local deployment {deploymentId}");
        }

        _deployments[deploymentId] = deployment with { Status = "CANCELED" };
        return ValueTask.FromResult($"cancelled {deploymentId}");
    }
}
