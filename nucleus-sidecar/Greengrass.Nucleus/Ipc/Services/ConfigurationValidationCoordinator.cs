using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Greengrass.Nucleus.Ipc.Services;

/// <summary>Result of asking a component to validate a proposed configuration.</summary>
internal enum ConfigurationValidity
{
    /// <summary>The component does not subscribe to validation: the configuration is taken as valid.</summary>
    NotSubscribed,
    Accepted,
    Rejected,

    /// <summary>No report arrived in time; the deployment fails (validation timeouts fail, not skip).</summary>
    TimedOut,
}

/// <summary>A component's answer with its message.</summary>
internal sealed record ConfigurationValidationResult(ConfigurationValidity Validity, string? Message);

/// <summary>
/// SubscribeToValidateConfigurationUpdates and SendConfigurationValidityReport, and the host side of the
/// exchange: <see cref="ValidateAsync"/> sends the proposed configuration and waits for the report.
/// </summary>
internal sealed class ConfigurationValidationCoordinator
{
    public const string EventShape = IpcFrames.ShapePrefix + "ValidateConfigurationUpdateEvents";
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<IpcStream, byte>> _subscribers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Component, string DeploymentId), TaskCompletionSource<ConfigurationValidationResult>> _pending = new();
    private readonly TimeProvider _time;

    public ConfigurationValidationCoordinator(TimeProvider time)
    {
        _time = time;
    }

    public IEnumerable<IIpcOperationHandler> Operations()
    {
        yield return new IpcOperation<IpcEmptyRequest>("SubscribeToValidateConfigurationUpdates", Subscribe);
        yield return new IpcOperation<SendConfigurationValidityReportRequest>("SendConfigurationValidityReport", Report);
    }

    /// <summary>Asks <paramref name="componentName"/> to validate <paramref name="configuration"/> for a deployment.</summary>
    public async Task<ConfigurationValidationResult> ValidateAsync(
        string componentName, JsonObject configuration, string deploymentId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!_subscribers.TryGetValue(componentName, out var streams) || streams.IsEmpty)
        {
            return new(ConfigurationValidity.NotSubscribed, null);
        }

        var waiter = new TaskCompletionSource<ConfigurationValidationResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[(componentName, deploymentId)] = waiter;
        try
        {
            var body = new ValidateConfigurationUpdateEvents
            {
                ValidateConfigurationUpdateEvent = new() { Configuration = configuration, DeploymentId = deploymentId },
            };
            foreach (var stream in streams.Keys)
            {
                stream.SendEvent(EventShape, body);
            }

            return await waiter.Task.WaitAsync(timeout, _time, cancellationToken);
        }
        catch (TimeoutException)
        {
            return new(ConfigurationValidity.TimedOut, $"{componentName} sent no validity report within {timeout}");
        }
        finally
        {
            _pending.TryRemove((componentName, deploymentId), out _);
        }
    }

    private ValueTask<IpcResponse> Subscribe(IpcCall call, IpcEmptyRequest request, CancellationToken cancellationToken)
    {
        var streams = _subscribers.GetOrAdd(call.Component, _ => new());
        var stream = call.Stream;
        streams[stream] = 0;
        stream.OnClosed(() => streams.TryRemove(stream, out _));
        return ValueTask.FromResult(IpcResponse.Streaming("SubscribeToValidateConfigurationUpdates", IpcEmptyResponse.Instance));
    }

    private ValueTask<IpcResponse> Report(IpcCall call, SendConfigurationValidityReportRequest request, CancellationToken cancellationToken)
    {
        var report = IpcJson.Require(request.ConfigurationValidityReport, "configurationValidityReport");
        var validity = report.Status switch
        {
            "ACCEPTED" => ConfigurationValidity.Accepted,
            "REJECTED" => ConfigurationValidity.Rejected,
            _ => throw IpcServiceException.InvalidArguments(
                $"configurationValidityReport.status '{report.Status}' is not ACCEPTED or REJECTED"),
        };
        var deploymentId = IpcJson.Require(report.DeploymentId, "configurationValidityReport.deploymentId");
        if (!_pending.TryGetValue((call.Component, deploymentId), out var waiter))
        {
            throw IpcServiceException.InvalidArguments($"no configuration validation of {call.Component} is pending for deployment {deploymentId}");
        }

        waiter.TrySetResult(new(validity, report.Message));
        return ValueTask.FromResult(IpcResponse.Complete("SendConfigurationValidityReport", IpcEmptyResponse.Instance));
    }

    internal sealed class ValidateConfigurationUpdateEvents
    {
        public ValidateConfigurationUpdateEvent? ValidateConfigurationUpdateEvent { get; set; }
    }

    internal sealed class ValidateConfigurationUpdateEvent
    {
        public JsonObject? Configuration { get; set; }

        public string? DeploymentId { get; set; }
    }

    internal sealed class SendConfigurationValidityReportRequest
    {
        public ConfigurationValidityReport? ConfigurationValidityReport { get; set; }
    }

    internal sealed class ConfigurationValidityReport
    {
        public string? Status { get; set; }

        public string? DeploymentId { get; set; }

        public string? Message { get; set; }
    }
}
