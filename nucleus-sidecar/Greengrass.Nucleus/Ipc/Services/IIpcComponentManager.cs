using System.Text.Json.Nodes;

namespace Greengrass.Nucleus.Ipc.Services;

/// <summary>One component as the CLI operations report it.</summary>
internal sealed record IpcComponentDetails(string ComponentName, string Version, string State, JsonObject? Configuration = null);

/// <summary>Result of RestartComponent / StopComponent.</summary>
internal sealed record IpcRequestStatus(bool Succeeded, string? Message = null);

/// <summary>Component queries and commands behind the CLI operations; the supervisor implements it.</summary>
internal interface IIpcComponentManager
{
    IReadOnlyList<IpcComponentDetails> ListComponents();

    IpcComponentDetails? GetComponent(string componentName);

    ValueTask<IpcRequestStatus> RestartComponentAsync(string componentName, CancellationToken cancellationToken);

    ValueTask<IpcRequestStatus> StopComponentAsync(string componentName, CancellationToken cancellationToken);
}

/// <summary>A local deployment request (CreateLocalDeployment), as the client sent it.</summary>
internal sealed class LocalDeploymentRequest
{
    public string? GroupName { get; set; }

    public Dictionary<string, string>? RootComponentVersionsToAdd { get; set; }

    public List<string>? RootComponentsToRemove { get; set; }

    public Dictionary<string, JsonObject>? ComponentToConfiguration { get; set; }

    public Dictionary<string, JsonObject>? ComponentToRunWithInfo { get; set; }

    public string? RecipeDirectoryPath { get; set; }

    public string? ArtifactsDirectoryPath { get; set; }

    public string? FailureHandlingPolicy { get; set; }
}

/// <summary>A local deployment's state: status is QUEUED, IN_PROGRESS, SUCCEEDED, FAILED or CANCELED.</summary>
internal sealed record IpcLocalDeployment(string DeploymentId, string Status, DateTimeOffset CreatedOn, JsonObject? DeploymentStatusDetails = null);

/// <summary>Local deployments behind the CLI operations; the deployment service implements it.</summary>
internal interface IIpcLocalDeployments
{
    /// <summary>Queues a deployment; returns its id. Throws <see cref="IpcServiceException"/> for a bad request.</summary>
    ValueTask<string> CreateAsync(LocalDeploymentRequest request, CancellationToken cancellationToken);

    IpcLocalDeployment? Get(string deploymentId);

    /// <summary>
    /// Cancels a local deployment that is queued, or in progress and not yet changing the device; returns the answer's
    /// message. Throws <see cref="IpcServiceException"/> (ResourceNotFoundError) for an id of no local deployment.
    /// </summary>
    ValueTask<string> CancelAsync(string deploymentId, CancellationToken cancellationToken);

    IReadOnlyList<IpcLocalDeployment> List();
}
