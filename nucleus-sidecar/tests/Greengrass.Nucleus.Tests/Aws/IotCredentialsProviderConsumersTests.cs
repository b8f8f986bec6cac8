using System.Net;
using System.Runtime.Versioning;
using System.Text.Json;
using Greengrass.Nucleus.Artifacts;
using Greengrass.Nucleus.Aws;
using Greengrass.Nucleus.Storage;
using Greengrass.Nucleus.Tests.TestSupport;
using Greengrass.Peers;
using Microsoft.Extensions.Time.Testing;

namespace Greengrass.Nucleus.Tests.Aws;

/// <summary>
/// The two users of the credentials provider source, on real sockets: the token exchange service answering a component,
/// and the <c>s3://</c> downloader signing for the S3 peer (which reports the session token each signed request carried).
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class IotCredentialsProviderConsumersTests : IAsyncLifetime
{
    private const string Token = "COMPONENTTOKEN0001";
    private const string Thing = "edge-core-1";
    private const string RoleAlias = "EdgeTokenExchangeRoleAlias";
    private readonly TempDirectory _identity = new();
    private readonly TempDirectory _root = new();
    private readonly HttpClient _http = new();
    private readonly ListLogger<IotCredentialsProviderSource> _sourceLog = new();
    private readonly ListLogger<TokenExchangeServer> _tesLog = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
    private IotCredentialsProviderStandIn _provider = null!;
    private IotCredentialsProviderSource _source = null!;

    public async Task InitializeAsync()
    {
        // The provider hands out the keys the S3 peer knows, with its own session tokens.
        _provider = await IotCredentialsProviderStandIn.StartAsync(RoleAlias, Thing, S3Peer.AccessKeyId, S3Peer.SecretAccessKey);
        _provider.NextExpiration = () => _time.GetUtcNow().AddHours(1);
        _provider.Pki.WriteIdentity(_identity.Path);
        _source = new IotCredentialsProviderSource(
            new IotCredentialsProviderSettings(IotCredentialsProviderSettings.ParseEndpoint(_provider.Endpoint), RoleAlias, Thing, _identity.Path), _time, _sourceLog);
    }

    public async Task DisposeAsync()
    {
        await _provider.DisposeAsync();
        _http.Dispose();
        _identity.Dispose();
        _root.Dispose();
    }

    private async Task<HttpResponseMessage> AskTesAsync(TokenExchangeServer tes)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, tes.CredentialsUri);
        request.Headers.TryAddWithoutValidation("Authorization", Token);
        return await _http.SendAsync(request);
    }

    private Task<TokenExchangeServer> StartTesAsync() =>
        TokenExchangeServer.StartAsync(new TokenExchangeOptions(t => t == Token ? "com.example.App" : null, () => true, _source, _time, _tesLog), 0, CancellationToken.None);

    [Fact]
    public async Task Tes_ProviderSource_ServesTheProvidersCredentialsWithTheirExpirationFromOneRequest()
    {
        await using var tes = await StartTesAsync();

        using var first = await AskTesAsync(tes);
        using var second = await AskTesAsync(tes);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var document = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(S3Peer.AccessKeyId, document.GetProperty("AccessKeyId").GetString());
        Assert.Equal(S3Peer.SecretAccessKey, document.GetProperty("SecretAccessKey").GetString());
        Assert.Equal(IotCredentialsProviderStandIn.SessionTokenOf(1), document.GetProperty("Token").GetString());
        Assert.Equal("2026-11-26T13:00:00Z", document.GetProperty("Expiration").GetString());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Single(_provider.Requests);
    }

    [Fact]
    public async Task Tes_Provider403_AnswersTheComponentWith403AndTheProvidersMessageButNoSecret()
    {
        _provider.FixedAnswer = (403, """{"message":"Access Denied"}""");
        await using var tes = await StartTesAsync();

        using var response = await AskTesAsync(tes);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("answered 403: Access Denied", body, StringComparison.Ordinal);
        Assert.Contains(RoleAlias, body, StringComparison.Ordinal);
        Assert.All(_tesLog.Entries.Concat(_sourceLog.Entries), e => Assert.DoesNotContain(S3Peer.SecretAccessKey, e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tes_ProviderUnreachable_Answers500SayingSo()
    {
        await _provider.DisposeAsync();
        await using var tes = await StartTesAsync();

        using var response = await AskTesAsync(tes);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("cannot be reached", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [S3Fact]
    public async Task S3Download_ProviderSource_IsSignedWithTheIssuedSessionCredentials()
    {
        const string bucket = "edge-artifacts";
        await using var s3 = await S3Peer.StartAsync(bucket, new Dictionary<string, byte[]> { ["app/run.sh"] = "#!/bin/sh\necho hi\n"u8.ToArray() });
        var logger = new ListLogger<ArtifactStore>();
        var store = new ArtifactStore(new NucleusPaths(_root.Path), _http, TimeProvider.System, logger, new AwsSettings("us-east-1", new Uri(s3.Endpoint), _source));

        var prepared = await store.PrepareAsync("com.example.S3App", "1.0.0", [new ArtifactSpec($"s3://{bucket}/app/run.sh")], CancellationToken.None);

        Assert.Equal("#!/bin/sh\necho hi\n", await File.ReadAllTextAsync(prepared.Single().FilePath));
        Assert.Contains(($"GET /{bucket}/app/run.sh", IotCredentialsProviderStandIn.SessionTokenOf(1)), s3.SignedSessionTokens);
        Assert.Single(_provider.Requests);
        logger.AssertNoErrors();
    }

    [Fact]
    public async Task S3Download_Provider403_FailsNamingTheProviderAnswer()
    {
        _provider.FixedAnswer = (403, """{"message":"Access Denied"}""");
        var store = new ArtifactStore(new NucleusPaths(_root.Path), _http, TimeProvider.System, new ListLogger<ArtifactStore>(),
            new AwsSettings("us-east-1", new Uri("http://127.0.0.1:9"), _source));

        var ex = await Assert.ThrowsAsync<ArtifactException>(() =>
            store.PrepareAsync("com.example.S3App", "1.0.0", [new ArtifactSpec("s3://edge-artifacts/app/run.sh")], CancellationToken.None));

        Assert.Equal(ArtifactErrorCodes.DeviceConfigNotValid, ex.Code);
        Assert.Contains("answered 403: Access Denied", ex.Message, StringComparison.Ordinal);
    }
}
