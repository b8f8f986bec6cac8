using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Greengrass.Nucleus.Shadows;

namespace Greengrass.Nucleus.Ipc.Services;

/// <summary>
/// GetThingShadow, UpdateThingShadow, DeleteThingShadow and ListNamedShadowsForThing (§6.6), authorized by the
/// caller's <c>aws.greengrass.ShadowManager</c> policies on <c>$aws/things/T/shadow[/name/S]</c> (§6.7). Offered only
/// while ShadowManager is deployed (<see cref="IShadowServiceAccess"/>).
/// </summary>
internal sealed class ShadowIpcService
{
    public const string AuthorizationService = ShadowService.ComponentName;
    private const int DefaultPageSize = 25;
    private const int MaxPageSize = 100;
    private readonly IShadowServiceAccess _access;
    private readonly TimeProvider _time;

    public ShadowIpcService(IShadowServiceAccess access, TimeProvider time)
    {
        _access = access;
        _time = time;
    }

    public IEnumerable<IIpcOperationHandler> Operations()
    {
        yield return new IpcOperation<ShadowRequest>("GetThingShadow", (call, request, ct) =>
            RunAsync(call, request, ShadowOperation.Get, (service, thing, shadow) => service.GetAsync(thing, shadow, ct)));
        yield return new IpcOperation<ShadowRequest>("UpdateThingShadow", (call, request, ct) =>
            RunAsync(call, request, ShadowOperation.Update, (service, thing, shadow) => service.UpdateAsync(thing, shadow, request.Payload, ct)));
        yield return new IpcOperation<ShadowRequest>("DeleteThingShadow", (call, request, ct) =>
            RunAsync(call, request, ShadowOperation.Delete, (service, thing, shadow) => service.DeleteAsync(thing, shadow, ct)));
        yield return new IpcOperation<ListNamedShadowsRequest>("ListNamedShadowsForThing", ListAsync);
    }

    // Without ShadowManager the Java nucleus answers with its default handler for an operation of an absent plugin.
    private ShadowService Service(IpcCall call) => _access.Current ?? throw new IpcServiceException(
        IpcErrors.ServiceError, $"Operation {call.Operation} is not supported by Greengrass: {ShadowService.ComponentName} is not deployed");

    private async ValueTask<IpcResponse> RunAsync(
        IpcCall call, ShadowRequest request, ShadowOperation operation, Func<ShadowService, string, string, Task<byte[]>> run)
    {
        var service = Service(call);
        var thing = request.ThingName;
        var shadow = request.ShadowName ?? "";
        Validate(() =>
        {
            ShadowRules.ValidateThingName(thing);
            ShadowRules.ValidateShadowName(shadow);
        });
        if (operation == ShadowOperation.Update && request.Payload is not { Length: > 0 })
        {
            throw Rejected(service, thing!, shadow, operation, new ShadowException(ShadowErrorKind.InvalidArguments, "payload is required"));
        }

        try
        {
            call.Authorize(AuthorizationService, ShadowService.ShadowTopic(thing!, shadow));
        }
        catch (IpcServiceException ex)
        {
            service.PublishRejected(thing!, shadow, operation, ShadowErrorKind.Unauthorized, ex.Message, null);
            throw;
        }

        try
        {
            var payload = await run(service, thing!, shadow);
            return IpcResponse.Complete(call.ShortName, new ShadowResponse { Payload = payload });
        }
        catch (ShadowException ex)
        {
            throw Rejected(service, thing!, shadow, operation, ex);
        }
    }

    private async ValueTask<IpcResponse> ListAsync(IpcCall call, ListNamedShadowsRequest request, CancellationToken ct)
    {
        var service = Service(call);
        var thing = request.ThingName;
        Validate(() => ShadowRules.ValidateThingName(thing));
        call.Authorize(AuthorizationService, ShadowService.ShadowTopic(thing!, null));
        var pageSize = request.PageSize ?? DefaultPageSize;
        if (pageSize is < 1 or > MaxPageSize)
        {
            throw IpcServiceException.InvalidArguments($"pageSize argument must be between 1 and {MaxPageSize}");
        }

        var offset = string.IsNullOrEmpty(request.NextToken) ? 0 : DecodeToken(request.NextToken, call.Component, thing!);
        var results = await service.ListNamedAsync(thing!, offset, pageSize, ct);
        return IpcResponse.Complete(call.ShortName, new ListNamedShadowsResponse
        {
            Results = results,
            Timestamp = _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0,
            NextToken = results.Count == pageSize ? EncodeToken(offset + pageSize, call.Component, thing!) : null,
        });
    }

    private static void Validate(Action validate)
    {
        try
        {
            validate();
        }
        catch (ShadowException ex)
        {
            throw IpcServiceException.InvalidArguments(ex.Message);
        }
    }

    private static IpcServiceException Rejected(ShadowService service, string thing, string shadow, ShadowOperation operation, ShadowException ex)
    {
        service.PublishRejected(thing, shadow, operation, ex.Kind, ex.Message, ex.ClientToken);
        var code = ex.Kind switch
        {
            ShadowErrorKind.InvalidArguments or ShadowErrorKind.PayloadTooLarge => IpcErrors.InvalidArgumentsError,
            ShadowErrorKind.NotFound => IpcErrors.ResourceNotFoundError,
            ShadowErrorKind.Conflict => IpcErrors.ConflictError,
            ShadowErrorKind.Unauthorized => IpcErrors.UnauthorizedError,
            _ => IpcErrors.ServiceError,
        };
        return new IpcServiceException(code, ex.Message);
    }

    // The token is bound to the caller and the thing, like ShadowManager's, so it cannot be replayed for another listing.
    private static string EncodeToken(int offset, string component, string thing) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{offset.ToString(CultureInfo.InvariantCulture)}:{Binding(component, thing)}"));

    private static int DecodeToken(string token, string component, string thing)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split(':');
            if (parts.Length == 2 && parts[1] == Binding(component, thing)
                && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            {
                return offset;
            }
        }
        catch (FormatException)
        {
            // falls through to the error below
        }

        throw IpcServiceException.InvalidArguments("Invalid nextToken argument");
    }

    private static string Binding(string component, string thing) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(component + "\n" + thing)).AsSpan(0, 8));

    internal sealed class ShadowRequest
    {
        public string? ThingName { get; set; }

        public string? ShadowName { get; set; }

        public byte[]? Payload { get; set; }
    }

    internal sealed class ShadowResponse
    {
        public byte[]? Payload { get; set; }
    }

    internal sealed class ListNamedShadowsRequest
    {
        public string? ThingName { get; set; }

        public string? NextToken { get; set; }

        public int? PageSize { get; set; }
    }

    internal sealed class ListNamedShadowsResponse
    {
        public IReadOnlyList<string> Results { get; set; } = [];

        public double Timestamp { get; set; }

        public string? NextToken { get; set; }
    }
}
