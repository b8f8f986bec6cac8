using Greengrass.Model.Configuration;
using Greengrass.Model.Recipes;
using Greengrass.Model.Resolution;
using Greengrass.Nucleus.Contracts;
using Greengrass.Planning;

namespace Greengrass.Nucleus.Cli;

/// <summary>
/// One resolved recipe, with its manifest for this host, as a planned component: the shared mapping with the
/// recipe's default configuration and artifact URIs pointing into the local artifact directory.
/// </summary>
internal static class LocalRecipeMapper
{
    public static PlannedComponent ToPlanned(Recipe recipe, PlatformManifest manifest, ResolvedComponent resolved, string? artifactDirectory) =>
        RecipePlanMapper.ToPlanned(recipe, manifest, resolved, a => ArtifactUriOf(a, recipe, artifactDirectory)) with
        {
            Configuration = ConfigurationMerger.Apply(recipe.ComponentConfiguration?.DefaultConfiguration, null, null).Configuration,
        };

    /// <summary>
    /// Local artifacts live in <c>&lt;artifactDir&gt;/&lt;name&gt;/&lt;version&gt;/&lt;file&gt;</c>, the file named by the last
    /// segment of the recipe URI, as with the Greengrass CLI; they are fetched from there as <c>file://</c>.
    /// </summary>
    internal static string ArtifactUriOf(ComponentArtifact artifact, Recipe recipe, string? artifactDirectory)
    {
        var uri = artifact.Uri;
        if (artifactDirectory is null || uri.StartsWith("file:", StringComparison.Ordinal) || uri.StartsWith("http", StringComparison.Ordinal))
        {
            return uri;
        }

        var file = uri[(uri.LastIndexOf('/') + 1)..];
        return new Uri(Path.Combine(Path.GetFullPath(artifactDirectory), recipe.ComponentName, recipe.ComponentVersion, file)).AbsoluteUri;
    }
}
