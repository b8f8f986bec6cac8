namespace Greengrass.Nucleus.Ipc.Services;

/// <summary>UpdateState, SubscribeToComponentUpdates and DeferComponentUpdate (§6.6, §5.3); none needs authorization.</summary>
internal sealed class LifecycleIpcService
{
    private readonly IIpcLifecycle _lifecycle;
    private readonly ComponentUpdateCoordinator _updates;

    public LifecycleIpcService(IIpcLifecycle lifecycle, ComponentUpdateCoordinator updates)
    {
        _lifecycle = lifecycle;
        _updates = updates;
    }

    public IEnumerable<IIpcOperationHandler> Operations()
    {
        yield return new IpcOperation<UpdateStateRequest>("UpdateState", UpdateStateAsync);
        yield return new IpcOperation<IpcEmptyRequest>("SubscribeToComponentUpdates", Subscribe);
        yield return new IpcOperation<DeferComponentUpdateRequest>("DeferComponentUpdate", Defer);
    }

    private async ValueTask<IpcResponse> UpdateStateAsync(IpcCall call, UpdateStateRequest request, CancellationToken cancellationToken)
    {
        var state = IpcJson.Require(request.State, "state");
        if (state is not ("RUNNING" or "ERRORED"))
        {
            throw IpcServiceException.InvalidArguments($"state '{state}' is not RUNNING or ERRORED");
        }

        await _lifecycle.ReportStateAsync(call.Component, state, cancellationToken);
        return IpcResponse.Complete("UpdateState", IpcEmptyResponse.Instance);
    }

    private ValueTask<IpcResponse> Subscribe(IpcCall call, IpcEmptyRequest request, CancellationToken cancellationToken)
    {
        _updates.AddSubscriber(call.Stream);
        return ValueTask.FromResult(IpcResponse.Streaming("SubscribeToComponentUpdates", IpcEmptyResponse.Instance));
    }

    private ValueTask<IpcResponse> Defer(IpcCall call, DeferComponentUpdateRequest request, CancellationToken cancellationToken)
    {
        if (request.RecheckAfterMs is < 0)
        {
            throw IpcServiceException.InvalidArguments("recheckAfterMs must not be negative");
        }

        if (!_updates.Defer(call.Component, request.DeploymentId, request.RecheckAfterMs ?? 0, request.Message))
        {
            throw IpcServiceException.InvalidArguments(
                $"no component update is waiting for an answer{(request.DeploymentId is null ? string.Empty : $" for deployment {request.DeploymentId}")}");
        }

        return ValueTask.FromResult(IpcResponse.Complete("DeferComponentUpdate", IpcEmptyResponse.Instance));
    }

    internal sealed class UpdateStateRequest
    {
        public string? State { get; set; }
    }

    internal sealed class DeferComponentUpdateRequest
    {
        public string? DeploymentId { get; set; }

        public string? Message { get; set; }

        public long? RecheckAfterMs { get; set; }
    }
}
