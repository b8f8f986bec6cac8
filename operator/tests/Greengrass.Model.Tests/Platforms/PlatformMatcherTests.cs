using Greengrass.Model.Platforms;
using Greengrass.Model.Recipes;
using Greengrass.Model.Tests.Recipes;

namespace Greengrass.Model.Tests.Platforms;

public sealed class PlatformMatcherTests
{
    [Theory]
    [InlineData("os", "*", null, true)]
    [InlineData("os", null, null, true)]
    [InlineData("runtime", "*", null, true)]
    [InlineData("os", "linux", null, false)]
    [InlineData("os", "linux", "", false)]
    [InlineData("os", "linux", "linux", true)]
    [InlineData("os", "Linux", "linux", false)]
    [InlineData("os", "linux", "Linux", false)]
    [InlineData("os", "/linux|darwin/", "darwin", true)]
    [InlineData("os", "/linux|darwin/", "windows", false)]
    [InlineData("os", "/lin/", "linux", false)]
    [InlineData("os", "/lin.*/", "linux", true)]
    [InlineData("architecture", "/arm.*/", "aarch64", false)]
    [InlineData("architecture.detail", "/armv[67]l/", "armv7l", true)]
    [InlineData("os", "//", "linux", false)]
    [InlineData("os", "all", "windows", true)]
    [InlineData("os", "any", "darwin", true)]
    [InlineData("architecture", "all", "arm", true)]
    [InlineData("architecture", "any", "x86", true)]
    [InlineData("os", "all", null, false)]
    [InlineData("runtime", "all", "aws_nucleus_lite", false)]
    [InlineData("architecture.detail", "any", "armv7l", false)]
    [InlineData("os", "_linux", "_linux", false)]
    [InlineData("os", "/", "/", false)]
    [InlineData("os", "", "", false)]
    [InlineData("runtime", "aws_nucleus_lite", "aws_nucleus_lite", true)]
    public void MatchesValue_Table(string key, string? template, string? device, bool expected) =>
        Assert.Equal(expected, PlatformMatcher.MatchesValue(key, template, device));

    [Theory]
    [InlineData("linux", "arm", "armv7l", 0)]
    [InlineData("linux", "arm", "armv6l", 1)]
    [InlineData("linux", "aarch64", null, 2)]
    [InlineData("linux", "aarch64", "armv8l", 2)]
    [InlineData("linux", "arm", null, -1)]
    [InlineData("linux", "amd64", null, -1)]
    [InlineData("windows", "arm", "armv7l", -1)]
    public void SelectManifest_ArchitectureDetail_PicksTheBuildForTheVariant(string os, string arch, string? detail, int expected)
    {
        var recipe = CorpusTests.Load("architecture-detail.yaml");

        var manifest = PlatformMatcher.SelectManifest(recipe, DevicePlatform.Create(os, arch, detail));

        Assert.Equal(expected, manifest is null ? -1 : IndexOf(recipe, manifest));
    }

    [Theory]
    [InlineData("linux", "amd64", "unix-64")]
    [InlineData("darwin", "aarch64", "unix-64")]
    [InlineData("linux", "arm", "everything-else")]
    [InlineData("windows", "amd64", "everything-else")]
    public void SelectManifest_RegexPlatform_FallsBackToWildcard(string os, string arch, string expected)
    {
        var recipe = CorpusTests.Load("regex-platform.yaml");

        Assert.Equal(expected, PlatformMatcher.SelectManifest(recipe, DevicePlatform.Create(os, arch))!.Name);
    }

    [Fact]
    public void SelectManifest_SeveralMatches_FirstInListOrderWins()
    {
        var recipe = CorpusTests.Load("empty-platform-catchall.yaml");

        Assert.Same(recipe.Manifests[0], PlatformMatcher.SelectManifest(recipe, DevicePlatform.Create("linux", "amd64")));
        Assert.Same(recipe.Manifests[1], PlatformMatcher.SelectManifest(recipe, DevicePlatform.Create("linux", "aarch64")));
        Assert.Same(recipe.Manifests[1], PlatformMatcher.SelectManifest(recipe, DevicePlatform.Create("windows", "amd64")));
    }

    [Fact]
    public void SelectManifest_RuntimeAttribute_OnlyLiteDevicesTakeTheLiteBuild()
    {
        var recipe = CorpusTests.Load("lite-runtime.yaml");
        var java = DevicePlatform.Create("linux", "amd64");
        var lite = DevicePlatform.Create("linux", "amd64", extra: new Dictionary<string, string> { ["runtime"] = "aws_nucleus_lite" });

        Assert.Same(recipe.Manifests[1], PlatformMatcher.SelectManifest(recipe, java));
        Assert.Same(recipe.Manifests[0], PlatformMatcher.SelectManifest(recipe, lite));
    }

    [Fact]
    public void SelectManifest_ExtraAttributeRequired_MatchesOnlyDevicesThatHaveIt()
    {
        var recipe = CorpusTests.Load("edge-inference-selections.yaml");
        var jetson = DevicePlatform.Create("linux", "aarch64", extra: new Dictionary<string, string> { ["accelerator"] = "cuda" });

        Assert.Equal("jetson", PlatformMatcher.SelectManifest(recipe, jetson)!.Name);
        Assert.Equal("generic-linux", PlatformMatcher.SelectManifest(recipe, DevicePlatform.Create("linux", "aarch64"))!.Name);
        Assert.Null(PlatformMatcher.SelectManifest(recipe, DevicePlatform.Create("windows", "amd64")));
    }

    [Fact]
    public void SelectManifest_LegacyAllAny_MatchesEveryOsAndArchitecture()
    {
        var recipe = CorpusTests.Load("legacy-all-any.yaml");

        Assert.NotNull(PlatformMatcher.SelectManifest(recipe, DevicePlatform.Create("windows", "x86")));
        Assert.NotNull(PlatformMatcher.SelectManifest(recipe, DevicePlatform.Create("darwin", "aarch64")));
    }

    [Fact]
    public void Matches_EmptyOrAbsentTemplate_MatchesEverything()
    {
        var device = DevicePlatform.Create("linux", "amd64");

        Assert.True(PlatformMatcher.Matches(null, device));
        Assert.True(PlatformMatcher.Matches(new Dictionary<string, string?>(), device));
        Assert.True(PlatformMatcher.Matches(new Dictionary<string, string?> { ["os"] = "linux", ["color"] = null }, device));
        Assert.False(PlatformMatcher.Matches(new Dictionary<string, string?> { ["os"] = "linux", ["color"] = "blue" }, device));
    }

    private static int IndexOf(Recipe recipe, PlatformManifest manifest)
    {
        for (var i = 0; i < recipe.Manifests.Count; i++)
        {
            if (ReferenceEquals(recipe.Manifests[i], manifest))
            {
                return i;
            }
        }

        return -1;
    }
}
