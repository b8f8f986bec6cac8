using System.Net;
using Greengrass.Nucleus.Artifacts;
using Greengrass.Nucleus.Aws;
using Greengrass.Nucleus.Storage;
using Greengrass.Nucleus.Tests.TestSupport;

namespace Greengrass.Nucleus.Tests.Aws;

/// <summary>
/// Requests to AWS S3 itself (virtual-hosted style, region redirect, 5xx retries), answered by an in-process handler
/// standing in for the S3 endpoints, which cannot be reached from the test machine.
/// </summary>
public sealed class S3ObjectReaderTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly RecordingHandler _handler = new();
    private readonly HttpClient _http;

    public S3ObjectReaderTests() => _http = new HttpClient(_handler);

    public void Dispose()
    {
        _http.Dispose();
        _root.Dispose();
    }

    private sealed class StaticSource(AwsCredentials credentials) : IAwsCredentialSource
    {
        public string Description => "test credentials";

        public Task<AwsCredentials> GetAsync(CancellationToken ct) => Task.FromResult(credentials);
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        public Func<HttpRequestMessage, HttpResponseMessage> Respond { get; set; } = _ => new HttpResponseMessage(HttpStatusCode.OK);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult(Respond(request));
        }
    }

    private Task<IReadOnlyList<PreparedArtifact>> PrepareAsync(string uri, AwsCredentials credentials, string region = "us-east-1")
    {
        var store = new ArtifactStore(new NucleusPaths(_root.Path), _http, TimeProvider.System, new ListLogger<ArtifactStore>(),
            new AwsSettings(region, null, new StaticSource(credentials)));
        return store.PrepareAsync("com.example.App", "1.0.0", [new ArtifactSpec(uri)], CancellationToken.None);
    }

    [Fact]
    public async Task Download_FromAws_VirtualHostedSignedGetWithSessionToken()
    {
        _handler.Respond = _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent("data"u8.ToArray()) };

        await PrepareAsync("s3://my-bucket/app/run.sh", new AwsCredentials("AKID", "secret", "session"));

        var request = Assert.Single(_handler.Requests);
        Assert.Equal("https://my-bucket.s3.us-east-1.amazonaws.com/app/run.sh", request.RequestUri!.AbsoluteUri);
        Assert.Equal(SigV4Signer.EmptyPayloadHash, request.Headers.GetValues("x-amz-content-sha256").Single());
        Assert.Equal("session", request.Headers.GetValues("x-amz-security-token").Single());
        var authorization = request.Headers.GetValues("Authorization").Single();
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKID/", authorization);
        Assert.Contains("/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=", authorization);
    }

    [Fact]
    public async Task Download_BucketInAnotherRegion_RetriedOnceInTheRegionS3Names()
    {
        _handler.Respond = request => request.RequestUri!.Host.Contains(".eu-west-1.", StringComparison.Ordinal)
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent("data"u8.ToArray()) }
            : new HttpResponseMessage(HttpStatusCode.MovedPermanently) { Headers = { { "x-amz-bucket-region", "eu-west-1" } } };

        await PrepareAsync("s3://my-bucket/app.zip", new AwsCredentials("AKID", "secret"));

        Assert.Equal(2, _handler.Requests.Count);
        Assert.Equal("my-bucket.s3.eu-west-1.amazonaws.com", _handler.Requests[1].RequestUri!.Host);
        Assert.Contains("/eu-west-1/s3/aws4_request", _handler.Requests[1].Headers.GetValues("Authorization").Single());
    }

    [Fact]
    public async Task Download_S3KeepsFailingWith503_RetriedThenS3ServerError()
    {
        _handler.Respond = _ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
        {
            Content = new StringContent("<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"),
        };

        var ex = await Assert.ThrowsAsync<ArtifactException>(() => PrepareAsync("s3://my-bucket/app.zip", new AwsCredentials("AKID", "secret")));

        Assert.Equal(ArtifactErrorCodes.S3ServerError, ex.Code);
        Assert.Contains("503 SlowDown", ex.Message);
        Assert.Equal(3, _handler.Requests.Count);
    }

    [Fact]
    public async Task Download_AccessDenied_NamesTheObjectAndTheMissingPermission()
    {
        _handler.Respond = _ => new HttpResponseMessage(HttpStatusCode.Forbidden)
        {
            Content = new StringContent("<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>"),
        };

        var ex = await Assert.ThrowsAsync<ArtifactException>(() => PrepareAsync("s3://my-bucket/app.zip", new AwsCredentials("AKID", "top-secret")));

        Assert.Equal(ArtifactErrorCodes.S3AccessDenied, ex.Code);
        Assert.Contains("s3://my-bucket/app.zip", ex.Message);
        Assert.Contains("s3:GetObject", ex.Message);
        Assert.DoesNotContain("top-secret", ex.ToString());
        Assert.Single(_handler.Requests);
    }
}
