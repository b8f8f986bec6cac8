using Greengrass.Model.Recipes;

namespace Greengrass.Model.Tests.Recipes;

public sealed class YamlSourceParserTests
{
    [Theory]
    [InlineData("0", true)]
    [InlineData("-0", true)]
    [InlineData("42", true)]
    [InlineData("-7", true)]
    [InlineData("1.50", true)]
    [InlineData("6.02e23", true)]
    [InlineData("1E-5", true)]
    [InlineData("1e+5", true)]
    [InlineData("0.5", true)]
    [InlineData("", false)]
    [InlineData("-", false)]
    [InlineData("+1", false)]
    [InlineData("007", false)]
    [InlineData(".5", false)]
    [InlineData("1.", false)]
    [InlineData("1e", false)]
    [InlineData("1e+", false)]
    [InlineData("0x1F", false)]
    [InlineData("1_000", false)]
    [InlineData("1.0.0", false)]
    [InlineData("2020-01-25", false)]
    [InlineData("12:30", false)]
    [InlineData(".inf", false)]
    [InlineData("NaN", false)]
    [InlineData("1 ", false)]
    public void IsJsonNumber_Table(string text, bool expected) =>
        Assert.Equal(expected, YamlSourceParser.IsJsonNumber(text));
}
