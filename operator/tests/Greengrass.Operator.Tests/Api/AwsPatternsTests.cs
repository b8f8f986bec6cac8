using System.Text.RegularExpressions;
using Greengrass.Api;

namespace Greengrass.Operator.Tests.Api;

public sealed class AwsPatternsTests
{
    [Theory]
    [InlineData("eu-west-1", true)]
    [InlineData("us-gov-west-1", true)]
    [InlineData("minio", true)]
    [InlineData("EU-WEST-1", false)]
    [InlineData("eu west 1", false)]
    [InlineData("-eu", false)]
    public void AwsRegion_Pattern_AcceptsRegionNamesOnly(string value, bool accepted) =>
        Assert.Equal(accepted, Regex.IsMatch(value, Patterns.AwsRegion));

    [Theory]
    [InlineData("http://minio.edge:9000", true)]
    [InlineData("https://s3.example.com/base", true)]
    [InlineData("minio.edge:9000", false)]
    [InlineData("ftp://minio.edge", false)]
    [InlineData("http://minio.edge:9000/?x=1", false)]
    [InlineData("http://", false)]
    public void HttpUrl_Pattern_AcceptsAbsoluteHttpUrlsOnly(string value, bool accepted) =>
        Assert.Equal(accepted, Regex.IsMatch(value, Patterns.HttpUrl));
}
