using Greengrass.Nucleus.Artifacts;

namespace Greengrass.Nucleus.Tests.Aws;

public sealed class S3ObjectLocationTests
{
    [Fact]
    public void Parse_BucketAndKey_KeyKeepsItsSlashes()
    {
        var location = S3ObjectLocation.Parse("S3://my-bucket/artifacts/1.0.0/app.zip", "a");

        Assert.Equal(new S3ObjectLocation("my-bucket", "artifacts/1.0.0/app.zip"), location);
    }

    [Fact]
    public void TargetFor_Aws_VirtualHostedStyleInTheRegion()
    {
        var target = new S3ObjectLocation("my-bucket", "dir/app v1.zip").TargetFor(null, "eu-west-1");

        Assert.Equal("my-bucket.s3.eu-west-1.amazonaws.com", target.Host);
        Assert.Equal("/dir/app%20v1.zip", target.Path);
        Assert.Equal("https://my-bucket.s3.eu-west-1.amazonaws.com/dir/app%20v1.zip", target.Url.AbsoluteUri);
    }

    [Fact]
    public void TargetFor_AwsBucketWithDots_PathStyleBecauseTheWildcardCertificateCannotCoverIt()
    {
        var target = new S3ObjectLocation("my.dotted.bucket", "app.zip").TargetFor(null, "us-east-1");

        Assert.Equal("s3.us-east-1.amazonaws.com", target.Host);
        Assert.Equal("/my.dotted.bucket/app.zip", target.Path);
    }

    [Fact]
    public void TargetFor_ChinaRegion_UsesTheChinaDomain()
    {
        Assert.Equal("b.s3.cn-north-1.amazonaws.com.cn", new S3ObjectLocation("b", "k").TargetFor(null, "cn-north-1").Host);
    }

    [Fact]
    public void TargetFor_CustomEndpoint_PathStyleWithPortAndBasePath()
    {
        var target = new S3ObjectLocation("edge", "a+b/c.bin").TargetFor(new Uri("http://minio.edge:9000/store/"), "us-east-1");

        Assert.Equal("minio.edge:9000", target.Host);
        Assert.Equal("/store/edge/a%2Bb/c.bin", target.Path);
        Assert.Equal("http://minio.edge:9000/store/edge/a%2Bb/c.bin", target.Url.AbsoluteUri);
    }
}
