using System.Text;
using Greengrass.Nucleus.Observability;

namespace Greengrass.Nucleus.Ipc.Services;

/// <summary>
/// PutComponentMetric (§6.6) as the Java nucleus answers it: only components whose name starts with <c>aws.</c> and
/// whose accessControl grants <c>aws.greengrass.ipc.componentmetric</c> on resource <c>*</c> may put metrics; every
/// metric needs a name of 1..32 UTF-8 bytes, a known unit and a value that is not negative, or nothing is recorded.
/// </summary>
internal sealed class ComponentMetricIpcService(ComponentMetrics metrics)
{
    public const string AuthorizationService = "aws.greengrass.ipc.componentmetric";
    private const int MaxNameBytes = 32;

    // Units are matched as the Java nucleus does: case-insensitively, ignoring everything but letters and digits.
    private static readonly Dictionary<string, string> Units = new(StringComparer.OrdinalIgnoreCase)
    {
        ["BYTES"] = "BYTES",
        ["BYTESPERSECOND"] = "BYTES_PER_SECOND",
        ["COUNT"] = "COUNT",
        ["COUNTPERSECOND"] = "COUNT_PER_SECOND",
        ["MEGABYTES"] = "MEGABYTES",
        ["SECONDS"] = "SECONDS",
    };

    public IEnumerable<IIpcOperationHandler> Operations()
    {
        yield return new IpcOperation<PutComponentMetricRequest>("PutComponentMetric", Put);
    }

    private ValueTask<IpcResponse> Put(IpcCall call, PutComponentMetricRequest request, CancellationToken cancellationToken)
    {
        call.Authorize(AuthorizationService, "*");
        if (!call.Component.StartsWith("aws.", StringComparison.Ordinal))
        {
            throw new IpcServiceException(IpcErrors.UnauthorizedError, $"Principal {call.Component} is not authorized to perform {AuthorizationService}:PutComponentMetric: only aws.* components may");
        }

        if (request.Metrics is not { Count: > 0 } list)
        {
            throw IpcServiceException.InvalidArguments("metrics must hold at least one metric");
        }

        var accepted = list.Select((metric, index) => Validate(metric, index)).ToList();
        foreach (var (name, unit, value) in accepted)
        {
            metrics.Put(call.Component, name, unit, value);
        }

        return ValueTask.FromResult(IpcResponse.Complete("PutComponentMetric", IpcEmptyResponse.Instance));
    }

    private static (string Name, string Unit, double Value) Validate(Metric? metric, int index)
    {
        var name = metric?.Name;
        if (string.IsNullOrEmpty(name) || Encoding.UTF8.GetByteCount(name) > MaxNameBytes)
        {
            throw IpcServiceException.InvalidArguments($"metrics[{index}].name must be 1 to {MaxNameBytes} UTF-8 bytes");
        }

        var unitKey = new string((metric!.Unit ?? string.Empty).Where(char.IsAsciiLetterOrDigit).ToArray());
        if (!Units.TryGetValue(unitKey, out var unit))
        {
            throw IpcServiceException.InvalidArguments($"metrics[{index}].unit '{metric.Unit}' is not one of {string.Join(", ", Units.Values)}");
        }

        if (metric.Value is not { } value || !double.IsFinite(value) || value < 0)
        {
            throw IpcServiceException.InvalidArguments($"metrics[{index}].value must be a number that is not negative");
        }

        return (name, unit, value);
    }

    internal sealed class PutComponentMetricRequest
    {
        public List<Metric?>? Metrics { get; set; }
    }

    internal sealed class Metric
    {
        public string? Name { get; set; }

        public string? Unit { get; set; }

        public double? Value { get; set; }
    }
}
