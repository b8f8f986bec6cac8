using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using Greengrass.Nucleus.Artifacts;
using Greengrass.Nucleus.Aws;
using Greengrass.Nucleus.Storage;
using Greengrass.Nucleus.Tests.TestSupport;
using Greengrass.Peers;

namespace Greengrass.Nucleus.Tests.Aws;

/// <summary>
/// <c>s3://</c> artifacts fetched by the artifact store from a real S3-compatible server process (s3rver with the
/// official SDK's SigV4 check in front, see <see cref="S3Peer"/>), path style on a custom endpoint.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class S3ArtifactDownloadTests : IAsyncLifetime
{
    private const string Bucket = "edge-artifacts";
    private const string Key = "releases/app v1+x.bin";
    private static readonly byte[] Content = RandomNumberGenerator.GetBytes(300_000);
    private readonly TempDirectory _root = new();
    private readonly TempDirectory _secret = new();
    private readonly HttpClient _http = new();
    private readonly ListLogger<ArtifactStore> _logger = new();
    private S3Peer? _server;

    public async Task InitializeAsync()
    {
        if (S3Peer.MissingReason is null)
        {
            _server = await S3Peer.StartAsync(Bucket, new Dictionary<string, byte[]> { [Key] = Content, ["tools/run.sh"] = "#!/bin/sh\n"u8.ToArray() });
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _http.Dispose();
        _root.Dispose();
        _secret.Dispose();
    }

    private ArtifactStore Store(string secretAccessKey, string? sessionToken = null)
    {
        File.WriteAllText(_secret.Combine("accessKeyId"), S3Peer.AccessKeyId);
        File.WriteAllText(_secret.Combine("secretAccessKey"), secretAccessKey + "\n");
        if (sessionToken is not null)
        {
            File.WriteAllText(_secret.Combine("sessionToken"), sessionToken);
        }

        var aws = new AwsSettings("us-east-1", new Uri(_server!.Endpoint), new MountedSecretCredentialSource(_secret.Path));
        return new ArtifactStore(new NucleusPaths(_root.Path), _http, TimeProvider.System, _logger, aws);
    }

    private static Task<IReadOnlyList<PreparedArtifact>> PrepareAsync(ArtifactStore store, ArtifactSpec spec) =>
        store.PrepareAsync("com.example.S3App", "1.0.0", [spec], CancellationToken.None);

    private string ArtifactDir => _root.Combine("packages", "artifacts", "com.example.S3App", "1.0.0");

    [S3Fact]
    public async Task PrepareAsync_S3Artifact_StreamedVerifiedAndItsSignatureCheckedByTheSdkSigner()
    {
        var digest = Convert.ToBase64String(SHA256.HashData(Content));

        var prepared = await PrepareAsync(Store(S3Peer.SecretAccessKey), new ArtifactSpec($"s3://{Bucket}/{Key}", digest, "SHA-256"));

        Assert.Equal(Path.Combine(ArtifactDir, "app v1+x.bin"), prepared.Single().FilePath);
        Assert.Equal(Content, await File.ReadAllBytesAsync(prepared.Single().FilePath));
        Assert.Contains(($"GET /{Bucket}/releases/app%20v1%2Bx.bin", "match"), _server!.Checked);
        Assert.DoesNotContain(_server.Checked, c => c.Verdict != "match");
        _logger.AssertNoErrors();
    }

    [S3Fact]
    public async Task PrepareAsync_TemporaryCredentials_SessionTokenSignedAndAccepted()
    {
        await PrepareAsync(Store(S3Peer.SecretAccessKey, sessionToken: "FwoGZXIvYXdzEXAMPLE"), new ArtifactSpec($"s3://{Bucket}/tools/run.sh"));

        Assert.Equal("#!/bin/sh\n", await File.ReadAllTextAsync(Path.Combine(ArtifactDir, "run.sh")));
        Assert.Contains(($"GET /{Bucket}/tools/run.sh", "match"), _server!.Checked);
    }

    [S3Fact]
    public async Task PrepareAsync_WrongSecret_RefusedAsAccessDeniedWithoutTheSecretInTheMessage()
    {
        const string wrong = "not-the-secret-9f8e7d";

        var ex = await Assert.ThrowsAsync<ArtifactException>(() => PrepareAsync(Store(wrong), new ArtifactSpec($"s3://{Bucket}/{Key}")));

        Assert.Equal(ArtifactErrorCodes.S3AccessDenied, ex.Code);
        Assert.Contains("403 SignatureDoesNotMatch", ex.Message);
        Assert.Contains($"s3://{Bucket}/{Key}", ex.Message);
        Assert.DoesNotContain(wrong, ex.ToString());
        Assert.Contains(($"GET /{Bucket}/releases/app%20v1%2Bx.bin", "mismatch"), _server!.Checked);
        Assert.False(Directory.Exists(ArtifactDir) && Directory.EnumerateFileSystemEntries(ArtifactDir).Any(), "nothing is left in the artifact folder");
        Assert.DoesNotContain(_logger.Entries, e => e.Message.Contains(wrong, StringComparison.Ordinal));
    }

    [S3Fact]
    public async Task PrepareAsync_MissingObject_RefusedAsResourceNotFound()
    {
        var ex = await Assert.ThrowsAsync<ArtifactException>(() => PrepareAsync(Store(S3Peer.SecretAccessKey), new ArtifactSpec($"s3://{Bucket}/releases/absent.zip")));

        Assert.Equal(ArtifactErrorCodes.S3NotFound, ex.Code);
        Assert.Contains("NoSuchKey", ex.Message);
    }

    [S3Fact]
    public async Task PrepareAsync_S3ObjectWithOtherDigest_RefusedAsChecksumMismatch()
    {
        var expected = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes("something else")));

        var ex = await Assert.ThrowsAsync<ArtifactException>(() => PrepareAsync(Store(S3Peer.SecretAccessKey), new ArtifactSpec($"s3://{Bucket}/{Key}", expected, "SHA-256")));

        Assert.Equal(ArtifactErrorCodes.ChecksumMismatch, ex.Code);
        Assert.False(File.Exists(Path.Combine(ArtifactDir, "app v1+x.bin")));
    }

    [Fact]
    public async Task PrepareAsync_S3WithoutRegionOnAws_RefusedNamingSpecAwsRegion()
    {
        File.WriteAllText(_secret.Combine("accessKeyId"), "AKID");
        File.WriteAllText(_secret.Combine("secretAccessKey"), "s");
        var store = new ArtifactStore(new NucleusPaths(_root.Path), _http, TimeProvider.System, _logger,
            new AwsSettings("", null, new MountedSecretCredentialSource(_secret.Path)));

        var ex = await Assert.ThrowsAsync<ArtifactException>(() => PrepareAsync(store, new ArtifactSpec($"s3://{Bucket}/{Key}")));

        Assert.Equal(ArtifactErrorCodes.DeviceConfigNotValid, ex.Code);
        Assert.Contains("spec.aws.region", ex.Message);
    }

    [Fact]
    public async Task PrepareAsync_SecretWithoutAccessKey_RefusedNamingTheMissingKey()
    {
        File.WriteAllText(_secret.Combine("secretAccessKey"), "s");
        var store = new ArtifactStore(new NucleusPaths(_root.Path), _http, TimeProvider.System, _logger,
            new AwsSettings("eu-west-1", null, new MountedSecretCredentialSource(_secret.Path)));

        var ex = await Assert.ThrowsAsync<ArtifactException>(() => PrepareAsync(store, new ArtifactSpec($"s3://{Bucket}/{Key}")));

        Assert.Equal(ArtifactErrorCodes.DeviceConfigNotValid, ex.Code);
        Assert.Contains("'accessKeyId'", ex.Message);
    }
}
