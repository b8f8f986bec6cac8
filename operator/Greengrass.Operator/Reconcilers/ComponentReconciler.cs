using Greengrass.Api;
using Greengrass.Model.Recipes;
using Greengrass.Operator.Components;
using Greengrass.Operator.Runtime;
using Greengrass.Operator.Runtime.Cache;
using Greengrass.Operator.Runtime.Controllers;
using Greengrass.Operator.Runtime.Writes;

namespace Greengrass.Operator.Reconcilers;

/// <summary>
/// Reconciles one Component: validates its recipe with the Greengrass rules beyond what the schema
/// can say (Ready or RecipeInvalid naming the field), lists the Deployments that use it and the
/// artifact digests it declares.
/// </summary>
internal sealed class ComponentReconciler(ClusterState state, ResourceClient client, StatusWriter statusWriter, TimeProvider time)
    : IReconciler<ResourceKey>
{
    public async Task<ReconcileResult> ReconcileAsync(ResourceKey key, CancellationToken cancellationToken)
    {
        var component = await client.GetAsync<Component>(ResourceTypes.Components, key.Namespace, key.Name, cancellationToken);
        if (component is null)
        {
            return ReconcileResult.Done;
        }

        string? error = null;
        Recipe? recipe = null;
        try
        {
            recipe = ComponentRecipeMapper.ToRecipe(component.Spec, $"{key}");
        }
        catch (RecipeException ex)
        {
            error = string.Join("; ", ex.Errors.Select(e => $"{e.Path}: {e.Message}"));
        }

        var usedBy = state.Deployments.List()
            .Where(d => d.Metadata.NamespaceProperty == key.Namespace
                && d.Spec.Components?.TryGetValue(component.Spec.ComponentName, out var entry) == true && entry.Version == component.Spec.ComponentVersion)
            .Select(d => d.Metadata.Name)
            .Order(StringComparer.Ordinal)
            .ToList();

        await statusWriter.UpdateAsync<Component, ComponentStatus>(ResourceTypes.Components, key.Namespace, key.Name, (fresh, status) =>
        {
            var generation = fresh.Metadata.Generation;
            status.ObservedGeneration = generation;
            status.UsedBy = usedBy.Count == 0 ? null : usedBy;
            status.Artifacts = recipe is null ? null : [.. recipe.Manifests.SelectMany(m => m.Artifacts ?? [])
                .Where(a => a.Digest is not null)
                .Select(a => new ArtifactDigest { Uri = a.Uri, Algorithm = a.Algorithm, Digest = a.Digest })
                .DistinctBy(a => a.Uri)];
            status.Conditions ??= [];
            var now = time.GetUtcNow();
            if (error is null)
            {
                Conditions.Set(status.Conditions, ConditionTypes.Ready, ConditionStatuses.True, ConditionReasons.Succeeded, "the recipe is valid", generation, now);
                Conditions.Remove(status.Conditions, ConditionTypes.Stalled);
            }
            else
            {
                Conditions.Set(status.Conditions, ConditionTypes.Ready, ConditionStatuses.False, ConditionReasons.RecipeInvalid, error, generation, now);
                Conditions.Set(status.Conditions, ConditionTypes.Stalled, ConditionStatuses.True, ConditionReasons.RecipeInvalid, error, generation, now);
            }
        }, cancellationToken);
        return ReconcileResult.Done;
    }
}
