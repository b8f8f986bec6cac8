using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Greengrass.Nucleus.Ipc;
using Greengrass.Nucleus.Ipc.EventStream;
using Greengrass.Nucleus.Ipc.Services;
using Greengrass.Nucleus.Shadows;
using Greengrass.Nucleus.Tests.Ipc;
using Greengrass.Nucleus.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static Greengrass.Nucleus.Tests.Ipc.RawIpcClient;

namespace Greengrass.Nucleus.Tests.Shadows;

/// <summary>The shadow operations on the IPC wire: error shapes, bad input and the rejected notifications.</summary>
public sealed class ShadowIpcTests : IAsyncLifetime
{
    private const string Component = "com.example.ShadowUser";

    private const string Policy = """
        {"aws.greengrass.ShadowManager": {"com.example.ShadowUser:shadow:1": {"operations": ["*"], "resources": ["*"]}}}
        """;

    private readonly TempDirectory _directory = new();
    private IpcTestHost _host = null!;
    private string _token = "";

    public async Task InitializeAsync()
    {
        _host = await IpcTestHost.StartAsync(services: services =>
            services.AddSingleton<IShadowServiceAccess>(sp => new FixedShadowService(new ShadowService(
                new ShadowStore(_directory.Combine("shadows"), sp.GetRequiredService<ILogger<ShadowStore>>()),
                sp.GetRequiredService<LocalPubSub>(), TimeProvider.System, sp.GetRequiredService<ILogger<ShadowService>>()))));
        _token = _host.AddComponent(Component, Policy);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _directory.Dispose();
    }

    private static string Body(string thing, string shadow, string? document = null) => JsonSerializer.Serialize(new
    {
        thingName = thing,
        shadowName = shadow,
        payload = document is null ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes(document)),
    });

    private static string ErrorCode(EventStreamMessage reply) => Json(reply).GetProperty("_errorCode").GetString()!;

    [Fact]
    public async Task Update_ThenGet_PayloadIsBase64JsonDocument()
    {
        await using var client = await ConnectAsync(_host.SocketPath, _token);

        var update = await client.CallAsync("UpdateThingShadow", Body("t1", "cfg", """{"state":{"reported":{"a":1}}}"""));
        var get = await client.CallAsync("GetThingShadow", Body("t1", "cfg"));

        Assert.Equal(IpcMessageType.ApplicationMessage, Type(update));
        Assert.Equal("aws.greengrass#UpdateThingShadowResponse", Header(update, "service-model-type"));
        var document = JsonDocument.Parse(Json(get).GetProperty("payload").GetBytesFromBase64()).RootElement;
        Assert.Equal(1, document.GetProperty("state").GetProperty("reported").GetProperty("a").GetInt32());
        Assert.Equal(1, document.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task BadInput_InvalidArgumentsNamingTheField_AndRejectedIsPublished()
    {
        var rejected = new ConcurrentQueue<PubSubMessage>();
        using var subscription = _host.Bus.Subscribe("$aws/things/t1/shadow/update/rejected", "com.example.Watcher", true, rejected.Enqueue);
        await using var client = await ConnectAsync(_host.SocketPath, _token);

        var badThing = await client.CallAsync("GetThingShadow", Body("bad/thing", ""));
        var badPayload = await client.CallAsync("UpdateThingShadow", Body("t1", "", """{"state":{"delta":{}},"clientToken":"c9"}"""));
        var noPayload = await client.CallAsync("UpdateThingShadow", Body("t1", "n"));
        var badPage = await client.CallAsync("ListNamedShadowsForThing", """{"thingName":"t1","pageSize":0}""");
        var badToken = await client.CallAsync("ListNamedShadowsForThing", """{"thingName":"t1","nextToken":"bm9wZQ=="}""");

        Assert.All([badThing, badPayload, noPayload, badPage, badToken], r => Assert.Equal("InvalidArgumentsError", ErrorCode(r)));
        Assert.Contains("thingName", Json(badThing).GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("state.delta", Json(badPayload).GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("payload is required", Json(noPayload).GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("pageSize", Json(badPage).GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("nextToken", Json(badToken).GetProperty("message").GetString(), StringComparison.Ordinal);
        var message = Assert.Single(rejected);
        var body = JsonDocument.Parse(message.Binary!).RootElement;
        Assert.Equal(400, body.GetProperty("code").GetInt32());
        Assert.Equal("c9", body.GetProperty("clientToken").GetString());
        Assert.Empty(_host.LoggedErrors);
    }

    [Fact]
    public async Task GetAndDelete_MissingShadow_ResourceNotFound()
    {
        await using var client = await ConnectAsync(_host.SocketPath, _token);

        Assert.Equal("ResourceNotFoundError", ErrorCode(await client.CallAsync("GetThingShadow", Body("t1", ""))));
        Assert.Equal("ResourceNotFoundError", ErrorCode(await client.CallAsync("DeleteThingShadow", Body("t1", "x"))));
    }

    [Fact]
    public async Task NoShadowManager_ServiceErrorNamingTheMissingPlugin()
    {
        await using var host = await IpcTestHost.StartAsync();
        var token = host.AddComponent(Component, Policy);
        await using var client = await ConnectAsync(host.SocketPath, token);

        var reply = await client.CallAsync("GetThingShadow", Body("t1", ""));

        // As the Java nucleus answers an operation whose plugin is absent: a modelled ServiceError, not "Unsupported Operation".
        Assert.Equal(IpcMessageType.ApplicationError, Type(reply));
        Assert.Equal("ServiceError", ErrorCode(reply));
        Assert.Equal("Operation aws.greengrass#GetThingShadow is not supported by Greengrass: aws.greengrass.ShadowManager is not deployed",
            Json(reply).GetProperty("message").GetString());
    }
}
