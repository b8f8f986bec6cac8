using Greengrass.Model.Recipes;

namespace Greengrass.Model.Tests.Recipes;

public sealed class ArtifactTests
{
    [Theory]
    [InlineData("s3://bucket/path/to/app.py", "s3", "app.py")]
    [InlineData("S3://bucket/app.zip", "s3", "app.zip")]
    [InlineData("greengrass:EXAMPLE-nucleus/aws.greengrass.nucleus.zip", "greengrass", "aws.greengrass.nucleus.zip")]
    [InlineData("greengrass:lambda-artifact.zip", "greengrass", "lambda-artifact.zip")]
    [InlineData("docker:public.ecr.aws/a1b2c3d4/app:latest", "docker", null)]
    [InlineData("DOCKER:alpine", "docker", null)]
    public void ArtifactUris_SchemeAndFileName_FollowTheUriForm(string uri, string scheme, string? fileName)
    {
        Assert.Equal(scheme, ArtifactUris.SchemeOf(uri));
        Assert.Equal(fileName, ArtifactUris.FileNameOf(uri));
    }

    [Theory]
    [InlineData("no-scheme")]
    [InlineData(":leading-colon")]
    public void ArtifactUris_NoScheme_IsNull(string uri) => Assert.Null(ArtifactUris.SchemeOf(uri));

    [Fact]
    public void ComponentTypes_WireStrings_RoundTrip()
    {
        foreach (var type in Enum.GetValues<ComponentType>())
        {
            Assert.True(ComponentTypes.TryParse(type.ToWireString(), out var parsed));
            Assert.Equal(type, parsed);
        }

        Assert.False(ComponentTypes.TryParse("aws.greengrass.container", out _));
        Assert.False(ComponentTypes.TryParse(null, out _));
        Assert.False(ComponentTypes.TryParse("0", out _));
    }

    [Fact]
    public void ToTree_Manifest_WritesKeysInDocumentedOrder()
    {
        var recipe = CorpusTests.Load("zip-unarchive.yaml");

        var manifest = RecipeWriter.ToTree(recipe)["Manifests"]![0]!.AsObject();
        var artifact = manifest["Artifacts"]![0]!.AsObject();

        Assert.Equal(["Platform", "Lifecycle", "Artifacts"], manifest.Select(p => p.Key));
        Assert.Equal(["URI", "Digest", "Algorithm", "Unarchive", "Permission"], artifact.Select(p => p.Key));
    }
}
