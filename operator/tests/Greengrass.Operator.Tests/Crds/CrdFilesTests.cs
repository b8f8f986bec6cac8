using Greengrass.Api;
using Greengrass.Operator.Crds;
using Greengrass.Operator.Tests.Support;
using k8s;
using k8s.Models;

namespace Greengrass.Operator.Tests.Crds;

public sealed class CrdFilesTests
{
    [Fact]
    public void CrdsFolder_MatchesGenerator_OrSaysToRunMakeCrds()
    {
        foreach (var file in GeneratedCrds.Files)
        {
            var path = Path.Combine(RepositoryPaths.Crds, file.FileName);
            Assert.True(File.Exists(path), $"crds/{file.FileName} is missing: run `make crds` and commit the result");
            var committed = File.ReadAllText(path);
            Assert.True(committed == file.Content,
                $"crds/{file.FileName} differs from what the generator produces from operator/Greengrass.Api: run `make crds` and commit the result");
        }
    }

    [Fact]
    public void CrdsFolder_HoldsOneFilePerKindAndNothingElse()
    {
        var expected = GeneratedCrds.Files.Select(f => f.FileName).Order(StringComparer.Ordinal);
        var actual = Directory.EnumerateFileSystemEntries(RepositoryPaths.Crds).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Generator_FindsTheFourKinds()
    {
        var kinds = CrdGenerator.ResourceTypes(typeof(GreengrassApi).Assembly).Select(t => t.Name);
        Assert.Equal(["ClientDevice", "Component", "CoreDevice", "Deployment"], kinds);
    }

    [Fact]
    public void Generator_RunTwice_ProducesIdenticalOutput()
    {
        var again = CrdGenerator.GenerateAll();
        Assert.Equal(GeneratedCrds.Files, again);
    }

    [Theory]
    [MemberData(nameof(GeneratedCrds.FileNames), MemberType = typeof(GeneratedCrds))]
    public void CrdFile_ParsesAsCustomResourceDefinition(string fileName)
    {
        var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(File.ReadAllText(Path.Combine(RepositoryPaths.Crds, fileName)));

        Assert.Equal("apiextensions.k8s.io/v1", crd.ApiVersion);
        Assert.Equal("CustomResourceDefinition", crd.Kind);
        Assert.Equal(GreengrassApi.Group, crd.Spec.Group);
        Assert.Equal($"{crd.Spec.Names.Plural}.{GreengrassApi.Group}", crd.Metadata.Name);
        Assert.Equal($"{GreengrassApi.Group}_{crd.Spec.Names.Plural}.yaml", fileName);
        Assert.Equal("Namespaced", crd.Spec.Scope);
        var version = Assert.Single(crd.Spec.Versions);
        Assert.Equal(GreengrassApi.Version, version.Name);
        Assert.True(version.Served);
        Assert.True(version.Storage);
        Assert.NotNull(version.Subresources?.Status);
        Assert.Equal("object", version.Schema.OpenAPIV3Schema.Type);
        Assert.Contains("spec", version.Schema.OpenAPIV3Schema.Properties.Keys);
        Assert.Contains("status", version.Schema.OpenAPIV3Schema.Properties.Keys);
    }

    [Theory]
    [MemberData(nameof(GeneratedCrds.FileNames), MemberType = typeof(GeneratedCrds))]
    public void CrdFile_StartsWithTheGeneratedHeader(string fileName)
    {
        var content = GeneratedCrds.Files.Single(f => f.FileName == fileName).Content;
        Assert.StartsWith(CrdGenerator.Header, content, StringComparison.Ordinal);
        Assert.DoesNotContain('\r', content);
    }
}
