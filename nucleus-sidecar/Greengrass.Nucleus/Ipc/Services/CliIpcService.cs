using System.Globalization;
using Greengrass.Nucleus.Ipc.Authorization;

namespace Greengrass.Nucleus.Ipc.Services;

/// <summary>
/// The local management operations (authz service aws.greengrass.Cli): component queries, restart/stop and
/// local deployments, over <see cref="IIpcComponentManager"/> and <see cref="IIpcLocalDeployments"/>.
/// </summary>
internal sealed class CliIpcService
{
    private readonly IIpcComponentManager _components;
    private readonly IIpcLocalDeployments _deployments;

    public CliIpcService(IIpcComponentManager components, IIpcLocalDeployments deployments)
    {
        _components = components;
        _deployments = deployments;
    }

    public IEnumerable<IIpcOperationHandler> Operations()
    {
        yield return new IpcOperation<ComponentRequest>("GetComponentDetails", GetDetails);
        yield return new IpcOperation<IpcEmptyRequest>("ListComponents", List);
        yield return new IpcOperation<ComponentRequest>("RestartComponent", RestartAsync);
        yield return new IpcOperation<ComponentRequest>("StopComponent", StopAsync);
        yield return new IpcOperation<LocalDeploymentRequest>("CreateLocalDeployment", CreateDeploymentAsync);
        yield return new IpcOperation<DeploymentRequest>("GetLocalDeploymentStatus", GetDeployment);
        yield return new IpcOperation<IpcEmptyRequest>("ListLocalDeployments", ListDeployments);
        yield return new IpcOperation<DeploymentRequest>("CancelLocalDeployment", CancelDeploymentAsync);
    }

    private ValueTask<IpcResponse> GetDetails(IpcCall call, ComponentRequest request, CancellationToken cancellationToken)
    {
        var details = Find(call, request);
        return Done("GetComponentDetails", new { componentDetails = details });
    }

    private ValueTask<IpcResponse> List(IpcCall call, IpcEmptyRequest request, CancellationToken cancellationToken)
    {
        call.Authorize(IpcAuthorizationServices.Cli, "*");
        return Done("ListComponents", new { components = _components.ListComponents() });
    }

    private async ValueTask<IpcResponse> RestartAsync(IpcCall call, ComponentRequest request, CancellationToken cancellationToken)
    {
        var name = Find(call, request).ComponentName;
        var status = await _components.RestartComponentAsync(name, cancellationToken);
        return IpcResponse.Complete("RestartComponent", new { restartStatus = Status(status), message = status.Message });
    }

    private async ValueTask<IpcResponse> StopAsync(IpcCall call, ComponentRequest request, CancellationToken cancellationToken)
    {
        var name = Find(call, request).ComponentName;
        var status = await _components.StopComponentAsync(name, cancellationToken);
        return IpcResponse.Complete("StopComponent", new { stopStatus = Status(status), message = status.Message });
    }

    private async ValueTask<IpcResponse> CreateDeploymentAsync(IpcCall call, LocalDeploymentRequest request, CancellationToken cancellationToken)
    {
        call.Authorize(IpcAuthorizationServices.Cli, "*");
        var id = await _deployments.CreateAsync(request, cancellationToken);
        return IpcResponse.Complete("CreateLocalDeployment", new { deploymentId = id });
    }

    private ValueTask<IpcResponse> GetDeployment(IpcCall call, DeploymentRequest request, CancellationToken cancellationToken)
    {
        var id = IpcJson.Require(request.DeploymentId, "deploymentId");
        call.Authorize(IpcAuthorizationServices.Cli, "*");
        var deployment = _deployments.Get(id) ?? throw IpcServiceException.ResourceNotFound($"Cannot find deployment {id}");
        return Done("GetLocalDeploymentStatus", new { deployment = ToWire(deployment) });
    }

    private async ValueTask<IpcResponse> CancelDeploymentAsync(IpcCall call, DeploymentRequest request, CancellationToken cancellationToken)
    {
        // The model marks the id optional, but the Greengrass CLI service requires a UUID and cancels nothing without one.
        var id = IpcJson.Require(request.DeploymentId, "deploymentId");
        if (!Guid.TryParse(id, out _))
        {
            throw IpcServiceException.InvalidArguments($"deploymentId: '{id}' is not a deployment id (a UUID).");
        }

        call.Authorize(IpcAuthorizationServices.Cli, "*");
        var message = await _deployments.CancelAsync(id, cancellationToken);
        return IpcResponse.Complete("CancelLocalDeployment", new { message });
    }

    private ValueTask<IpcResponse> ListDeployments(IpcCall call, IpcEmptyRequest request, CancellationToken cancellationToken)
    {
        call.Authorize(IpcAuthorizationServices.Cli, "*");
        return Done("ListLocalDeployments", new { localDeployments = _deployments.List().Select(ToWire).ToList() });
    }

    private IpcComponentDetails Find(IpcCall call, ComponentRequest request)
    {
        var name = IpcJson.Require(request.ComponentName, "componentName");
        call.Authorize(IpcAuthorizationServices.Cli, name);
        return _components.GetComponent(name)
            ?? throw new IpcServiceException(IpcErrors.ComponentNotFoundError, $"Component with name {name} not found");
    }

    private static object ToWire(IpcLocalDeployment deployment) => new
    {
        deploymentId = deployment.DeploymentId,
        status = deployment.Status,
        createdOn = deployment.CreatedOn.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        deploymentStatusDetails = deployment.DeploymentStatusDetails,
    };

    private static string Status(IpcRequestStatus status) => status.Succeeded ? "SUCCEEDED" : "FAILED";

    private static ValueTask<IpcResponse> Done<T>(string operation, T body) => ValueTask.FromResult(IpcResponse.Complete(operation, body));

    internal sealed class ComponentRequest
    {
        public string? ComponentName { get; set; }
    }

    internal sealed class DeploymentRequest
    {
        public string? DeploymentId { get; set; }
    }
}
