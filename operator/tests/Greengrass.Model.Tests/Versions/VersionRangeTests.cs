using Greengrass.Model.Versions;

namespace Greengrass.Model.Tests.Versions;

public sealed class VersionRangeTests
{
    [Theory]
    // exact and =
    [InlineData("1.2.3", "1.2.3", true)]
    [InlineData("1.2.3", "1.2.4", false)]
    [InlineData("1.2.3", "1.2.3-beta", false)]
    [InlineData("=1.2.3", "1.2.3", true)]
    [InlineData("=1.2.3", "1.2.2", false)]
    [InlineData("v1.2.3", "1.2.3", true)]
    [InlineData("1.2.3-beta.1", "1.2.3-beta.1", true)]
    [InlineData("1.2.3-beta.1", "1.2.3-beta.2", false)]
    [InlineData("1.2.3", "1.2.3+build.5", true)]
    // > >= < <=
    [InlineData(">1.2.3", "1.2.4", true)]
    [InlineData(">1.2.3", "1.2.3", false)]
    [InlineData(">=1.2.3", "1.2.3", true)]
    [InlineData(">=1.2.3", "1.2.2", false)]
    [InlineData("<1.2.3", "1.2.2", true)]
    [InlineData("<1.2.3", "1.2.3", false)]
    [InlineData("<=1.2.3", "1.2.3", true)]
    [InlineData("<=1.2.3", "1.2.4", false)]
    [InlineData(">= 1.2.3", "1.5.0", true)]
    [InlineData(">0.0.0", "0.0.1", true)]
    [InlineData(">0.0.0", "0.0.0", false)]
    // comparators with partial versions
    [InlineData(">1.2", "1.2.9", false)]
    [InlineData(">1.2", "1.3.0", true)]
    [InlineData(">1", "1.9.9", false)]
    [InlineData(">1", "2.0.0", true)]
    [InlineData(">=1.2", "1.2.0", true)]
    [InlineData("<1.2", "1.1.9", true)]
    [InlineData("<1.2", "1.2.0", false)]
    [InlineData("<=1.2", "1.2.9", true)]
    [InlineData("<=1.2", "1.3.0", false)]
    [InlineData("<=1", "1.9.9", true)]
    [InlineData("=1.2", "1.2.7", true)]
    // caret
    [InlineData("^1.2.3", "1.2.3", true)]
    [InlineData("^1.2.3", "1.9.9", true)]
    [InlineData("^1.2.3", "2.0.0", false)]
    [InlineData("^1.2.3", "1.2.2", false)]
    [InlineData("^0.2.3", "0.2.9", true)]
    [InlineData("^0.2.3", "0.3.0", false)]
    [InlineData("^0.0.3", "0.0.3", true)]
    [InlineData("^0.0.3", "0.0.4", false)]
    [InlineData("^1.2", "1.2.0", true)]
    [InlineData("^1.2", "1.1.9", false)]
    [InlineData("^1", "1.99.0", true)]
    [InlineData("^1.x", "2.0.0", false)]
    [InlineData("^0.x", "0.9.0", true)]
    [InlineData("^0.0.x", "0.0.9", true)]
    [InlineData("^0.0.x", "0.1.0", false)]
    [InlineData("^0.0", "0.0.5", true)]
    [InlineData("^1.2.3-beta.2", "1.2.3-beta.4", true)]
    [InlineData("^1.2.3-beta.2", "1.2.3-beta.1", false)]
    [InlineData("^1.2.3-beta.2", "1.2.4-beta.2", false)]
    [InlineData("^1.2.3-beta.2", "1.3.0", true)]
    // tilde
    [InlineData("~1.2.3", "1.2.9", true)]
    [InlineData("~1.2.3", "1.3.0", false)]
    [InlineData("~1.2.3", "1.2.2", false)]
    [InlineData("~1.2", "1.2.0", true)]
    [InlineData("~1.2", "1.3.0", false)]
    [InlineData("~1", "1.9.0", true)]
    [InlineData("~1", "2.0.0", false)]
    [InlineData("~0.2.3", "0.2.5", true)]
    [InlineData("~0.2.3", "0.3.0", false)]
    [InlineData("~1.2.3-beta.2", "1.2.3-beta.3", true)]
    [InlineData("~1.2.3-beta.2", "1.2.4-beta.2", false)]
    [InlineData("~>1.2.3", "1.2.5", true)]
    // x-ranges
    [InlineData("*", "0.0.0", true)]
    [InlineData("*", "999.1.2", true)]
    [InlineData("*", "1.0.0-beta", false)]
    [InlineData("", "1.0.0", true)]
    [InlineData("x", "3.4.5", true)]
    [InlineData("1.x", "1.0.0", true)]
    [InlineData("1.x", "1.9.9", true)]
    [InlineData("1.x", "2.0.0", false)]
    [InlineData("1.x", "0.9.9", false)]
    [InlineData("1.X", "1.4.0", true)]
    [InlineData("1", "1.4.0", true)]
    [InlineData("1.2.*", "1.2.7", true)]
    [InlineData("1.2.*", "1.3.0", false)]
    [InlineData("1.2", "1.2.0", true)]
    [InlineData("1.2.x", "1.2.0-beta", false)]
    [InlineData(">=*", "0.1.0", true)]
    [InlineData("<*", "0.0.0", false)]
    // hyphen
    [InlineData("1.2.3 - 2.3.4", "1.2.3", true)]
    [InlineData("1.2.3 - 2.3.4", "2.3.4", true)]
    [InlineData("1.2.3 - 2.3.4", "2.3.5", false)]
    [InlineData("1.2.3 - 2.3.4", "1.2.2", false)]
    [InlineData("1.2 - 2.3.4", "1.2.0", true)]
    [InlineData("1.2.3 - 2.3", "2.3.9", true)]
    [InlineData("1.2.3 - 2.3", "2.4.0", false)]
    [InlineData("1.2.3 - 2", "2.9.9", true)]
    [InlineData("1.2.3 - 2", "3.0.0", false)]
    [InlineData("* - 2.0.0", "0.0.1", true)]
    // AND
    [InlineData(">=1.0.0 <2.0.0", "1.5.0", true)]
    [InlineData(">=1.0.0 <2.0.0", "2.0.0", false)]
    [InlineData(">=1.0.0 <2.0.0", "0.9.0", false)]
    [InlineData(">1.0.0 <=1.0.0", "1.0.0", false)]
    // OR
    [InlineData("1.x || >=2.5.0", "1.2.0", true)]
    [InlineData("1.x || >=2.5.0", "2.4.0", false)]
    [InlineData("1.x || >=2.5.0", "2.5.0", true)]
    [InlineData("<1.0.0||>2.0.0", "2.0.1", true)]
    [InlineData("1.0.0 || ", "7.0.0", true)]
    // whitespace, prefixes and build metadata
    [InlineData("  ^1.0.0  ", "1.5.0", true)]
    [InlineData(">=   1.0.0    <   2.0.0", "1.5.0", true)]
    [InlineData("^1.0.0||^3.0.0", "3.1.0", true)]
    [InlineData("^1.0.0||^3.0.0", "2.1.0", false)]
    [InlineData("V1.2.3", "1.2.3", true)]
    [InlineData("1.2.3+build.9", "1.2.3", true)]
    [InlineData(">=1.2.3+build.9", "1.2.3+other", true)]
    // npm pre-release rule
    [InlineData(">1.2.3-alpha.3", "1.2.3-alpha.7", true)]
    [InlineData(">1.2.3-alpha.3", "3.4.5-alpha.9", false)]
    [InlineData(">1.2.3-alpha.3", "3.4.5", true)]
    [InlineData(">=1.0.0 <2.0.0", "1.5.0-beta", false)]
    [InlineData("<2.0.0", "1.9.9-rc.1", false)]
    [InlineData(">=1.5.0-beta <2.0.0", "1.5.0-rc.1", true)]
    [InlineData(">=1.5.0-beta <2.0.0", "1.6.0-rc.1", false)]
    [InlineData(">=1.5.0-beta <2.0.0 || >=1.6.0-rc.0", "1.6.0-rc.1", true)]
    public void IsSatisfiedBy_Table_MatchesNpmSemantics(string range, string version, bool expected)
    {
        var parsed = VersionRange.Parse(range);

        Assert.True(expected == parsed.IsSatisfiedBy(SemanticVersion.Parse(version)), $"\"{range}\" ({parsed.Normalized}) vs {version}: expected {expected}");
    }

    [Theory]
    [InlineData("^1.2.3", ">=1.2.3 <2.0.0-0")]
    [InlineData("^0.2.3", ">=0.2.3 <0.3.0-0")]
    [InlineData("^0.0.3", ">=0.0.3 <0.0.4-0")]
    [InlineData("~1.2", ">=1.2.0 <1.3.0-0")]
    [InlineData("1.x", ">=1.0.0 <2.0.0-0")]
    [InlineData("*", "*")]
    [InlineData("1.2 - 2", ">=1.2.0 <3.0.0-0")]
    [InlineData("<=1.2 || 3.0.0", "<1.3.0-0 || =3.0.0")]
    public void Normalized_SugarForms_ExpandToComparators(string range, string expected)
    {
        Assert.Equal(expected, VersionRange.Parse(range).Normalized);
    }

    [Theory]
    [InlineData(">=1.2.a", "1.2.a", 2)]
    [InlineData("^1.0.0 || ~2.x.y.z", "2.x.y.z", 11)]
    [InlineData("1.0.0 - ", "-", 6)]
    [InlineData(">= ", ">=", 0)]
    [InlineData("1.0.0 - 2.0.0 - 3.0.0", "-", 6)]
    [InlineData(">=1.0.0 - 2.0.0", "-", 8)]
    [InlineData("1.0.01", "1.0.01", 0)]
    [InlineData("1.x-beta", "1.x-beta", 0)]
    [InlineData(">>1.0.0", ">1.0.0", 1)]
    [InlineData("1.0.0 |", "|", 6)]
    [InlineData("1.0.0 || >=x.y", "x.y", 11)]
    [InlineData("1.2.3.4", "1.2.3.4", 0)]
    [InlineData("1.2.3 -2.0.0", "-2.0.0", 6)]
    [InlineData("^1.0.0-beta..1", "1.0.0-beta..1", 1)]
    public void Parse_InvalidRange_NamesTokenAndPosition(string range, string token, int position)
    {
        var error = Assert.Throws<VersionRangeFormatException>(() => VersionRange.Parse(range));

        Assert.Equal(token, error.Token);
        Assert.Equal(position, error.Position);
        Assert.Contains($"\"{token}\" at position {position}", error.Message, StringComparison.Ordinal);
    }
}
