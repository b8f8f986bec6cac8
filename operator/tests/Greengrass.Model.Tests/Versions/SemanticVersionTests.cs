using Greengrass.Model.Versions;

namespace Greengrass.Model.Tests.Versions;

public sealed class SemanticVersionTests
{
    [Theory]
    [InlineData("1.2.3", 1, 2, 3, "", "")]
    [InlineData("0.0.0", 0, 0, 0, "", "")]
    [InlineData("999999.999999.999999", 999999, 999999, 999999, "", "")]
    [InlineData("1.0.0-beta.1", 1, 0, 0, "beta.1", "")]
    [InlineData("1.0.0-rc-1.x-y", 1, 0, 0, "rc-1.x-y", "")]
    [InlineData("1.0.0+build.007", 1, 0, 0, "", "build.007")]
    [InlineData("2.1.0-alpha+sha.5114f85", 2, 1, 0, "alpha", "sha.5114f85")]
    public void Parse_ValidVersion_ExposesParts(string text, int major, int minor, int patch, string pre, string build)
    {
        var version = SemanticVersion.Parse(text);

        Assert.Equal((major, minor, patch), (version.Major, version.Minor, version.Patch));
        Assert.Equal(pre, string.Join('.', version.PreRelease));
        Assert.Equal(build, version.BuildMetadata);
        Assert.Equal(text, version.ToString());
    }

    [Theory]
    [InlineData("1.2", "MAJOR.MINOR.PATCH")]
    [InlineData("1.2.3.4", "MAJOR.MINOR.PATCH")]
    [InlineData("01.2.3", "leading zero")]
    [InlineData("1.2.x", "not a number")]
    [InlineData("v1.2.3", "not a number")]
    [InlineData("1000000.0.0", "larger than 999999")]
    [InlineData("1.0.1000000", "larger than 999999")]
    [InlineData("1.0.0-1beta", "must not start with a digit")]
    [InlineData("1.0.0-0", "must not start with a digit")]
    [InlineData("1.0.0-beta.01", "leading zero")]
    [InlineData("1.0.0-beta..1", "empty identifier")]
    [InlineData("1.0.0-", "is empty")]
    [InlineData("1.0.0+", "is empty")]
    [InlineData("1.0.0-be_ta", "contains '_'")]
    [InlineData("1.0.0-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "longer than 64")]
    [InlineData("", "MAJOR.MINOR.PATCH")]
    public void Parse_InvalidVersion_ThrowsWithReason(string text, string reason)
    {
        var error = Assert.Throws<FormatException>(() => SemanticVersion.Parse(text));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.False(SemanticVersion.TryParse(text, out _));
    }

    [Fact]
    public void Parse_SixtyFourCharacters_IsAccepted()
    {
        var text = "1.0.0-" + new string('a', 58);

        Assert.Equal(64, text.Length);
        Assert.Equal(text, SemanticVersion.Parse(text).ToString());
    }

    [Fact]
    public void CompareTo_SemVerSpecExample_OrdersAscending()
    {
        // SemVer 2.0 §11: 1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-alpha.beta < 1.0.0-beta < 1.0.0-beta.2 < 1.0.0-beta.11 < 1.0.0-rc.1 < 1.0.0.
        string[] ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
            "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "2.0.0", "10.0.0"];
        var versions = ordered.Select(SemanticVersion.Parse).ToList();

        for (var i = 0; i + 1 < versions.Count; i++)
        {
            Assert.True(versions[i] < versions[i + 1], $"{versions[i]} < {versions[i + 1]}");
        }

        Assert.Equal(ordered, versions.AsEnumerable().Reverse().Order().Select(v => v.ToString()));
    }

    [Fact]
    public void Equals_BuildMetadataDiffers_HaveSamePrecedence()
    {
        var a = SemanticVersion.Parse("1.0.0+a");
        var b = SemanticVersion.Parse("1.0.0+b");

        Assert.Equal(0, a.CompareTo(b));
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a.ToString(), b.ToString());
    }
}
