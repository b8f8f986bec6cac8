using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Greengrass.Operator.Runtime.Writes;

/// <summary>
/// Records core/v1 Events about objects. A repeat of the same (object, type, reason, message) within
/// the aggregation window bumps the existing Event's count instead of creating a new one, as
/// client-go's correlator does. Failures to record are logged, never thrown: events are best effort.
/// </summary>
public sealed partial class EventRecorder(IKubernetes client, string component, ILogger logger, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (string Name, string Namespace, int Count, DateTimeOffset First)> _seen = new();

    /// <summary>Repeats within this window are aggregated. Default 10 minutes.</summary>
    public TimeSpan AggregationWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Records a Normal event.</summary>
    public Task NormalAsync(IKubernetesObject<V1ObjectMeta> obj, string reason, string message, CancellationToken cancellationToken) =>
        RecordAsync(obj, "Normal", reason, message, cancellationToken);

    /// <summary>Records a Warning event.</summary>
    public Task WarningAsync(IKubernetesObject<V1ObjectMeta> obj, string reason, string message, CancellationToken cancellationToken) =>
        RecordAsync(obj, "Warning", reason, message, cancellationToken);

    private async Task RecordAsync(IKubernetesObject<V1ObjectMeta> obj, string type, string reason, string message, CancellationToken cancellationToken)
    {
        var ns = obj.Metadata.NamespaceProperty ?? "default";
        var key = $"{obj.Metadata.Uid}|{type}|{reason}|{message}";
        var now = time.GetUtcNow();
        try
        {
            if (_seen.TryGetValue(key, out var seen) && now - seen.First < AggregationWindow)
            {
                var count = seen.Count + 1;
                var patch = new V1Patch($$"""{"count":{{count}},"lastTimestamp":"{{now.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}}"}""", V1Patch.PatchType.MergePatch);
                await client.CoreV1.PatchNamespacedEventAsync(patch, seen.Name, seen.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
                _seen[key] = seen with { Count = count };
                return;
            }

            var created = await client.CoreV1.CreateNamespacedEventAsync(new Corev1Event
            {
                Metadata = new V1ObjectMeta { GenerateName = $"{obj.Metadata.Name}.", NamespaceProperty = ns },
                InvolvedObject = new V1ObjectReference
                {
                    ApiVersion = obj.ApiVersion, Kind = obj.Kind, Name = obj.Metadata.Name, NamespaceProperty = obj.Metadata.NamespaceProperty,
                    Uid = obj.Metadata.Uid, ResourceVersion = obj.Metadata.ResourceVersion,
                },
                Type = type, Reason = reason, Message = message, Count = 1,
                FirstTimestamp = now.UtcDateTime, LastTimestamp = now.UtcDateTime,
                Source = new V1EventSource { Component = component },
                ReportingComponent = component,
            }, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            _seen[key] = (created.Metadata.Name, ns, 1, now);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogEventFailed(logger, ex, reason, obj.Metadata.Name);
        }
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Could not record event {Reason} for {Name}")]
    private static partial void LogEventFailed(ILogger logger, Exception exception, string reason, string name);
}
