using System.Security.Cryptography;
using System.Text;
using Greengrass.Model.Platforms;
using Greengrass.Model.Recipes;
using Greengrass.Model.Resolution;
using Greengrass.Nucleus.Contracts;
using Contracts = Greengrass.Nucleus.Contracts;
using ModelRecipes = Greengrass.Model.Recipes;

namespace Greengrass.Planning;

/// <summary>
/// Maps a resolved recipe, with the manifest chosen for the device's platform, to the planned component of a
/// device plan. The operator and the local deployment CLI both build plans with it, so a recipe means the same
/// thing on either path. Pure: no I/O, no reflection.
/// </summary>
/// <remarks>
/// Configuration and <c>runWith</c> are left to the caller: the operator merges each Deployment's update into the
/// defaults, the local CLI starts from the defaults and applies the request's updates itself.
/// </remarks>
public static class RecipePlanMapper
{
    /// <summary>
    /// The parts of a planned component that come from the recipe alone: name, version, type, the lifecycle
    /// selected from <paramref name="manifest"/>, artifacts, dependencies and the recipe digest.
    /// </summary>
    /// <param name="recipe">The recipe of the chosen version.</param>
    /// <param name="manifest">The recipe's manifest chosen for the device's platform.</param>
    /// <param name="resolved">The resolution result for this component; gives the installed dependencies.</param>
    /// <param name="artifactUri">
    /// The URI the device fetches an artifact from; <see langword="null"/> keeps the recipe's URI. The local CLI
    /// passes a function that points into its artifact directory.
    /// </param>
    /// <returns>A planned component with an empty configuration and no <c>runWith</c>.</returns>
    public static PlannedComponent ToPlanned(Recipe recipe, PlatformManifest manifest, ResolvedComponent resolved,
        Func<ComponentArtifact, string>? artifactUri = null)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(resolved);
        return new PlannedComponent
        {
            Name = recipe.ComponentName,
            Version = recipe.ComponentVersion,
            ComponentType = ComponentTypeOf(recipe.EffectiveComponentType),
            Lifecycle = LifecycleOf(LifecycleSelector.Select(recipe, manifest)),
            Artifacts = [.. (manifest.Artifacts ?? []).Select(a => ArtifactOf(a, artifactUri?.Invoke(a) ?? a.Uri))],
            Dependencies = DependenciesOf(resolved),
            RecipeDigest = RecipeDigestOf(recipe),
        };
    }

    /// <summary>The plan's component type for a recipe's component type.</summary>
    /// <param name="type">The recipe's effective component type.</param>
    /// <returns>The same kind in the plan contract.</returns>
    public static Contracts.ComponentType ComponentTypeOf(ModelRecipes.ComponentType type) => type switch
    {
        ModelRecipes.ComponentType.Plugin => Contracts.ComponentType.Plugin,
        ModelRecipes.ComponentType.Nucleus => Contracts.ComponentType.Nucleus,
        ModelRecipes.ComponentType.Lambda => Contracts.ComponentType.Lambda,
        _ => Contracts.ComponentType.Generic,
    };

    /// <summary>A selected recipe lifecycle as the plan's lifecycle; steps the recipe does not define stay null.</summary>
    /// <param name="lifecycle">The lifecycle after manifest and selection-key resolution.</param>
    /// <returns>The plan's lifecycle.</returns>
    public static Contracts.LifecycleDefinition LifecycleOf(ModelRecipes.LifecycleDefinition lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        return new Contracts.LifecycleDefinition
        {
            Setenv = lifecycle.Setenv,
            Bootstrap = StepOf(lifecycle.Bootstrap),
            Install = StepOf(lifecycle.Install),
            Startup = StepOf(lifecycle.Startup),
            Run = StepOf(lifecycle.Run),
            Shutdown = StepOf(lifecycle.Shutdown),
            Recover = StepOf(lifecycle.Recover),
        };
    }

    /// <summary>
    /// One lifecycle step. Absent flags become false; an absent timeout stays null so that the nucleus applies the
    /// per-step default.
    /// </summary>
    /// <param name="step">The recipe's step, or null.</param>
    /// <returns>The plan's step, or null when the recipe has none.</returns>
    public static Contracts.LifecycleStep? StepOf(ModelRecipes.LifecycleStep? step) => step is null ? null : new Contracts.LifecycleStep
    {
        Script = step.Script,
        RequiresPrivilege = step.RequiresPrivilege ?? false,
        SkipIf = step.Skipif,
        TimeoutSeconds = step.Timeout,
        Setenv = step.Setenv,
        BootstrapOnRollback = step.BootstrapOnRollback ?? false,
    };

    /// <summary>One artifact with its effective unarchive mode and permissions, fetched from <paramref name="uri"/>.</summary>
    /// <param name="artifact">The recipe's artifact.</param>
    /// <param name="uri">The URI the device fetches it from (the recipe's, or one the caller rewrote).</param>
    /// <returns>The plan's artifact.</returns>
    public static PlannedArtifact ArtifactOf(ComponentArtifact artifact, string uri)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        ArgumentException.ThrowIfNullOrEmpty(uri);
        return new PlannedArtifact
        {
            Uri = uri,
            Digest = artifact.Digest,
            Algorithm = artifact.Algorithm,
            Unarchive = artifact.EffectiveUnarchive == UnarchiveType.Zip ? ArtifactUnarchive.Zip : ArtifactUnarchive.None,
            // Effective values: the recipe defaults (read OWNER, execute NONE) and "execute implies read" are applied here.
            Permission = new Contracts.ArtifactPermission { Read = AccessOf(artifact.EffectiveRead), Execute = AccessOf(artifact.EffectiveExecute) },
        };
    }

    /// <summary>The plan's access level for a recipe permission level.</summary>
    /// <param name="level">NONE, OWNER or ALL.</param>
    /// <returns>The same level in the plan contract.</returns>
    public static ArtifactAccess AccessOf(PermissionLevel level) => level switch
    {
        PermissionLevel.All => ArtifactAccess.All,
        PermissionLevel.Owner => ArtifactAccess.Owner,
        _ => ArtifactAccess.None,
    };

    /// <summary>The installed dependencies of a resolved component, hard or soft, in resolution order.</summary>
    /// <param name="resolved">The resolution result for one component.</param>
    /// <returns>The plan's dependencies.</returns>
    public static IReadOnlyList<PlannedDependency> DependenciesOf(ResolvedComponent resolved)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        return [.. resolved.Dependencies.Select(d => new PlannedDependency
        {
            Name = d.ComponentName,
            Type = d.Kind == DependencyKind.Soft ? Contracts.DependencyType.Soft : Contracts.DependencyType.Hard,
        })];
    }

    /// <summary>
    /// The recipe digest of the plan: lower-case hex SHA-256 of the recipe written back as JSON, so the nucleus sees
    /// a recipe that changed while its version did not.
    /// </summary>
    /// <param name="recipe">The recipe.</param>
    /// <returns>64 lower-case hex digits.</returns>
    public static string RecipeDigestOf(Recipe recipe) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(RecipeWriter.ToJson(recipe))));
}
