namespace Greengrass.Nucleus.Secrets;

/// <summary>Why a secret could not be served.</summary>
internal enum SecretErrorKind
{
    /// <summary>A bad request (no secretId, both versionId and versionStage); Greengrass answers 400, a ServiceError over IPC.</summary>
    InvalidRequest,

    /// <summary>No such secret, version or stage on the device; ResourceNotFoundError over IPC.</summary>
    NotFound,

    /// <summary>The secret is known but its mounted Secret cannot be read; ServiceError over IPC.</summary>
    Unavailable,
}

/// <summary>A secret request that failed. The message names the secret and the reason, never a value.</summary>
internal sealed class SecretException : Exception
{
    public SecretException(SecretErrorKind kind, string message)
        : base(message)
    {
        Kind = kind;
    }

    public SecretException()
        : this(SecretErrorKind.Unavailable, "secret unavailable")
    {
    }

    public SecretException(string message)
        : this(SecretErrorKind.Unavailable, message)
    {
    }

    public SecretException(string message, Exception innerException)
        : base(message, innerException)
    {
        Kind = SecretErrorKind.Unavailable;
    }

    public SecretErrorKind Kind { get; }
}
