using System.Net;
using System.Net.Sockets;
using Greengrass.Nucleus.Aws;
using Greengrass.Nucleus.Tests.TestSupport;
using Greengrass.Peers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Greengrass.Nucleus.Tests.Aws;

/// <summary>
/// The AWS IoT credentials provider source against a real mTLS HTTPS stand-in (Kestrel with client certificate
/// validation): the request Greengrass makes, caching until shortly before expiry, refresh, and the failures.
/// </summary>
public sealed class IotCredentialsProviderSourceTests : IAsyncLifetime
{
    private const string RoleAlias = "EdgeTokenExchangeRoleAlias";
    private const string Thing = "edge-core-1";
    private const string AccessKey = "ASIASTANDINEXAMPLE";
    private const string Secret = "stand-in-secret/wJalrXUtnFEMI";

    private readonly TempDirectory _identity = new();
    private readonly ListLogger<IotCredentialsProviderSource> _logger = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
    private IotCredentialsProviderStandIn _provider = null!;

    public async Task InitializeAsync()
    {
        _provider = await IotCredentialsProviderStandIn.StartAsync(RoleAlias, Thing, AccessKey, Secret);
        _provider.NextExpiration = () => _time.GetUtcNow().AddHours(1);
        _provider.Pki.WriteIdentity(_identity.Path);
    }

    public async Task DisposeAsync()
    {
        await _provider.DisposeAsync();
        _identity.Dispose();
    }

    private IotCredentialsProviderSource Source(string? endpoint = null, string? identity = null, string thing = Thing) =>
        new(new IotCredentialsProviderSettings(IotCredentialsProviderSettings.ParseEndpoint(endpoint ?? _provider.Endpoint), RoleAlias, thing, identity ?? _identity.Path),
            _time, _logger);

    [Fact]
    public async Task GetAsync_TrustedDevice_SendsTheGreengrassRequestAndReturnsTheCredentials()
    {
        var credentials = await Source().GetAsync(CancellationToken.None);

        Assert.Equal(AccessKey, credentials.AccessKeyId);
        Assert.Equal(Secret, credentials.SecretAccessKey);
        Assert.Equal(IotCredentialsProviderStandIn.SessionTokenOf(1), credentials.SessionToken);
        Assert.Equal(_time.GetUtcNow().AddHours(1), credentials.Expiration);
        var request = Assert.Single(_provider.Requests);
        Assert.Equal($"/role-aliases/{RoleAlias}/credentials", request.Path);
        Assert.Equal(Thing, request.ThingName);
        Assert.Equal("CN=stand-in-device", request.ClientSubject);
        _logger.AssertNoErrors();
    }

    [Fact]
    public async Task GetAsync_WithinLifetime_IsServedFromTheCacheWithOneRequest()
    {
        var source = Source();

        var all = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => source.GetAsync(CancellationToken.None)));
        _time.Advance(TimeSpan.FromMinutes(54));
        var later = await source.GetAsync(CancellationToken.None);

        Assert.All(all.Append(later), c => Assert.Equal(IotCredentialsProviderStandIn.SessionTokenOf(1), c.SessionToken));
        Assert.Single(_provider.Requests);
    }

    [Fact]
    public async Task GetAsync_FiveMinutesBeforeExpiry_FetchesNewCredentials()
    {
        var source = Source();
        await source.GetAsync(CancellationToken.None);

        _time.Advance(TimeSpan.FromMinutes(55));
        var refreshed = await source.GetAsync(CancellationToken.None);

        Assert.Equal(IotCredentialsProviderStandIn.SessionTokenOf(2), refreshed.SessionToken);
        Assert.Equal(_time.GetUtcNow().AddHours(1), refreshed.Expiration);
        Assert.Equal(2, _provider.Requests.Count);
    }

    [Fact]
    public async Task GetAsync_CredentialsExpiringWithinFiveMinutes_AreUsedButNotCached()
    {
        _provider.NextExpiration = () => _time.GetUtcNow().AddMinutes(3);
        var source = Source();

        var first = await source.GetAsync(CancellationToken.None);
        var second = await source.GetAsync(CancellationToken.None);

        Assert.Equal(IotCredentialsProviderStandIn.SessionTokenOf(1), first.SessionToken);
        Assert.Equal(IotCredentialsProviderStandIn.SessionTokenOf(2), second.SessionToken);
        Assert.Contains(_logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("not cached", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetAsync_AlreadyExpiredCredentials_FailWithTheReason()
    {
        _provider.NextExpiration = () => _time.GetUtcNow().AddMinutes(-1);

        var ex = await Assert.ThrowsAsync<AwsCredentialsException>(() => Source().GetAsync(CancellationToken.None));

        Assert.Contains("expired at", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_DeviceCertificateOfAnotherCa_IsRejectedInTheHandshake()
    {
        using var stranger = new TempDirectory();
        _provider.Pki.WriteIdentity(stranger.Path, _provider.Pki.Stranger);

        var ex = await Assert.ThrowsAsync<AwsCredentialsException>(() => Source(identity: stranger.Path).GetAsync(CancellationToken.None));

        Assert.Contains("cannot be reached", ex.Message, StringComparison.Ordinal);
        Assert.Null(ex.StatusCode);
        Assert.Empty(_provider.Requests);
    }

    [Theory]
    [InlineData("tls.crt")]
    [InlineData("tls.key")]
    public async Task GetAsync_IdentityFileMissing_NamesTheFileAndTheField(string file)
    {
        File.Delete(_identity.Combine(file));

        var ex = await Assert.ThrowsAsync<AwsCredentialsException>(() => Source().GetAsync(CancellationToken.None));

        Assert.Contains($"no {file}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("spec.identity.certificateSecretRef", ex.Message, StringComparison.Ordinal);
        Assert.False(ex.IsTransient);
        Assert.Empty(_provider.Requests);
    }

    [Fact]
    public async Task GetAsync_NoCaForTheStandInsServerCertificate_RefusesTheServer()
    {
        File.Delete(_identity.Combine("ca.crt"));

        var ex = await Assert.ThrowsAsync<AwsCredentialsException>(() => Source().GetAsync(CancellationToken.None));

        Assert.Contains("cannot be reached", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_provider.Requests);
    }

    [Fact]
    public async Task GetAsync_Provider403_ReportsStatusAndMessageAndCachesItForTwoMinutes()
    {
        _provider.FixedAnswer = (403, """{"message":"Access Denied"}""");
        var source = Source();

        var ex = await Assert.ThrowsAsync<AwsCredentialsException>(() => source.GetAsync(CancellationToken.None));
        await Assert.ThrowsAsync<AwsCredentialsException>(() => source.GetAsync(CancellationToken.None));
        var requestsWhileCached = _provider.Requests.Count;
        _provider.FixedAnswer = null;
        _time.Advance(TimeSpan.FromMinutes(2));
        var credentials = await source.GetAsync(CancellationToken.None);

        Assert.Equal(403, ex.StatusCode);
        Assert.False(ex.IsTransient);
        Assert.Contains("answered 403: Access Denied", ex.Message, StringComparison.Ordinal);
        Assert.Contains(RoleAlias, ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, requestsWhileCached);
        Assert.Equal(AccessKey, credentials.AccessKeyId);
    }

    [Fact]
    public async Task GetAsync_WrongThingName_GetsTheProvidersRefusal()
    {
        var ex = await Assert.ThrowsAsync<AwsCredentialsException>(() => Source(thing: "some-other-thing").GetAsync(CancellationToken.None));

        Assert.Equal(403, ex.StatusCode);
        Assert.Equal("some-other-thing", Assert.Single(_provider.Requests).ThingName);
    }

    [Fact]
    public async Task GetAsync_Provider5xx_IsTransientAndCachedForOneMinute()
    {
        _provider.FixedAnswer = (503, "Service Unavailable");
        var source = Source();

        var ex = await Assert.ThrowsAsync<AwsCredentialsException>(() => source.GetAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(59));
        await Assert.ThrowsAsync<AwsCredentialsException>(() => source.GetAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<AwsCredentialsException>(() => source.GetAsync(CancellationToken.None));

        Assert.True(ex.IsTransient);
        Assert.Contains("answered 503: Service Unavailable", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, _provider.Requests.Count);
    }

    [Fact]
    public async Task GetAsync_UnreachableEndpoint_FailsTransientlyAndTriesAgainNextTime()
    {
        var closed = ClosedPort();
        var source = Source(endpoint: $"https://127.0.0.1:{closed}");

        var first = await Assert.ThrowsAsync<AwsCredentialsException>(() => source.GetAsync(CancellationToken.None));
        var second = await Assert.ThrowsAsync<AwsCredentialsException>(() => source.GetAsync(CancellationToken.None));

        Assert.True(first.IsTransient);
        Assert.Null(first.StatusCode);
        Assert.Contains($"127.0.0.1:{closed}", first.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be reached", first.Message, StringComparison.Ordinal);
        // Not cached: each call tried (and logged) again.
        Assert.Equal(2, _logger.Entries.Count(e => e.Id.Id == 3413));
        Assert.Contains("cannot be reached", second.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_OfSuccessRefreshAndRefusal_CarryNoSecretOrSessionToken()
    {
        var source = Source();
        await source.GetAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(56));
        await source.GetAsync(CancellationToken.None);
        _provider.FixedAnswer = (403, """{"message":"Access Denied"}""");
        _time.Advance(TimeSpan.FromMinutes(56));
        await Assert.ThrowsAsync<AwsCredentialsException>(() => source.GetAsync(CancellationToken.None));

        Assert.True(_logger.Entries.Count >= 3, string.Join('\n', _logger.Entries.Select(e => e.Message)));
        Assert.All(_logger.Entries, e =>
        {
            Assert.DoesNotContain(Secret, e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("stand-in-session-token", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(AccessKey, e.Message, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData("c2abc.credentials.iot.eu-west-1.amazonaws.com", "https://c2abc.credentials.iot.eu-west-1.amazonaws.com/")]
    [InlineData("127.0.0.1:8443", "https://127.0.0.1:8443/")]
    [InlineData("https://creds.example/", "https://creds.example/")]
    public void ParseEndpoint_HostOrHttpsUrl_IsTheBaseUri(string text, string expected) =>
        Assert.Equal(new Uri(expected), IotCredentialsProviderSettings.ParseEndpoint(text));

    [Theory]
    [InlineData("http://creds.example")]
    [InlineData("https://creds.example/role-aliases")]
    [InlineData("creds example")]
    public void ParseEndpoint_Other_NamesTheVariable(string text) =>
        Assert.Contains(IotCredentialsProviderSettings.EndpointEnv, Assert.Throws<FormatException>(() => IotCredentialsProviderSettings.ParseEndpoint(text)).Message, StringComparison.Ordinal);

    [Fact]
    public void FromEnvironment_ProviderVariables_GiveTheProviderSourceAskingAsTheThing()
    {
        var env = new Dictionary<string, string>
        {
            [AwsSettings.RegionEnv] = "eu-west-1",
            [IotCredentialsProviderSettings.EndpointEnv] = "c2abc.credentials.iot.eu-west-1.amazonaws.com",
            [IotCredentialsProviderSettings.RoleAliasEnv] = RoleAlias,
            [IotCredentialsProviderSettings.IdentityDirEnv] = _identity.Path,
        };

        var settings = AwsSettings.FromEnvironment(n => env.GetValueOrDefault(n), Thing, NullLoggerFactory.Instance)!;

        var source = Assert.IsType<IotCredentialsProviderSource>(settings.Credentials);
        Assert.Equal(new IotCredentialsProviderSettings(new Uri("https://c2abc.credentials.iot.eu-west-1.amazonaws.com"), RoleAlias, Thing, _identity.Path), source.Settings);
    }

    [Fact]
    public void FromEnvironment_IncompleteProviderVariables_NameTheMissingOnes()
    {
        var ex = Assert.Throws<FormatException>(() => AwsSettings.FromEnvironment(
            n => n == IotCredentialsProviderSettings.EndpointEnv ? "creds.example" : null, Thing, NullLoggerFactory.Instance));

        Assert.Contains($"{IotCredentialsProviderSettings.RoleAliasEnv} and {IotCredentialsProviderSettings.IdentityDirEnv} not set", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_BothSources_IsRefusedNamingBoth()
    {
        var env = new Dictionary<string, string>
        {
            [AwsSettings.CredentialsDirEnv] = _identity.Path,
            [IotCredentialsProviderSettings.EndpointEnv] = "creds.example",
            [IotCredentialsProviderSettings.RoleAliasEnv] = RoleAlias,
            [IotCredentialsProviderSettings.IdentityDirEnv] = _identity.Path,
        };

        var ex = Assert.Throws<FormatException>(() => AwsSettings.FromEnvironment(n => env.GetValueOrDefault(n), Thing, NullLoggerFactory.Instance));

        Assert.Contains(AwsSettings.CredentialsDirEnv, ex.Message, StringComparison.Ordinal);
        Assert.Contains(IotCredentialsProviderSettings.EndpointEnv, ex.Message, StringComparison.Ordinal);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
