namespace Greengrass.Nucleus.Ipc;

/// <summary>
/// Thrown by a handler whose providing component is not deployed now (e.g. the shadow operations without
/// aws.greengrass.ShadowManager): the caller gets the same "Unsupported Operation" reply as for an unknown operation.
/// </summary>
internal sealed class IpcUnsupportedOperationException : Exception
{
    public IpcUnsupportedOperationException()
        : base("unsupported operation")
    {
    }

    public IpcUnsupportedOperationException(string message)
        : base(message)
    {
    }

    public IpcUnsupportedOperationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
