using System.Text.Json;
using Greengrass.Operator.Runtime.Cache;
using k8s;
using k8s.Models;

namespace Greengrass.Operator.Runtime.Writes;

/// <summary>Adds and removes a finalizer with a merge patch guarded by the object's resourceVersion (a 409 means: reconcile again).</summary>
public sealed class FinalizerWriter(ResourceClient client)
{
    /// <summary>Ensures <paramref name="finalizer"/> is present; returns the updated object (or the same one when nothing changed).</summary>
    public Task<T> EnsureAsync<T>(ResourceType type, T obj, string finalizer, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var current = obj.Metadata.Finalizers ?? [];
        return current.Contains(finalizer)
            ? Task.FromResult(obj)
            : PatchAsync(type, obj, [.. current, finalizer], cancellationToken);
    }

    /// <summary>Removes <paramref name="finalizer"/> if present, letting a pending deletion complete.</summary>
    public Task<T> RemoveAsync<T>(ResourceType type, T obj, string finalizer, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var current = obj.Metadata.Finalizers ?? [];
        return !current.Contains(finalizer)
            ? Task.FromResult(obj)
            : PatchAsync(type, obj, [.. current.Where(f => f != finalizer)], cancellationToken);
    }

    private Task<T> PatchAsync<T>(ResourceType type, T obj, List<string> finalizers, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var patch = JsonSerializer.Serialize(new
        {
            metadata = new { resourceVersion = obj.Metadata.ResourceVersion, finalizers },
        });
        return client.MergePatchAsync<T>(type, obj.Metadata.NamespaceProperty, obj.Metadata.Name, patch, null, cancellationToken);
    }
}
