using Greengrass.Model.Platforms;

namespace Greengrass.Model.Tests.Platforms;

public sealed class DevicePlatformTests
{
    [Theory]
    [InlineData("linux", "amd64", "linux", "amd64")]
    [InlineData("linux", "arm64", "linux", "aarch64")]
    [InlineData("linux", "arm", "linux", "arm")]
    [InlineData("linux", "386", "linux", "x86")]
    [InlineData("windows", "amd64", "windows", "amd64")]
    [InlineData("darwin", "arm64", "darwin", "aarch64")]
    [InlineData("freebsd", "riscv64", "unknown", "unknown")]
    public void FromNodeLabels_KubernetesLabels_MapToGreengrassNames(string os, string arch, string expectedOs, string expectedArch)
    {
        var platform = DevicePlatform.FromNodeLabels(new Dictionary<string, string>
        {
            ["kubernetes.io/os"] = os,
            ["kubernetes.io/arch"] = arch,
            ["node-role.kubernetes.io/edge"] = "true",
        });

        Assert.Equal(expectedOs, platform.Os);
        Assert.Equal(expectedArch, platform.Architecture);
        Assert.Null(platform.ArchitectureDetail);
        Assert.Equal(2, platform.Attributes.Count);
    }

    [Fact]
    public void FromNodeLabels_NoLabels_IsUnknown()
    {
        var platform = DevicePlatform.FromNodeLabels(new Dictionary<string, string>());

        Assert.Equal(DevicePlatform.Create("unknown", "unknown"), platform);
    }

    [Fact]
    public void FromNodeLabels_BetaLabelsOnly_AreStillRead()
    {
        var platform = DevicePlatform.FromNodeLabels(new Dictionary<string, string>
        {
            ["beta.kubernetes.io/os"] = "linux",
            ["beta.kubernetes.io/arch"] = "arm",
        });

        Assert.Equal(DevicePlatform.Create("linux", "arm"), platform);
    }

    [Fact]
    public void FromNodeLabels_PlatformLabels_AddAndOverrideAttributes()
    {
        var platform = DevicePlatform.FromNodeLabels(new Dictionary<string, string>
        {
            ["kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = "arm",
            [DevicePlatform.AttributeLabelPrefix + "architecture.detail"] = "armv7l",
            [DevicePlatform.AttributeLabelPrefix + "accelerator"] = "npu",
            [DevicePlatform.AttributeLabelPrefix + "os"] = "raspbian",
            [DevicePlatform.AttributeLabelPrefix] = "ignored",
        });

        Assert.Equal("armv7l", platform.ArchitectureDetail);
        Assert.Equal("npu", platform.Attributes["accelerator"]);
        Assert.Equal("raspbian", platform.Os);
        Assert.Equal(4, platform.Attributes.Count);
    }

    [Fact]
    public void Equals_SameAttributesInAnyOrder_AreEqual()
    {
        var left = new DevicePlatform(new Dictionary<string, string> { ["os"] = "linux", ["architecture"] = "amd64" });
        var right = new DevicePlatform(new Dictionary<string, string> { ["architecture"] = "amd64", ["os"] = "linux" });

        Assert.Equal(left, right);
        Assert.NotEqual(left, DevicePlatform.Create("linux", "amd64", "armv7l"));
    }
}
