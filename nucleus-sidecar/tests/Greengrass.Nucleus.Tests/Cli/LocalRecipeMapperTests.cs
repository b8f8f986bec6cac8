using Greengrass.Model.Recipes;
using Greengrass.Model.Resolution;
using Greengrass.Model.Versions;
using Greengrass.Nucleus.Cli;

namespace Greengrass.Nucleus.Tests.Cli;

/// <summary>What the local deployment path adds to the shared recipe mapping: artifact URIs and default configuration.</summary>
public sealed class LocalRecipeMapperTests
{
    private static readonly string ArtifactDirectory = Path.Combine(Path.GetTempPath(), "gg-local-artifacts");

    private static readonly Recipe Recipe = RecipeReader.Parse("""
        RecipeFormatVersion: 2020-01-25
        ComponentName: com.example.Local
        ComponentVersion: 2.0.1
        ComponentConfiguration:
          DefaultConfiguration: { greeting: hello }
        Manifests:
          - Lifecycle: { Run: ./run.sh }
            Artifacts:
              - URI: s3://bucket/path/app.py
                Permission: { Execute: OWNER }
              - URI: file:///opt/shared/lib.so
              - URI: https://example.com/tool.bin
        """);

    private static ResolvedComponent Resolved => new(Recipe.ComponentName, SemanticVersion.Parse("2.0.1"), IsRoot: true, [], ["local"]);

    [Fact]
    public void ToPlanned_WithArtifactDirectory_PointsRecipeUrisIntoItAndKeepsFileAndHttp()
    {
        var plan = LocalRecipeMapper.ToPlanned(Recipe, Recipe.Manifests[0], Resolved, ArtifactDirectory);

        var expected = new Uri(Path.Combine(ArtifactDirectory, "com.example.Local", "2.0.1", "app.py")).AbsoluteUri;
        Assert.Equal([expected, "file:///opt/shared/lib.so", "https://example.com/tool.bin"], plan.Artifacts.Select(a => a.Uri));
        Assert.Equal(Contracts.ArtifactAccess.Owner, plan.Artifacts[0].Permission.Execute);
    }

    [Fact]
    public void ToPlanned_WithoutArtifactDirectory_KeepsRecipeUris()
    {
        var plan = LocalRecipeMapper.ToPlanned(Recipe, Recipe.Manifests[0], Resolved, artifactDirectory: null);

        Assert.Equal("s3://bucket/path/app.py", plan.Artifacts[0].Uri);
    }

    [Fact]
    public void ToPlanned_Configuration_IsTheRecipeDefault()
    {
        var plan = LocalRecipeMapper.ToPlanned(Recipe, Recipe.Manifests[0], Resolved, ArtifactDirectory);

        Assert.Equal("hello", plan.Configuration["greeting"]?.GetValue<string>());
        Assert.Equal("./run.sh", plan.Lifecycle.Run?.Script);
        Assert.NotNull(plan.RecipeDigest);
    }
}
