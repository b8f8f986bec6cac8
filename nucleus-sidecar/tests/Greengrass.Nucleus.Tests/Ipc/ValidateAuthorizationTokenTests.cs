using static Greengrass.Nucleus.Tests.Ipc.RawIpcClient;

namespace Greengrass.Nucleus.Tests.Ipc;

/// <summary>ValidateAuthorizationToken: only the stream manager may ask; a token is valid when a component owns it.</summary>
public sealed class ValidateAuthorizationTokenTests : IAsyncLifetime
{
    private const string StreamManager = "aws.greengrass.StreamManager";

    private IpcTestHost _host = null!;

    public async Task InitializeAsync() => _host = await IpcTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ValidateAuthorizationToken_StreamManagerAndAComponentToken_IsValid()
    {
        var other = _host.AddComponent("com.example.Writer");
        await using var client = await ConnectAsync(_host.SocketPath, _host.AddComponent(StreamManager));

        var reply = await client.CallAsync("ValidateAuthorizationToken", $$"""{"token":"{{other}}"}""");

        Assert.Equal("aws.greengrass#ValidateAuthorizationTokenResponse", Header(reply, "service-model-type"));
        Assert.True(Json(reply).GetProperty("isValid").GetBoolean());
    }

    [Theory]
    [InlineData("""{"token":"not-a-token"}""")]
    [InlineData("{}")]
    public async Task ValidateAuthorizationToken_UnknownOrMissingToken_IsInvalidTokenError(string body)
    {
        await using var client = await ConnectAsync(_host.SocketPath, _host.AddComponent(StreamManager));

        var reply = await client.CallAsync("ValidateAuthorizationToken", body);

        Assert.Equal("aws.greengrass#InvalidTokenError", Header(reply, "service-model-type"));
        Assert.Contains("token", Json(reply).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateAuthorizationToken_OtherComponentEvenWithAPolicy_IsUnauthorized()
    {
        var token = _host.AddComponent("com.example.Writer",
            """{"aws.greengrass.Cli": {"c": {"operations": ["*"], "resources": ["*"]}}, "aws.greengrass.ipc.pubsub": {"p": {"operations": ["*"], "resources": ["*"]}}}""");
        await using var client = await ConnectAsync(_host.SocketPath, token);

        var reply = await client.CallAsync("ValidateAuthorizationToken", $$"""{"token":"{{token}}"}""");

        Assert.Equal("aws.greengrass#UnauthorizedError", Header(reply, "service-model-type"));
        Assert.Contains("com.example.Writer", Json(reply).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [SdkFact]
    public async Task ValidateAuthorizationToken_FromTheSdk_ValidTokenAndInvalidTokenErrorAreModelled()
    {
        var writer = _host.AddComponent("com.example.Writer");
        var token = _host.AddComponent(StreamManager);

        await using var valid = NodePeer.Start(_host.SocketPath, token, "validate-token", writer);
        var validation = await valid.WaitForAsync("validation");
        await using var invalid = NodePeer.Start(_host.SocketPath, token, "validate-token", "forged");
        var error = await invalid.WaitForAsync("error");

        Assert.True(validation.GetProperty("isValid").GetBoolean());
        // InvalidTokenError is in the SDK's model for this operation, so the client names it.
        Assert.Equal("InvalidTokenError", error.GetString());
    }
}
