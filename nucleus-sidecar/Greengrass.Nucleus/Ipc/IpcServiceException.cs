namespace Greengrass.Nucleus.Ipc;

/// <summary>
/// A modelled IPC error: it reaches the client as ApplicationError + TerminateStream with
/// <c>service-model-type = aws.greengrass#&lt;ErrorCode&gt;</c>.
/// </summary>
internal sealed class IpcServiceException : Exception
{
    public IpcServiceException(string errorCode, string message)
        : base(message)
    {
        ErrorCode = errorCode;
    }

    public IpcServiceException()
        : this(IpcErrors.ServiceError, "service error")
    {
    }

    public IpcServiceException(string message)
        : this(IpcErrors.ServiceError, message)
    {
    }

    public IpcServiceException(string message, Exception innerException)
        : base(message, innerException)
    {
        ErrorCode = IpcErrors.ServiceError;
    }

    /// <summary>The error shape name without the <c>aws.greengrass#</c> prefix, e.g. <c>UnauthorizedError</c>.</summary>
    public string ErrorCode { get; }

    public static IpcServiceException InvalidArguments(string message) => new(IpcErrors.InvalidArgumentsError, message);

    public static IpcServiceException ResourceNotFound(string message) => new(IpcErrors.ResourceNotFoundError, message);
}

/// <summary>Error shape names of the GreengrassCoreIPC model.</summary>
internal static class IpcErrors
{
    public const string ServiceError = "ServiceError";
    public const string UnauthorizedError = "UnauthorizedError";
    public const string ResourceNotFoundError = "ResourceNotFoundError";
    public const string InvalidArgumentsError = "InvalidArgumentsError";
    public const string ComponentNotFoundError = "ComponentNotFoundError";
    public const string ConflictError = "ConflictError";
    public const string FailedUpdateConditionCheckError = "FailedUpdateConditionCheckError";
    public const string InvalidCredentialError = "InvalidCredentialError";
    public const string InvalidClientDeviceAuthTokenError = "InvalidClientDeviceAuthTokenError";
}
