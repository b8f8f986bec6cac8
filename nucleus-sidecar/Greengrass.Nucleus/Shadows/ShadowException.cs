namespace Greengrass.Nucleus.Shadows;

/// <summary>Why a shadow request failed; the number is the code of the <c>…/rejected</c> message AWS IoT uses.</summary>
internal enum ShadowErrorKind
{
    InvalidArguments = 400,
    Unauthorized = 401,
    NotFound = 404,
    Conflict = 409,
    PayloadTooLarge = 413,
    Internal = 500,
}

/// <summary>A rejected shadow request: the IPC layer maps <see cref="Kind"/> to its error shape.</summary>
internal sealed class ShadowException : Exception
{
    public ShadowException(ShadowErrorKind kind, string message)
        : base(message)
    {
        Kind = kind;
    }

    public ShadowException()
        : this(ShadowErrorKind.Internal, "shadow error")
    {
    }

    public ShadowException(string message)
        : this(ShadowErrorKind.Internal, message)
    {
    }

    public ShadowException(string message, Exception innerException)
        : base(message, innerException)
    {
        Kind = ShadowErrorKind.Internal;
    }

    public ShadowErrorKind Kind { get; }

    /// <summary>The client token of the rejected update, echoed on <c>…/rejected</c> when it could be read.</summary>
    public string? ClientToken { get; init; }

    public static ShadowException Invalid(string message) => new(ShadowErrorKind.InvalidArguments, message);
}
