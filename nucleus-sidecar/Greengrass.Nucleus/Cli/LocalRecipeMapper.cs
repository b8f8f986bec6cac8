using Greengrass.Model.Configuration;
using Greengrass.Model.Platforms;
using Greengrass.Model.Recipes;
using Greengrass.Model.Resolution;
using Greengrass.Nucleus.Contracts;
using ModelRecipes = Greengrass.Model.Recipes;

namespace Greengrass.Nucleus.Cli;

/// <summary>One resolved recipe, with its manifest for this host, as a planned component.</summary>
internal static class LocalRecipeMapper
{
    public static PlannedComponent ToPlanned(Recipe recipe, PlatformManifest manifest, ResolvedComponent resolved, string? artifactDirectory) => new()
    {
        Name = recipe.ComponentName,
        Version = recipe.ComponentVersion,
        ComponentType = recipe.EffectiveComponentType switch
        {
            ModelRecipes.ComponentType.Plugin => Contracts.ComponentType.Plugin,
            ModelRecipes.ComponentType.Nucleus => Contracts.ComponentType.Nucleus,
            ModelRecipes.ComponentType.Lambda => Contracts.ComponentType.Lambda,
            _ => Contracts.ComponentType.Generic,
        },
        Lifecycle = LifecycleOf(LifecycleSelector.Select(recipe, manifest)),
        Artifacts = [.. (manifest.Artifacts ?? []).Select(a => ArtifactOf(a, recipe, artifactDirectory))],
        Configuration = ConfigurationMerger.Apply(recipe.ComponentConfiguration?.DefaultConfiguration, null, null).Configuration,
        Dependencies = [.. resolved.Dependencies.Select(d => new PlannedDependency
        {
            Name = d.ComponentName,
            Type = d.Kind == DependencyKind.Soft ? Contracts.DependencyType.Soft : Contracts.DependencyType.Hard,
        })],
        RecipeDigest = LocalDeploymentBuilder.Hash(RecipeWriter.ToJson(recipe)),
    };

    private static Contracts.LifecycleDefinition LifecycleOf(ModelRecipes.LifecycleDefinition lifecycle) => new()
    {
        Setenv = lifecycle.Setenv,
        Bootstrap = StepOf(lifecycle.Bootstrap),
        Install = StepOf(lifecycle.Install),
        Startup = StepOf(lifecycle.Startup),
        Run = StepOf(lifecycle.Run),
        Shutdown = StepOf(lifecycle.Shutdown),
        Recover = StepOf(lifecycle.Recover),
    };

    private static Contracts.LifecycleStep? StepOf(ModelRecipes.LifecycleStep? step) => step is null ? null : new Contracts.LifecycleStep
    {
        Script = step.Script,
        RequiresPrivilege = step.RequiresPrivilege ?? false,
        SkipIf = step.Skipif,
        TimeoutSeconds = step.Timeout,
        Setenv = step.Setenv,
        BootstrapOnRollback = step.BootstrapOnRollback ?? false,
    };

    /// <summary>
    /// Local artifacts live in <c>&lt;artifactDir&gt;/&lt;name&gt;/&lt;version&gt;/&lt;file&gt;</c>, the file named by the last
    /// segment of the recipe URI, as with the Greengrass CLI; they are fetched from there as <c>file://</c>.
    /// </summary>
    private static PlannedArtifact ArtifactOf(ComponentArtifact artifact, Recipe recipe, string? artifactDirectory)
    {
        var uri = artifact.Uri;
        if (artifactDirectory is not null && !uri.StartsWith("file:", StringComparison.Ordinal) && !uri.StartsWith("http", StringComparison.Ordinal))
        {
            var file = uri[(uri.LastIndexOf('/') + 1)..];
            uri = new Uri(Path.Combine(Path.GetFullPath(artifactDirectory), recipe.ComponentName, recipe.ComponentVersion, file)).AbsoluteUri;
        }

        return new PlannedArtifact
        {
            Uri = uri,
            Digest = artifact.Digest,
            Algorithm = artifact.Algorithm,
            Unarchive = artifact.EffectiveUnarchive == UnarchiveType.Zip ? ArtifactUnarchive.Zip : ArtifactUnarchive.None,
            Permission = new Contracts.ArtifactPermission
            {
                Read = artifact.EffectiveRead switch { PermissionLevel.All => ArtifactAccess.All, PermissionLevel.Owner => ArtifactAccess.Owner, _ => ArtifactAccess.None },
                Execute = artifact.EffectiveExecute switch { PermissionLevel.All => ArtifactAccess.All, PermissionLevel.Owner => ArtifactAccess.Owner, _ => ArtifactAccess.None },
            },
        };
    }
}
