using System.Text.Json;
using Greengrass.Nucleus.Ipc;
using Greengrass.Nucleus.Ipc.EventStream;
using Greengrass.Nucleus.Secrets;
using Greengrass.Nucleus.Tests.Ipc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static Greengrass.Nucleus.Tests.Ipc.RawIpcClient;
using static Greengrass.Nucleus.Tests.Secrets.SecretFixture;

namespace Greengrass.Nucleus.Tests.Secrets;

/// <summary>GetSecretValue on the IPC wire: the response shape, per-component authorization and the error shapes.</summary>
public sealed class SecretIpcTests : IAsyncLifetime
{
    private const string Reader = "com.example.SecretReader";
    private const string Value = "p@ss-from-k8s";

    private const string DbOnly = $$$$"""
        {"aws.greengrass.SecretManager": {"com.example.SecretReader:secrets:1": {
           "operations": ["aws.greengrass#GetSecretValue"], "resources": ["{{{{DbArn}}}}"]}}}
        """;

    private readonly SecretFixture _mounts = new();
    private readonly Switchable _access = new();
    private IpcTestHost _host = null!;

    public async Task InitializeAsync()
    {
        var db = _mounts.Mount(DbArn, "db", Key("secretString", Value), Key("versionId", "v1"));
        var api = _mounts.Mount(ApiArn, "api", ("secretBinary", [9, 8, 7]));
        _host = await IpcTestHost.StartAsync(services: s => s.AddSingleton<ISecretServiceAccess>(sp =>
        {
            _access.Deployed = new DeployedSecrets(new SecretService([db, api], sp.GetRequiredService<ILogger<SecretService>>()), [DbArn, ApiArn]);
            return _access;
        }));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _mounts.Dispose();
    }

    private static string ErrorCode(EventStreamMessage reply) => Json(reply).GetProperty("_errorCode").GetString()!;

    private static string Request(string secretId, string? versionId = null, string? versionStage = null) =>
        JsonSerializer.Serialize(new { secretId, versionId, versionStage });

    [Fact]
    public async Task GetByName_ResponseCarriesArnVersionStagesAndString()
    {
        await using var client = await ConnectAsync(_host.SocketPath, _host.AddComponent(Reader, DbOnly));

        var reply = await client.CallAsync("GetSecretValue", Request("db-password"));

        Assert.Equal("aws.greengrass#GetSecretValueResponse", Header(reply, "service-model-type"));
        var body = Json(reply);
        Assert.Equal(DbArn, body.GetProperty("secretId").GetString());
        Assert.Equal("v1", body.GetProperty("versionId").GetString());
        Assert.Equal(["AWSCURRENT"], body.GetProperty("versionStage").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(Value, body.GetProperty("secretValue").GetProperty("secretString").GetString());
        Assert.False(body.GetProperty("secretValue").TryGetProperty("secretBinary", out _));
        Assert.Empty(_host.LoggedErrors);
        Assert.DoesNotContain(_host.Logs.Entries, e => e.Message.Contains(Value, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SecretOutsideThePolicy_UnauthorizedErrorNamingTheArn()
    {
        await using var client = await ConnectAsync(_host.SocketPath, _host.AddComponent(Reader, DbOnly));

        var reply = await client.CallAsync("GetSecretValue", Request("prod/api-key"));

        Assert.Equal("UnauthorizedError", ErrorCode(reply));
        Assert.Contains(ApiArn, Json(reply).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoPolicy_UnauthorizedError_WildcardPolicy_ReadsBinaryAsBase64()
    {
        await using var denied = await ConnectAsync(_host.SocketPath, _host.AddComponent("com.example.NoPolicy"));
        await using var any = await ConnectAsync(_host.SocketPath, _host.AddComponent("com.example.Any", """
            {"aws.greengrass.SecretManager": {"any:1": {"operations": ["*"], "resources": ["*"]}}}
            """));

        Assert.Equal("UnauthorizedError", ErrorCode(await denied.CallAsync("GetSecretValue", Request(DbArn))));
        var reply = await any.CallAsync("GetSecretValue", Request(ApiArn));

        Assert.Equal(new byte[] { 9, 8, 7 }, Json(reply).GetProperty("secretValue").GetProperty("secretBinary").GetBytesFromBase64());
    }

    [Fact]
    public async Task UnknownSecretVersionOrStage_ResourceNotFound_BadRequest_ServiceError()
    {
        await using var client = await ConnectAsync(_host.SocketPath, _host.AddComponent(Reader, DbOnly));

        // An unknown secret is not found for every caller: it is resolved before authorization, as in Greengrass.
        Assert.Equal("ResourceNotFoundError", ErrorCode(await client.CallAsync("GetSecretValue", Request("other"))));
        Assert.Equal("ResourceNotFoundError", ErrorCode(await client.CallAsync("GetSecretValue", Request(DbArn, versionId: "v2"))));
        Assert.Equal("ResourceNotFoundError", ErrorCode(await client.CallAsync("GetSecretValue", Request(DbArn, versionStage: "AWSPREVIOUS"))));
        Assert.Equal("ServiceError", ErrorCode(await client.CallAsync("GetSecretValue", Request(DbArn, "v1", "AWSCURRENT"))));
        Assert.Equal("ServiceError", ErrorCode(await client.CallAsync("GetSecretValue", "{}")));
    }

    [Fact]
    public async Task SecretManagerNotDeployed_ServiceErrorNamingIt()
    {
        await using var client = await ConnectAsync(_host.SocketPath, _host.AddComponent(Reader, DbOnly));
        _access.Deployed = null;

        var reply = await client.CallAsync("GetSecretValue", Request(DbArn));

        Assert.Equal("ServiceError", ErrorCode(reply));
        Assert.Contains("aws.greengrass.SecretManager is not deployed", Json(reply).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private sealed class Switchable : ISecretServiceAccess
    {
        public DeployedSecrets? Deployed { get; set; }

        public DeployedSecrets? Current => Deployed;
    }
}
