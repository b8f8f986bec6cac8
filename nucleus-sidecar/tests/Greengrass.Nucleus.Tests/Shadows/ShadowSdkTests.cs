using System.Text.Json;
using Greengrass.Nucleus.Ipc.Services;
using Greengrass.Nucleus.Shadows;
using Greengrass.Nucleus.Tests.Ipc;
using Greengrass.Nucleus.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Tests.Shadows;

/// <summary>The shadow operations driven by the unmodified npm aws-iot-device-sdk-v2 client, run as a real process.</summary>
public sealed class ShadowSdkTests : IAsyncLifetime
{
    private const string Component = "com.example.ShadowUser";
    private const string Thing = "dev-1";

    private const string Policy = """
        {"aws.greengrass.ShadowManager": {"com.example.ShadowUser:shadow:1": {
           "operations": ["aws.greengrass#GetThingShadow", "aws.greengrass#UpdateThingShadow", "aws.greengrass#DeleteThingShadow",
                          "aws.greengrass#ListNamedShadowsForThing"],
           "resources": ["$aws/things/dev-1/shadow", "$aws/things/dev-1/shadow/name/*"]}},
         "aws.greengrass.ipc.pubsub": {"com.example.ShadowUser:pubsub:1": {
           "operations": ["aws.greengrass#SubscribeToTopic"], "resources": ["$aws/things/dev-1/shadow/*"]}}}
        """;

    private readonly TempDirectory _directory = new();
    private IpcTestHost _host = null!;

    public async Task InitializeAsync() => _host = await IpcTestHost.StartAsync(services: services =>
        services.AddSingleton<IShadowServiceAccess>(sp => new FixedShadowService(new ShadowService(
            new ShadowStore(_directory.Combine("shadows"), sp.GetRequiredService<ILogger<ShadowStore>>()),
            sp.GetRequiredService<LocalPubSub>(), TimeProvider.System, sp.GetRequiredService<ILogger<ShadowService>>()))));

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _directory.Dispose();
    }

    [SdkFact]
    public async Task Sdk_UpdateGetListDelete_WorkAndDeltaArrivesOnSubscribeToTopic()
    {
        var token = _host.AddComponent(Component, Policy);

        await using var peer = NodePeer.Start(_host.SocketPath, token, "shadow", Thing);
        await peer.ExitedCleanlyAsync(timeoutSeconds: 120);

        var update = peer.All("update").Single();
        Assert.Equal(1, update.GetProperty("version").GetInt64());
        Assert.Equal("sdk-1", update.GetProperty("clientToken").GetString());
        Assert.Equal("red", update.GetProperty("state").GetProperty("desired").GetProperty("color").GetString());
        Assert.True(update.GetProperty("metadata").GetProperty("reported").GetProperty("color").TryGetProperty("timestamp", out _));

        var delta = peer.All("delta").Single();
        Assert.Equal("red", delta.GetProperty("state").GetProperty("color").GetString());
        Assert.Equal($"$aws/things/{Thing}/shadow/update/delta", peer.All("topic").Single().GetString());

        var get = peer.All("get").Single();
        Assert.Equal("red", get.GetProperty("state").GetProperty("delta").GetProperty("color").GetString());
        Assert.Equal("blue", get.GetProperty("state").GetProperty("reported").GetProperty("color").GetString());

        var page1 = peer.All("page1").Single();
        Assert.Equal(["n1", "n2"], page1.GetProperty("results").EnumerateArray().Select(e => e.GetString()));
        Assert.False(string.IsNullOrEmpty(page1.GetProperty("nextToken").GetString()));
        var page2 = peer.All("page2").Single();
        Assert.Equal(["n3"], page2.GetProperty("results").EnumerateArray().Select(e => e.GetString()));
        Assert.False(page2.TryGetProperty("nextToken", out var next) && next.ValueKind == JsonValueKind.String);

        Assert.Equal("ConflictError", peer.All("stale").Single().GetProperty("error").GetString());
        Assert.Equal(1, peer.All("delete").Single().GetProperty("version").GetInt64());
        Assert.Equal("ResourceNotFoundError", peer.All("getDeleted").Single().GetProperty("error").GetString());
        Assert.Empty(_host.LoggedErrors);
    }

    [SdkFact]
    public async Task Sdk_ShadowOutsideThePolicy_UnauthorizedError()
    {
        var token = _host.AddComponent(Component, Policy);

        await using var peer = NodePeer.Start(_host.SocketPath, token, "shadow-get", "other-thing", "-");
        await peer.ExitedCleanlyAsync();

        var reply = Assert.Single(peer.Lines);
        Assert.Equal("UnauthorizedError", reply.GetProperty("error").GetString());
        Assert.Contains("$aws/things/other-thing/shadow", reply.GetProperty("serviceError").GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
