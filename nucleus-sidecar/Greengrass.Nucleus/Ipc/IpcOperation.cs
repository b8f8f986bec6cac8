namespace Greengrass.Nucleus.Ipc;

/// <summary>An operation handler made from a typed delegate; the request is parsed before the delegate runs.</summary>
internal sealed class IpcOperation<TRequest> : IIpcOperationHandler
    where TRequest : class, new()
{
    private readonly Func<IpcCall, TRequest, CancellationToken, ValueTask<IpcResponse>> _handle;

    public IpcOperation(string shortName, Func<IpcCall, TRequest, CancellationToken, ValueTask<IpcResponse>> handle)
    {
        Operation = IpcFrames.ShapePrefix + shortName;
        _handle = handle;
    }

    public string Operation { get; }

    public ValueTask<IpcResponse> HandleAsync(IpcCall call, CancellationToken cancellationToken) =>
        _handle(call, call.Read<TRequest>(), cancellationToken);
}

/// <summary>Requests without members (ListComponents, SubscribeToComponentUpdates, …).</summary>
internal sealed class IpcEmptyRequest
{
}

/// <summary>Responses without members.</summary>
internal sealed class IpcEmptyResponse
{
    public static readonly IpcEmptyResponse Instance = new();
}
