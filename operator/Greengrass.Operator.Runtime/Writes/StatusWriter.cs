using System.Net;
using Greengrass.Operator.Runtime.Cache;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Greengrass.Operator.Runtime.Writes;

/// <summary>The outcome of a status write.</summary>
public enum StatusWriteOutcome
{
    /// <summary>The status was replaced.</summary>
    Written,

    /// <summary>The change left the status as it was: nothing was sent.</summary>
    Unchanged,

    /// <summary>The object no longer exists.</summary>
    Gone,
}

/// <summary>
/// The one door for status writes: re-read the object, apply the named change, skip when nothing
/// changed, replace the <c>/status</c> subresource with the read resourceVersion as precondition,
/// and retry on 409 Conflict with a fresh read.
/// </summary>
public sealed class StatusWriter(ResourceClient client)
{
    /// <summary>How many times a conflicting write is retried before the conflict surfaces.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Applies <paramref name="change"/> to a fresh copy of the object's status and writes it if it changed.</summary>
    public async Task<StatusWriteOutcome> UpdateAsync<T, TStatus>(ResourceType type, string? ns, string name, Action<T, TStatus> change,
        CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>, IStatus<TStatus?>
        where TStatus : class, new()
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await client.GetAsync<T>(type, ns, name, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return StatusWriteOutcome.Gone;
            }

            var before = current.Status is null ? string.Empty : KubernetesJson.Serialize(current.Status);
            current.Status ??= new TStatus();
            change(current, current.Status);
            if (KubernetesJson.Serialize(current.Status) == before)
            {
                return StatusWriteOutcome.Unchanged;
            }

            try
            {
                await client.ReplaceAsync(type, ns, name, current, "status", cancellationToken).ConfigureAwait(false);
                return StatusWriteOutcome.Written;
            }
            catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.Conflict && attempt < MaxAttempts)
            {
                // Someone else wrote the object since our read: read again and re-apply the change.
            }
            catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.NotFound)
            {
                return StatusWriteOutcome.Gone;
            }
        }
    }
}
