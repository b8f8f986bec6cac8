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

    /// <summary>
    /// The value for a component's <c>AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT</c>: the absolute path, or
    /// <c>../../&lt;socket file&gt;</c> when the absolute path does not fit in <c>sun_path</c> (components run in
    /// <c>&lt;root&gt;/work/&lt;name&gt;</c>, so that relative path reaches the socket in the root).
    /// </summary>
    public string ComponentSocketPath { get; private set; } = string.Empty;

    /// <summary>Binds the socket here so that a bad path fails the host at start.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(_options.SocketPath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        var (bindPath, componentPath) = ResolveBindPath(path);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(bindPath));
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
        ComponentSocketPath = componentPath;
        _stopping.Dispose();
        _stopping = new CancellationTokenSource();
        _accepting = AcceptLoopAsync(listener, _stopping.Token);
        IpcLog.Listening(_logger, path);
        return Task.CompletedTask;
    }

    /// <summary>
    /// sun_path holds 107 bytes. A longer path is bound through a symlink <c>./nucleusRoot</c> to the socket's
    /// folder in the working directory, as the Java nucleus does.
    /// </summary>
    private static (string BindPath, string ComponentPath) ResolveBindPath(string path)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(path) < MaxSocketPathBytes)
        {
            return (path, path);
        }

        var link = Path.Combine(Environment.CurrentDirectory, "nucleusRoot");
        if (new FileInfo(link).LinkTarget is not null)
        {
            File.Delete(link);
        }

        Directory.CreateSymbolicLink(link, Path.GetDirectoryName(path)!);
        var name = Path.GetFileName(path);
        return (Path.Combine("nucleusRoot", name), "../../" + name);
    }

    private const int MaxSocketPathBytes = 108;

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

            // Register before the connection can run: a connection that ends at once (a bad first frame) would
            // otherwise unregister itself before this line added it, and stay counted for ever.
            _connections[id] = Task.CompletedTask;
            var connection = RunConnectionAsync(id, client, cancellationToken);
            _connections.TryUpdate(id, connection, Task.CompletedTask);
        }
    }

    private async Task RunConnectionAsync(long id, Socket client, CancellationToken cancellationToken)
    {
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
        File.Delete(Path.GetFullPath(_options.SocketPath));
        IpcLog.Stopped(_logger);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _stopping.Dispose();
    }
}
