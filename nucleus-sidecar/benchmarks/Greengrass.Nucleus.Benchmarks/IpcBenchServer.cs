using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using Greengrass.Nucleus.Ipc;
using Greengrass.Nucleus.Ipc.Authorization;
using Greengrass.Nucleus.Ipc.EventStream;
using Greengrass.Nucleus.Ipc.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Benchmarks;

/// <summary>An IPC server on a temporary socket with one component allowed to use pub/sub.</summary>
internal sealed class IpcBenchServer : IAsyncDisposable
{
    private const string Policy = """{"aws.greengrass.ipc.pubsub": {"bench": {"operations": ["*"], "resources": ["*"]}}}""";
    private readonly ServiceProvider _provider;
    private readonly string _directory;

    private IpcBenchServer(ServiceProvider provider, string directory, string token)
    {
        _provider = provider;
        _directory = directory;
        Token = token;
    }

    public string Token { get; }

    public string SocketPath => _provider.GetRequiredService<IpcServer>().SocketPath;

    public static async Task<IpcBenchServer> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "ggipc-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var registry = new InMemoryIpcComponentRegistry();
        var token = registry.Register("com.example.Bench", IpcAccessControl.Parse(Policy));
        var services = new ServiceCollection()
            .AddLogging(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning))
            .AddSingleton<IIpcComponentRegistry>(registry)
            .AddSingleton<IIpcLifecycle, NoHost>()
            .AddSingleton<IIpcComponentManager, NoHost>()
            .AddSingleton<IIpcLocalDeployments, NoHost>()
            .AddGreengrassIpc(o => o.SocketPath = Path.Combine(directory, "ipc.socket"));
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<IpcServer>().StartAsync(CancellationToken.None);
        return new IpcBenchServer(provider, directory, token);
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.GetRequiredService<IpcServer>().StopAsync(CancellationToken.None);
        await _provider.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>The pub/sub path needs none of the host seams; these answer as a host with no components.</summary>
    private sealed class NoHost : IIpcLifecycle, IIpcComponentManager, IIpcLocalDeployments
    {
        public ValueTask ReportStateAsync(string componentName, string state, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public IReadOnlyList<IpcComponentDetails> ListComponents() => [];

        public IpcComponentDetails? GetComponent(string componentName) => null;

        public ValueTask<IpcRequestStatus> RestartComponentAsync(string componentName, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new IpcRequestStatus(false, "no such component"));

        public ValueTask<IpcRequestStatus> StopComponentAsync(string componentName, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new IpcRequestStatus(false, "no such component"));

        public ValueTask<string> CreateAsync(LocalDeploymentRequest request, CancellationToken cancellationToken) =>
            throw new IpcServiceException("local deployments are not available in the benchmark host");

        public IpcLocalDeployment? Get(string deploymentId) => null;

        public ValueTask<string> CancelAsync(string deploymentId, CancellationToken cancellationToken) =>
            throw IpcServiceException.ResourceNotFound($"Cannot find the local deployment {deploymentId}");

        public IReadOnlyList<IpcLocalDeployment> List() => [];
    }
}

/// <summary>
/// A lean in-process IPC client: frames are written straight to the socket and a read loop counts the
/// frames that arrive, releasing a semaphore per application message.
/// </summary>
internal sealed class IpcBenchClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _reader;
    private readonly ArrayBufferWriter<byte> _out = new(64 * 1024);
    private Task? _reading;
    private int _nextStream = 1;

    private IpcBenchClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = PipeReader.Create(_stream);
    }

    public SemaphoreSlim Arrived { get; } = new(0);

    public static async Task<IpcBenchClient> ConnectAsync(string path, string token)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
        var client = new IpcBenchClient(socket);
        var connect = new EventStreamMessage(
            [EventStreamHeader.String(IpcFrames.VersionHeader, IpcFrames.ProtocolVersion), .. IpcFrames.Envelope(IpcMessageType.Connect, 0, 0)],
            Encoding.UTF8.GetBytes($$"""{"authToken":"{{token}}"}"""));
        await client._stream.WriteAsync(EventStreamCodec.Encode(connect));
        client._reading = client.ReadLoopAsync();
        await client.Arrived.WaitAsync();
        return client;
    }

    /// <summary>Queues a request on the next stream; <see cref="FlushAsync"/> sends what is queued.</summary>
    public void Queue(string operation, byte[] payload)
    {
        var frame = new EventStreamMessage(
            [EventStreamHeader.String(IpcFrames.OperationHeader, operation), .. IpcFrames.Envelope(IpcMessageType.ApplicationMessage, 0, _nextStream++)],
            payload);
        EventStreamCodec.Encode(frame, _out);
    }

    public async Task FlushAsync()
    {
        await _stream.WriteAsync(_out.WrittenMemory);
        _out.ResetWrittenCount();
    }

    private async Task ReadLoopAsync()
    {
        while (true)
        {
            var result = await _reader.ReadAsync();
            var buffer = result.Buffer;
            while (EventStreamCodec.TryDecode(ref buffer, EventStreamLimits.MaxMessageLength, out var message))
            {
                if (message!.TryGetHeader(IpcFrames.ServiceModelTypeHeader, out var shape) && shape.StringValue == PubSubIpcService.EventShape
                    || message.TryGetHeader(IpcFrames.MessageTypeHeader, out var type) && type.IntegerValue == (int)IpcMessageType.ConnectAck)
                {
                    Arrived.Release();
                }
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Shutdown(SocketShutdown.Both);
        await (_reading ?? Task.CompletedTask);
        await _reader.CompleteAsync();
        await _stream.DisposeAsync();
    }
}
