using Greengrass.Nucleus.Secrets;
using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Ipc.Services;

/// <summary>
/// GetSecretValue (§6.6), authorized by the caller's <c>aws.greengrass.SecretManager</c> policies on the secret's ARN
/// (§6.7). As in Greengrass, the secret is resolved first (an unknown one is ResourceNotFoundError for every caller),
/// then authorized. Offered only while SecretManager is deployed (<see cref="ISecretServiceAccess"/>).
/// </summary>
internal sealed class SecretIpcService
{
    public const string AuthorizationService = SecretService.ComponentName;
    private readonly ISecretServiceAccess _access;
    private readonly ILogger _logger;

    public SecretIpcService(ISecretServiceAccess access, ILogger<SecretIpcService> logger)
    {
        _access = access;
        _logger = logger;
    }

    public IEnumerable<IIpcOperationHandler> Operations()
    {
        yield return new IpcOperation<GetSecretValueRequest>("GetSecretValue", GetAsync);
    }

    private async ValueTask<IpcResponse> GetAsync(IpcCall call, GetSecretValueRequest request, CancellationToken ct)
    {
        // Without SecretManager the Java nucleus answers with its default handler for an operation of an absent plugin.
        var deployed = _access.Current ?? throw new IpcServiceException(
            IpcErrors.ServiceError, $"Operation {call.Operation} is not supported by Greengrass: {SecretService.ComponentName} is not deployed");
        try
        {
            var arn = deployed.Service.Resolve(request.SecretId, deployed.CloudSecrets);
            call.Authorize(AuthorizationService, arn);
            SecretLog.Access(_logger, call.Component, request.SecretId!);
            // refresh needs no handling: every request reads the mounted Secret as the kubelet last wrote it.
            var version = await deployed.Service.GetAsync(arn, request.VersionId, request.VersionStage, ct);
            return IpcResponse.Complete(call.ShortName, new GetSecretValueResponse
            {
                SecretId = version.Arn,
                VersionId = version.VersionId,
                VersionStage = version.Stages,
                SecretValue = version.Binary is { } binary ? new SecretValueBody { SecretBinary = binary } : new SecretValueBody { SecretString = version.Text },
            });
        }
        catch (SecretException ex)
        {
            throw new IpcServiceException(ex.Kind == SecretErrorKind.NotFound ? IpcErrors.ResourceNotFoundError : IpcErrors.ServiceError, ex.Message);
        }
    }

    internal sealed class GetSecretValueRequest
    {
        public string? SecretId { get; set; }

        public string? VersionId { get; set; }

        public string? VersionStage { get; set; }

        public bool? Refresh { get; set; }
    }

    internal sealed class GetSecretValueResponse
    {
        public string SecretId { get; set; } = "";

        public string VersionId { get; set; } = "";

        public IReadOnlyList<string> VersionStage { get; set; } = [];

        public SecretValueBody SecretValue { get; set; } = new();
    }

    internal sealed class SecretValueBody
    {
        public string? SecretString { get; set; }

        public byte[]? SecretBinary { get; set; }
    }
}
