using System.Net;
using System.Text.Json;
using Greengrass.Nucleus.Aws;
using Greengrass.Nucleus.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Greengrass.Nucleus.Tests.Aws;

/// <summary>The token exchange service over real loopback HTTP, with the rules of the Greengrass CredentialRequestHandler.</summary>
public sealed class TokenExchangeServerTests : IAsyncLifetime
{
    private const string Token = "ABCDEFGHIJKLMNOP";
    private readonly TempDirectory _secret = new();
    private readonly HttpClient _http = new();
    private readonly ListLogger<TokenExchangeServerTests> _logger = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
    private bool _deployed = true;
    private TokenExchangeServer _server = null!;

    public async Task InitializeAsync()
    {
        File.WriteAllText(_secret.Combine("accessKeyId"), "AKIDTES");
        File.WriteAllText(_secret.Combine("secretAccessKey"), "tes-secret-value");
        _server = await TokenExchangeServer.StartAsync(
            new TokenExchangeOptions(t => t == Token ? "com.example.App" : null, () => _deployed, new MountedSecretCredentialSource(_secret.Path), _time, _logger),
            port: 0,
            CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _http.Dispose();
        _secret.Dispose();
    }

    private Task<HttpResponseMessage> GetAsync(string? token, string? path = null, HttpMethod? method = null)
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, path is null ? _server.CredentialsUri : new Uri(_server.CredentialsUri, path));
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", token);
        }

        return _http.SendAsync(request);
    }

    [Fact]
    public async Task Get_WithComponentToken_ReturnsContainerCredentialsDocument()
    {
        using var response = await GetAsync(Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("AKIDTES", document.GetProperty("AccessKeyId").GetString());
        Assert.Equal("tes-secret-value", document.GetProperty("SecretAccessKey").GetString());
        Assert.Equal("", document.GetProperty("Token").GetString());
        Assert.Equal("2026-11-26T13:00:00Z", document.GetProperty("Expiration").GetString());
        Assert.Equal("127.0.0.1", _server.CredentialsUri.Host);
        Assert.Equal(TokenExchangeServer.CredentialsPath, _server.CredentialsUri.AbsolutePath);
    }

    [Fact]
    public async Task Get_TemporaryCredentials_PassesTokenAndExpiration()
    {
        File.WriteAllText(_secret.Combine("sessionToken"), "session-token");
        File.WriteAllText(_secret.Combine("expiration"), "2026-11-26T12:30:00Z");

        using var response = await GetAsync(Token);

        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("session-token", document.GetProperty("Token").GetString());
        Assert.Equal("2026-11-26T12:30:00Z", document.GetProperty("Expiration").GetString());
    }

    [Fact]
    public async Task Get_WithoutAuthorization_Is401()
    {
        using var response = await GetAsync(token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("tes-secret-value", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_WithUnknownToken_Is403()
    {
        using var response = await GetAsync("ZZZZZZZZZZZZZZZZ");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("tes-secret-value", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Request_OtherMethodOrPath_Is405Or400()
    {
        using var post = await GetAsync(Token, method: HttpMethod.Post);
        using var other = await GetAsync(Token, path: "/latest/meta-data/");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
    }

    [Fact]
    public async Task Get_WhileNotDeployed_Is503()
    {
        _deployed = false;

        using var response = await GetAsync(Token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains(TokenExchangeServer.ComponentName, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_SecretLosesItsKey_Is500NamingTheKeyAndNoSecretIsLogged()
    {
        File.Delete(_secret.Combine("accessKeyId"));

        using var response = await GetAsync(Token);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("'accessKeyId'", await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain(_logger.Entries, e => e.Message.Contains("tes-secret-value", StringComparison.Ordinal));
    }
}
