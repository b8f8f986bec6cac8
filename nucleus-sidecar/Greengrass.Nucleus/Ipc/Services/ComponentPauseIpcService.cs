using Greengrass.Nucleus.Ipc.Authorization;

namespace Greengrass.Nucleus.Ipc.Services;

/// <summary>Why a pause or resume was refused.</summary>
internal enum PauseRefusal
{
    None,
    NotFound,
    NotGeneric,
    NotRunning,
    NotPaused,
}

/// <summary>Freezes and thaws a component's whole process tree; the supervisor implements it.</summary>
internal interface IIpcComponentPauser
{
    /// <summary>Pauses (<paramref name="pause"/>) or resumes <paramref name="componentName"/>; says why not when refused.</summary>
    ValueTask<PauseRefusal> SetPausedAsync(string componentName, bool pause, CancellationToken cancellationToken);
}

/// <summary>
/// PauseComponent and ResumeComponent (§6.6): authorized on <c>aws.greengrass.ipc.lifecycle</c> with the target
/// component's name as the resource; only a RUNNING generic component can be paused, only a paused one resumed.
/// </summary>
internal sealed class ComponentPauseIpcService(IIpcComponentPauser? pauser = null)
{
    public IEnumerable<IIpcOperationHandler> Operations()
    {
        yield return new IpcOperation<PauseRequest>("PauseComponent", (call, request, ct) => SetAsync("PauseComponent", call, request, pause: true, ct));
        yield return new IpcOperation<PauseRequest>("ResumeComponent", (call, request, ct) => SetAsync("ResumeComponent", call, request, pause: false, ct));
    }

    private async ValueTask<IpcResponse> SetAsync(string operation, IpcCall call, PauseRequest request, bool pause, CancellationToken ct)
    {
        var name = IpcJson.Require(request.ComponentName, "componentName");
        call.Authorize(IpcAuthorizationServices.Lifecycle, name);
        if (!OperatingSystem.IsLinux())
        {
            throw new IpcServiceException(IpcErrors.ServiceError, "Pause/resume component not supported on this platform.");
        }

        if (pauser is null)
        {
            throw new IpcServiceException(IpcErrors.ServiceError, $"{operation} is not available on this nucleus");
        }

        var refusal = await pauser.SetPausedAsync(name, pause, ct);
        return refusal switch
        {
            PauseRefusal.None => IpcResponse.Complete(operation, IpcEmptyResponse.Instance),
            // The Java nucleus's wording, so clients that match on it keep working.
            PauseRefusal.NotFound => throw IpcServiceException.ResourceNotFound($"Component {name} not found"),
            PauseRefusal.NotGeneric => throw IpcServiceException.InvalidArguments($"Only generic components can be {(pause ? "paused" : "resumed")}."),
            PauseRefusal.NotRunning => throw IpcServiceException.InvalidArguments($"Component {name} is not running"),
            _ => throw IpcServiceException.InvalidArguments($"Component {name} is not paused"),
        };
    }

    internal sealed class PauseRequest
    {
        public string? ComponentName { get; set; }
    }
}
