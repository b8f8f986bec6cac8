namespace Greengrass.Nucleus.Ipc.Services;

/// <summary>
/// ValidateAuthorizationToken (§6.6) as the Java nucleus answers it: only <c>aws.greengrass.StreamManager</c> may ask
/// (no accessControl policy can grant it to anyone else), and a token is valid when it is the SVCUID of a deployed
/// component; an unknown token is an <c>InvalidTokenError</c>, never <c>isValid: false</c>.
/// </summary>
internal sealed class AuthorizationTokenIpcService(IIpcComponentRegistry registry)
{
    public const string StreamManager = "aws.greengrass.StreamManager";
    private const string InvalidTokenError = "InvalidTokenError";

    public IEnumerable<IIpcOperationHandler> Operations()
    {
        yield return new IpcOperation<ValidateTokenRequest>("ValidateAuthorizationToken", Validate);
    }

    private ValueTask<IpcResponse> Validate(IpcCall call, ValidateTokenRequest request, CancellationToken cancellationToken)
    {
        if (call.Component != StreamManager)
        {
            throw new IpcServiceException(IpcErrors.UnauthorizedError, $"{call.Component} is not authorized to perform {call.Operation}");
        }

        if (string.IsNullOrEmpty(request.Token) || registry.ResolveToken(request.Token) is null)
        {
            throw new IpcServiceException(InvalidTokenError, "token: not the token of any component of this nucleus");
        }

        return ValueTask.FromResult(IpcResponse.Complete("ValidateAuthorizationToken", new { isValid = true }));
    }

    internal sealed class ValidateTokenRequest
    {
        public string? Token { get; set; }
    }
}
