using Greengrass.Nucleus.Secrets;
using Greengrass.Nucleus.Tests.Ipc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static Greengrass.Nucleus.Tests.Secrets.SecretFixture;

namespace Greengrass.Nucleus.Tests.Secrets;

/// <summary>GetSecretValue driven by the unmodified npm aws-iot-device-sdk-v2 client, run as a real process.</summary>
public sealed class SecretSdkTests : IAsyncLifetime
{
    private const string Reader = "com.example.SecretReader";

    private const string Policy = $$$$"""
        {"aws.greengrass.SecretManager": {"com.example.SecretReader:secrets:1": {
           "operations": ["aws.greengrass#GetSecretValue"], "resources": ["{{{{DbArn}}}}"]}}}
        """;

    private readonly SecretFixture _mounts = new();
    private MappedSecret _db = null!;
    private IpcTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _db = _mounts.Mount(DbArn, "db", Key("secretString", "from-kubernetes"), Key("versionStages", "AWSCURRENT,prod"));
        var api = _mounts.Mount(ApiArn, "api", ("secretBinary", [1, 2, 3]));
        _host = await IpcTestHost.StartAsync(services: s => s.AddSingleton<ISecretServiceAccess>(sp =>
            new FixedSecretService(new SecretService([_db, api], sp.GetRequiredService<ILogger<SecretService>>()), [DbArn, ApiArn])));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _mounts.Dispose();
    }

    [SdkFact]
    public async Task Sdk_GetByNameAndStage_ValueFromTheMountedSecret_ThenTheRotatedValue()
    {
        var token = _host.AddComponent(Reader, Policy);

        await using (var peer = NodePeer.Start(_host.SocketPath, token, "secret", "db-password", "-", "prod"))
        {
            await peer.ExitedCleanlyAsync();
            var secret = Assert.Single(peer.All("secret"));
            Assert.Equal(DbArn, secret.GetProperty("secretId").GetString());
            Assert.Equal("from-kubernetes", secret.GetProperty("secretString").GetString());
            Assert.Equal(["AWSCURRENT", "prod"], secret.GetProperty("versionStage").EnumerateArray().Select(e => e.GetString()));
        }

        Write(_db.Directory, Key("secretString", "rotated"));
        await using var again = NodePeer.Start(_host.SocketPath, token, "secret", DbArn);
        await again.ExitedCleanlyAsync();

        Assert.Equal("rotated", Assert.Single(again.All("secret")).GetProperty("secretString").GetString());
        Assert.Empty(_host.LoggedErrors);
    }

    [SdkFact]
    public async Task Sdk_SecretOutsideThePolicy_UnauthorizedError_UnknownSecret_ResourceNotFoundError()
    {
        var token = _host.AddComponent(Reader, Policy);

        await using var denied = NodePeer.Start(_host.SocketPath, token, "secret", ApiArn);
        await using var unknown = NodePeer.Start(_host.SocketPath, token, "secret", "no-such-secret");
        await denied.ExitedCleanlyAsync();
        await unknown.ExitedCleanlyAsync();

        Assert.Equal("UnauthorizedError", Assert.Single(denied.Lines).GetProperty("error").GetString());
        Assert.Equal("ResourceNotFoundError", Assert.Single(unknown.Lines).GetProperty("error").GetString());
    }
}
