namespace Greengrass.Nucleus.Ipc;

/// <summary>One IPC operation of the GreengrassCoreIPC model.</summary>
internal interface IIpcOperationHandler
{
    /// <summary>Fully qualified name, e.g. <c>aws.greengrass#PublishToTopic</c>.</summary>
    string Operation { get; }

    /// <summary>
    /// Handles one call. Throw <see cref="IpcServiceException"/> for a modelled error. A streaming operation
    /// keeps <see cref="IpcCall.Stream"/> to send events and returns <see cref="IpcResponse.KeepOpen"/>.
    /// </summary>
    ValueTask<IpcResponse> HandleAsync(IpcCall call, CancellationToken cancellationToken);
}

/// <summary>The reply to a call: the response shape and its JSON payload.</summary>
internal sealed record IpcResponse(string Shape, byte[] Payload, bool KeepOpen)
{
    public static IpcResponse Complete<T>(string operation, T body) =>
        new(IpcFrames.ShapePrefix + operation + "Response", IpcJson.Write(body), KeepOpen: false);

    public static IpcResponse Streaming<T>(string operation, T body) =>
        new(IpcFrames.ShapePrefix + operation + "Response", IpcJson.Write(body), KeepOpen: true);
}

/// <summary>One operation invocation: who calls, the request payload and the stream it arrived on.</summary>
internal sealed class IpcCall
{
    private readonly IIpcComponentRegistry _registry;

    public IpcCall(string component, string operation, ReadOnlyMemory<byte> payload, IpcStream stream, IIpcComponentRegistry registry)
    {
        Component = component;
        Operation = operation;
        Payload = payload;
        Stream = stream;
        _registry = registry;
    }

    /// <summary>The calling component, as authenticated by its token.</summary>
    public string Component { get; }

    public string Operation { get; }

    public ReadOnlyMemory<byte> Payload { get; }

    public IpcStream Stream { get; }

    /// <summary>The operation's short name (without <c>aws.greengrass#</c>).</summary>
    public string ShortName => Operation[IpcFrames.ShapePrefix.Length..];

    public T Read<T>()
        where T : class, new() => IpcJson.Read<T>(Payload, ShortName);

    /// <summary>Throws UnauthorizedError unless the caller's accessControl grants this operation on <paramref name="resource"/>.</summary>
    public void Authorize(string service, string resource)
    {
        var policy = _registry.GetAccessControl(Component);
        if (policy is null || !policy.IsAuthorized(service, Operation, resource))
        {
            throw new IpcServiceException(
                IpcErrors.UnauthorizedError,
                $"Principal {Component} is not authorized to perform {service}:{Operation} on resource {resource}");
        }
    }
}
