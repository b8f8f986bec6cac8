using System.Collections.Concurrent;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Greengrass.Nucleus.Ipc;

/// <summary>
/// The Greengrass IPC server: a Unix domain socket (mode rw-rw-rw-, stale file removed) whose accept loop
/// hands each client to an <see cref="IpcConnection"/>. Connections are async state, not threads; stopping
/// the server ends every connection and waits for them.
/// </summary>
internal sealed class IpcServer : IHostedService, IAsyncDisposable
{
    private readonly IpcServerOptions _options;
    private readonly IIpcComponentRegistry _registry;
    private readonly IpcOperationDispatcher _dispatcher;
    private readonly ILogger<IpcServer> _logger;
    private readonly ConcurrentDictionary<long, Task> _connections = new();
    private CancellationTokenSource _stopping = new();
    private Socket? _listener;
    private Task? _accepting;
    private long _nextConnectionId;

    public IpcServer(
        IOptions<IpcServerOptions> options, IIpcComponentRegistry registry, IpcOperationDispatcher dispatcher, ILogger<IpcServer> logger)
    {
        _options = options.Value;
        _registry = registry;
        _dispatcher = dispatcher;
        _logger = logger;
    }

    public string SocketPath => _options.SocketPath;

    /// <summary>Connections currently open (for tests and metrics).</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>Binds the socket here so that a bad path fails the host at start.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var path = _options.SocketPath;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            // Every component runs as its own user; all of them must reach the socket (§6.1).
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, (UnixFileMode)0b110_110_110);
            }

            listener.Listen(512);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _listener = listener;
        _stopping.Dispose();
        _stopping = new CancellationTokenSource();
        _accepting = AcceptLoopAsync(listener, _stopping.Token);
        IpcLog.Listening(_logger, path);
        return Task.CompletedTask;
    }

    private async Task AcceptLoopAsync(Socket listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                // EMFILE and friends: keep serving the connections that exist, try again.
                IpcLog.ConnectionError(_logger, 0, ex.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            var id = Interlocked.Increment(ref _nextConnectionId);
            _connections[id] = RunConnectionAsync(id, client, cancellationToken);
        }
    }

    private async Task RunConnectionAsync(long id, Socket client, CancellationToken cancellationToken)
    {
        // Yield first so the task is registered before it can finish and unregister itself.
        await Task.Yield();
        try
        {
            var connection = new IpcConnection(id, client, _options, _registry, _dispatcher, _logger);
            await connection.RunAsync(cancellationToken);
        }
        finally
        {
            _connections.TryRemove(id, out _);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_listener is null)
        {
            return;
        }

        await _stopping.CancelAsync();
        _listener.Dispose();
        await (_accepting ?? Task.CompletedTask).WaitAsync(cancellationToken);
        await Task.WhenAll(_connections.Values).WaitAsync(cancellationToken);
        _listener = null;
        File.Delete(_options.SocketPath);
        IpcLog.Stopped(_logger);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _stopping.Dispose();
    }
}
