using System.Net.Sockets;
using Greengrass.Nucleus.Ipc;
using Greengrass.Nucleus.Ipc.EventStream;
using static Greengrass.Nucleus.Tests.Ipc.RawIpcClient;

namespace Greengrass.Nucleus.Tests.Ipc;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class IpcServerProtocolTests : IAsyncLifetime
{
    private IpcTestHost _host = null!;
    private string _token = null!;

    public async Task InitializeAsync()
    {
        _host = await IpcTestHost.StartAsync();
        _token = _host.AddComponent("com.example.A");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Handshake_KnownToken_IsAcceptedWithEmptyConnectAck()
    {
        await using var client = await OpenAsync(_host.SocketPath);

        var ack = await client.HandshakeAsync(_token);

        Assert.NotNull(ack);
        Assert.Equal(IpcMessageType.ConnectAck, Type(ack));
        Assert.Equal(IpcMessageFlags.ConnectionAccepted, Flags(ack));
        Assert.Equal(0, StreamId(ack));
        Assert.True(ack.Payload.IsEmpty);
        Assert.Empty(_host.LoggedErrors);
    }

    [Theory]
    [InlineData("NOSUCHTOKEN12345", "0.1.0")]
    [InlineData("", "0.1.0")]
    [InlineData(null, "0.2.0")]
    public async Task Handshake_BadTokenOrVersion_IsRefusedAndClosed(string? token, string version)
    {
        await using var client = await OpenAsync(_host.SocketPath);

        var ack = await client.HandshakeAsync(token ?? _token, version);

        Assert.NotNull(ack);
        Assert.Equal(IpcMessageType.ConnectAck, Type(ack));
        Assert.Equal(IpcMessageFlags.None, Flags(ack));
        Assert.Null(await client.ReceiveAsync());
    }

    [Fact]
    public async Task Handshake_PayloadNotJson_IsRefused()
    {
        await using var client = await OpenAsync(_host.SocketPath);
        var connect = new EventStreamMessage([EventStreamHeader.String(":version", "0.1.0"), .. IpcFrames.Envelope(IpcMessageType.Connect, 0, 0)], "not json"u8.ToArray());

        await client.SendAsync(connect);

        Assert.Equal(IpcMessageFlags.None, Flags((await client.ReceiveAsync())!));
        Assert.Null(await client.ReceiveAsync());
    }

    [Fact]
    public async Task Frame_BeforeConnect_GetsProtocolErrorAndClose()
    {
        await using var client = await OpenAsync(_host.SocketPath);

        await client.SendAsync(Request(1, "aws.greengrass#PublishToTopic", "{}"));

        var error = await client.ReceiveAsync();
        Assert.Equal(IpcMessageType.ProtocolError, Type(error!));
        Assert.Contains("CONNECT", Json(error!).GetProperty("message").GetString());
        Assert.Null(await client.ReceiveAsync());
    }

    [Fact]
    public async Task SecondConnect_GetsProtocolErrorAndClose()
    {
        await using var client = await ConnectAsync(_host.SocketPath, _token);

        await client.SendAsync(Connect(_token));

        Assert.Equal(IpcMessageType.ProtocolError, Type((await client.ReceiveAsync())!));
        Assert.Null(await client.ReceiveAsync());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task FirstStream_NotOne_GetsProtocolErrorAndClose(int streamId)
    {
        await using var client = await ConnectAsync(_host.SocketPath, _token);

        await client.SendAsync(Request(streamId, "aws.greengrass#UpdateState", """{"state":"RUNNING"}"""));

        Assert.Equal(IpcMessageType.ProtocolError, Type((await client.ReceiveAsync())!));
        Assert.Null(await client.ReceiveAsync());
    }

    [Fact]
    public async Task StreamId_SkippingOne_GetsProtocolErrorAndClose()
    {
        await using var client = await ConnectAsync(_host.SocketPath, _token);
        await client.CallAsync("UpdateState", """{"state":"RUNNING"}""");

        await client.SendAsync(Request(3, "aws.greengrass#UpdateState", """{"state":"RUNNING"}"""));

        var error = await client.ReceiveAsync();
        Assert.Equal(IpcMessageType.ProtocolError, Type(error!));
        Assert.Contains("next one (2)", Json(error!).GetProperty("message").GetString());
        Assert.Null(await client.ReceiveAsync());
    }

    [Fact]
    public async Task NewStream_WithoutOperationHeader_GetsProtocolError()
    {
        await using var client = await ConnectAsync(_host.SocketPath, _token);

        await client.SendAsync(Request(1, null, "{}"));

        var error = await client.ReceiveAsync();
        Assert.Equal(IpcMessageType.ProtocolError, Type(error!));
        Assert.Contains("operation header", Json(error!).GetProperty("message").GetString());
    }

    [Fact]
    public async Task ClosedStream_NonTerminateMessage_GetsProtocolError_TerminateIsIgnored()
    {
        await using var client = await ConnectAsync(_host.SocketPath, _token);
        await client.CallAsync("UpdateState", """{"state":"RUNNING"}""");

        await client.SendAsync(Request(1, null, "", IpcMessageFlags.TerminateStream));
        var ping = await PingAsync(client);
        Assert.Equal(IpcMessageType.PingResponse, Type(ping!));

        await client.SendAsync(Request(1, null, "{}"));
        Assert.Equal(IpcMessageType.ProtocolError, Type((await client.ReceiveAsync())!));
    }

    [Fact]
    public async Task UnknownOperation_GetsUnsupportedOperationErrorAndConnectionStays()
    {
        await using var client = await ConnectAsync(_host.SocketPath, _token);

        var reply = await client.CallAsync("NoSuchOperation", "{}");

        Assert.Equal(IpcMessageType.ApplicationError, Type(reply));
        Assert.Equal(IpcMessageFlags.TerminateStream, Flags(reply));
        Assert.Equal("application/json", Header(reply, ":content-type"));
        Assert.Equal("Unsupported Operation", Json(reply).GetProperty("error").GetString());
        Assert.Equal("aws.greengrass#NoSuchOperation is an unsupported operation.", Json(reply).GetProperty("message").GetString());
        Assert.Equal(IpcMessageType.ApplicationMessage, Type(await client.CallAsync("UpdateState", """{"state":"RUNNING"}""")));
    }

    [Fact]
    public async Task Ping_IsAnsweredWithPayloadAndCustomHeaders()
    {
        await using var client = await ConnectAsync(_host.SocketPath, _token);

        var pong = await PingAsync(client);

        Assert.Equal(IpcMessageType.PingResponse, Type(pong!));
        Assert.Equal("yes", Header(pong!, "echo"));
        Assert.Equal("hello"u8.ToArray(), pong!.Payload.ToArray());
    }

    [Fact]
    public async Task RequestResponse_ReplyCarriesShapeContentTypeAndTerminate()
    {
        await using var client = await ConnectAsync(_host.SocketPath, _token);

        var reply = await client.CallAsync("UpdateState", """{"state":"RUNNING"}""");

        Assert.Equal(IpcMessageType.ApplicationMessage, Type(reply));
        Assert.Equal(IpcMessageFlags.TerminateStream, Flags(reply));
        Assert.Equal("aws.greengrass#UpdateStateResponse", Header(reply, "service-model-type"));
        Assert.Equal("application/json", Header(reply, ":content-type"));
        Assert.Equal(("com.example.A", "RUNNING"), Assert.Single(_host.Lifecycle.Reports));
    }

    [Fact]
    public async Task BadRequestField_GetsInvalidArgumentsErrorNamingIt()
    {
        await using var client = await ConnectAsync(_host.SocketPath, _token);

        var reply = await client.CallAsync("UpdateState", """{"state":"SLEEPING"}""");

        Assert.Equal(IpcMessageType.ApplicationError, Type(reply));
        Assert.Equal("aws.greengrass#InvalidArgumentsError", Header(reply, "service-model-type"));
        var body = Json(reply);
        Assert.Equal("InvalidArgumentsError", body.GetProperty("_errorCode").GetString());
        Assert.Contains("state", body.GetProperty("_message").GetString());
        Assert.Equal(body.GetProperty("_message").GetString(), body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task CorruptFrame_ClosesThatConnectionOnly()
    {
        await using var other = await ConnectAsync(_host.SocketPath, _token);
        await using var bad = await ConnectAsync(_host.SocketPath, _token);
        var frame = EventStreamCodec.Encode(Request(1, "aws.greengrass#UpdateState", "{}"));
        frame[^1] ^= 0xff;

        await bad.SendRawAsync(frame);

        Assert.Null(await bad.ReceiveAsync());
        Assert.Equal(IpcMessageType.ApplicationMessage, Type(await other.CallAsync("UpdateState", """{"state":"RUNNING"}""")));
    }

    [Fact]
    public void Socket_IsWorldReadableAndWritable() =>
        Assert.Equal((UnixFileMode)0b110_110_110, File.GetUnixFileMode(_host.SocketPath) & (UnixFileMode)0b111_111_111);

    [Fact]
    public async Task StaleSocketFile_IsReplacedAtStart()
    {
        await _host.Server.StopAsync(CancellationToken.None);
        await File.WriteAllTextAsync(_host.SocketPath, "stale");

        await _host.Server.StartAsync(CancellationToken.None);

        await using var client = await ConnectAsync(_host.SocketPath, _token);
        Assert.Equal(IpcMessageType.ApplicationMessage, Type(await client.CallAsync("UpdateState", """{"state":"RUNNING"}""")));
    }

    [Fact]
    public async Task Stop_ClosesOpenConnections()
    {
        var client = await ConnectAsync(_host.SocketPath, _token);
        await using (client)
        {
            await _host.Server.StopAsync(CancellationToken.None);

            Assert.Null(await client.ReceiveAsync());
            Assert.Equal(0, _host.Server.ConnectionCount);
            await Assert.ThrowsAnyAsync<SocketException>(() => OpenAsync(_host.SocketPath));
        }

        await _host.Server.StartAsync(CancellationToken.None);
    }

    private static async Task<EventStreamMessage?> PingAsync(RawIpcClient client)
    {
        await client.SendAsync(IpcFrames.Control(IpcMessageType.Ping, IpcMessageFlags.None, "hello"u8.ToArray(), EventStreamHeader.String("echo", "yes")));
        return await client.ReceiveAsync();
    }
}
