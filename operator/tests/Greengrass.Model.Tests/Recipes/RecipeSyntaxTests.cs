using Greengrass.Model.Recipes;

namespace Greengrass.Model.Tests.Recipes;

public sealed class RecipeSyntaxTests
{
    [Theory]
    [InlineData("1.0.0")]
    [InlineData("0.0.1")]
    [InlineData("999999.999999.999999")]
    [InlineData("1.0.0-beta")]
    [InlineData("1.0.0-beta.1")]
    [InlineData("1.0.0-rc.1+build.5")]
    [InlineData("1.0.0+20240101")]
    [InlineData("2.13.0-alpha-1")]
    public void CheckComponentVersion_ValidVersion_Accepts(string version) =>
        Assert.Null(RecipeSyntax.CheckComponentVersion(version));

    [Theory]
    [InlineData("1")]
    [InlineData("1.0")]
    [InlineData("v1.0.0")]
    [InlineData("1.0.0.0")]
    [InlineData("01.0.0")]
    [InlineData("1.0.0-")]
    [InlineData("1.0.0-01")]
    [InlineData("1.0.0-1")]
    [InlineData("1.0.0-1.beta")]
    [InlineData("1000000.0.0")]
    [InlineData("1.0.1000000")]
    [InlineData("1.0.0+")]
    [InlineData(" 1.0.0")]
    public void CheckComponentVersion_InvalidVersion_Rejects(string version) =>
        Assert.NotNull(RecipeSyntax.CheckComponentVersion(version));

    [Fact]
    public void CheckComponentVersion_LongerThan64Characters_Rejects()
    {
        var version = "1.0.0-" + new string('a', 59);

        Assert.Equal(65, version.Length);
        Assert.Contains("64", RecipeSyntax.CheckComponentVersion(version), StringComparison.Ordinal);
        Assert.Null(RecipeSyntax.CheckComponentVersion(version[..64]));
    }

    [Theory]
    [InlineData("1.2.3")]
    [InlineData("=1.2.3")]
    [InlineData(">=1.0.0")]
    [InlineData(">= 1.0.0")]
    [InlineData("<2.0.0")]
    [InlineData("<=2.0.0")]
    [InlineData(">1.0.0")]
    [InlineData("^1.1.0")]
    [InlineData("~2.1.0")]
    [InlineData("~2.1")]
    [InlineData("1.x")]
    [InlineData("1.2.X")]
    [InlineData("2.*")]
    [InlineData("*")]
    [InlineData("")]
    [InlineData("1.0.0 - 2.0.0")]
    [InlineData("1.0 - 2")]
    [InlineData("^1.0.0 || ^2.0.0")]
    [InlineData(">=1.5.0 <1.9.0")]
    [InlineData(">=2.0.0  <2.14.0 || 3.x")]
    [InlineData(">=3.0.0-rc.1 <3.0.0")]
    [InlineData("v1.2.3")]
    public void CheckVersionRequirement_NpmRange_Accepts(string range) =>
        Assert.Null(RecipeSyntax.CheckVersionRequirement(range));

    [Theory]
    [InlineData("latest")]
    [InlineData(">=>1.0.0")]
    [InlineData("=>1.0.0")]
    [InlineData("1.0.0 -")]
    [InlineData("- 1.0.0")]
    [InlineData("1.0.0 - 2.0.0 - 3.0.0")]
    [InlineData("^1.0.0 ||| 2.0.0")]
    [InlineData("1.0.0.0")]
    [InlineData(">=1.0.0,<2.0.0")]
    [InlineData("~>")]
    [InlineData("[1.0,2.0)")]
    public void CheckVersionRequirement_NotARange_Rejects(string range) =>
        Assert.NotNull(RecipeSyntax.CheckVersionRequirement(range));

    [Theory]
    [InlineData("com.example.Hello", true)]
    [InlineData("aws.greengrass.Nucleus", true)]
    [InlineData("my_component-2", true)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("slash/name", false)]
    [InlineData("colon:name", false)]
    public void CheckComponentName_Pattern_IsEnforced(string name, bool valid) =>
        Assert.Equal(valid, RecipeSyntax.CheckComponentName(name) is null);

    [Theory]
    [InlineData("arn:aws:lambda:us-west-2:123456789012:function:F:1", true)]
    [InlineData("arn:aws-cn:lambda:cn-north-1:123456789012:function:F:1", true)]
    [InlineData("arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:F:1", true)]
    [InlineData("arn:aws:s3:::bucket", false)]
    [InlineData("my-function", false)]
    public void CheckLambdaArn_Pattern_IsEnforced(string source, bool valid) =>
        Assert.Equal(valid, RecipeSyntax.CheckLambdaArn(source) is null);
}
