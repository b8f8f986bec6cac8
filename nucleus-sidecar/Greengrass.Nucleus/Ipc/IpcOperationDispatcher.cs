using System.Text;
using Greengrass.Nucleus.Ipc.EventStream;
using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Ipc;

/// <summary>Routes a call to its operation handler and turns the outcome into the reply frame (§6.5).</summary>
internal sealed class IpcOperationDispatcher
{
    private static readonly byte[] InternalServerError = Encoding.UTF8.GetBytes("InternalServerError");

    // IPC calls by operation and outcome, on the nucleus's /metrics.
    private static readonly Prometheus.Counter Calls = Observability.NucleusMetrics.Factory.CreateCounter(
        "greengrass_nucleus_ipc_calls_total", "IPC calls handled by the nucleus, by operation and result.",
        new Prometheus.CounterConfiguration { LabelNames = ["operation", "result"] });
    private readonly Dictionary<string, IIpcOperationHandler> _handlers;
    private readonly ILogger _logger;

    public IpcOperationDispatcher(IEnumerable<IIpcOperationHandler> handlers, ILogger<IpcOperationDispatcher> logger)
    {
        _handlers = handlers.ToDictionary(h => h.Operation, StringComparer.Ordinal);
        _logger = logger;
    }

    public IReadOnlyCollection<string> Operations => _handlers.Keys;

    /// <summary>Runs the call; returns the reply frame and whether the stream stays open for events.</summary>
    public async ValueTask<(EventStreamMessage Reply, bool KeepOpen)> DispatchAsync(IpcCall call, CancellationToken cancellationToken)
    {
        var streamId = call.Stream.Id;
        if (!_handlers.TryGetValue(call.Operation, out var handler))
        {
            IpcLog.UnsupportedOperation(_logger, call.Operation, call.Component);
            Calls.WithLabels("unknown", "unsupported").Inc(); // the name comes from the client: never a label value
            return (Unsupported(streamId, call.Operation), false);
        }

        try
        {
            var response = await handler.HandleAsync(call, cancellationToken);
            Calls.WithLabels(call.Operation, "ok").Inc();
            var flags = response.KeepOpen ? IpcMessageFlags.None : IpcMessageFlags.TerminateStream;
            var reply = IpcFrames.Application(
                IpcMessageType.ApplicationMessage, streamId, flags, response.Shape, IpcFrames.JsonContentType, response.Payload);
            return (reply, response.KeepOpen);
        }
        catch (IpcServiceException ex)
        {
            Calls.WithLabels(call.Operation, ex.ErrorCode).Inc();
            return (ModelledError(streamId, ex.ErrorCode, ex.Message), false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            IpcLog.OperationFailed(_logger, ex, call.Operation, call.Component);
            Calls.WithLabels(call.Operation, "error").Inc();
            return (Error(streamId, null, IpcFrames.TextContentType, InternalServerError), false);
        }
    }

    /// <summary>A modelled error with the base fields and the model's <c>message</c> member, as the Java nucleus sends.</summary>
    public static EventStreamMessage ModelledError(int streamId, string errorCode, string message)
    {
        var body = new Dictionary<string, string>
        {
            ["_service"] = "aws.greengrass#GreengrassCoreIPC",
            ["_message"] = message,
            ["_errorCode"] = errorCode,
            ["message"] = message,
        };
        return Error(streamId, IpcFrames.ShapePrefix + errorCode, IpcFrames.JsonContentType, IpcJson.Write(body));
    }

    private static EventStreamMessage Unsupported(int streamId, string operation)
    {
        var body = new Dictionary<string, string>
        {
            ["error"] = "Unsupported Operation",
            ["message"] = $"{operation} is an unsupported operation.",
        };
        return Error(streamId, null, IpcFrames.JsonContentType, IpcJson.Write(body));
    }

    private static EventStreamMessage Error(int streamId, string? shape, string contentType, byte[] payload) =>
        IpcFrames.Application(IpcMessageType.ApplicationError, streamId, IpcMessageFlags.TerminateStream, shape, contentType, payload);
}
