using Greengrass.Nucleus.Aws;
using Greengrass.Nucleus.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Greengrass.Nucleus.Tests.Aws;

public sealed class MountedSecretCredentialSourceTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private void Write(string key, string value) => File.WriteAllText(_dir.Combine(key), value);

    [Fact]
    public async Task GetAsync_SecretFiles_ReadTrimmedWithOptionalTokenAndExpiration()
    {
        Write("accessKeyId", "AKID\n");
        Write("secretAccessKey", "s3cr3t\n");
        Write("sessionToken", "tok");
        Write("expiration", "2030-01-02T03:04:05Z");

        var credentials = await new MountedSecretCredentialSource(_dir.Path).GetAsync(CancellationToken.None);

        Assert.Equal("AKID", credentials.AccessKeyId);
        Assert.Equal("s3cr3t", credentials.SecretAccessKey);
        Assert.Equal("tok", credentials.SessionToken);
        Assert.Equal(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero), credentials.Expiration);
    }

    [Fact]
    public async Task GetAsync_RotatedFiles_NextCallReadsTheNewKeys()
    {
        var source = new MountedSecretCredentialSource(_dir.Path);
        Write("accessKeyId", "OLD");
        Write("secretAccessKey", "old-secret");
        Assert.Equal("OLD", (await source.GetAsync(CancellationToken.None)).AccessKeyId);

        Write("accessKeyId", "NEW");
        Write("secretAccessKey", "new-secret");

        Assert.Equal("NEW", (await source.GetAsync(CancellationToken.None)).AccessKeyId);
    }

    [Fact]
    public async Task GetAsync_MissingSecretKey_NamesTheKeyAndTheSetting()
    {
        Write("accessKeyId", "AKID");

        var ex = await Assert.ThrowsAsync<AwsCredentialsException>(() => new MountedSecretCredentialSource(_dir.Path).GetAsync(CancellationToken.None));

        Assert.Contains("'secretAccessKey'", ex.Message);
        Assert.DoesNotContain("'accessKeyId'", ex.Message);
        Assert.Contains("spec.aws.credentials.secretRef", ex.Message);
    }

    [Fact]
    public async Task GetAsync_MissingDirectory_SaysSo()
    {
        var ex = await Assert.ThrowsAsync<AwsCredentialsException>(() => new MountedSecretCredentialSource(_dir.Combine("absent")).GetAsync(CancellationToken.None));

        Assert.Contains("does not exist", ex.Message);
    }

    [Fact]
    public async Task GetAsync_BadExpiration_NamesTheKey()
    {
        Write("accessKeyId", "AKID");
        Write("secretAccessKey", "s");
        Write("expiration", "tomorrow");

        var ex = await Assert.ThrowsAsync<AwsCredentialsException>(() => new MountedSecretCredentialSource(_dir.Path).GetAsync(CancellationToken.None));

        Assert.Contains("'expiration'", ex.Message);
    }

    [Fact]
    public void FromEnvironment_NothingSet_IsNull_BadEndpoint_NamesTheVariable()
    {
        Assert.Null(AwsSettings.FromEnvironment(_ => null, "edge-core", NullLoggerFactory.Instance));

        var ex = Assert.Throws<FormatException>(() => AwsSettings.FromEnvironment(n => n == AwsSettings.S3EndpointEnv ? "minio:9000" : null, "edge-core", NullLoggerFactory.Instance));
        Assert.Contains(AwsSettings.S3EndpointEnv, ex.Message);
    }

    [Fact]
    public void FromEnvironment_PodVariables_GiveRegionEndpointAndMountedSource()
    {
        var env = new Dictionary<string, string>
        {
            [AwsSettings.RegionEnv] = "eu-west-1",
            [AwsSettings.CredentialsDirEnv] = _dir.Path,
            [AwsSettings.S3EndpointEnv] = "http://minio.edge:9000",
        };

        var settings = AwsSettings.FromEnvironment(n => env.GetValueOrDefault(n), "edge-core", NullLoggerFactory.Instance)!;

        Assert.Equal("eu-west-1", settings.Region);
        Assert.Equal(new Uri("http://minio.edge:9000"), settings.S3Endpoint);
        Assert.IsType<MountedSecretCredentialSource>(settings.Credentials);
    }
}
