using System.Collections.Concurrent;
using Greengrass.EdgeCluster.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Greengrass.EdgeCluster.Hosting;

/// <summary>A running embedded edge cluster; dispose it to stop the server, its node agents and their processes.</summary>
public sealed class EdgeClusterHandle : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Certificates? _certificates;
    private readonly StatePersistence? _persistence;
    private readonly string _scratch;
    private readonly ErrorCapture _errors;

    internal EdgeClusterHandle(WebApplication app, ResourceStore store, string baseUrl, string token, string kubeconfigPath,
        Certificates? certificates, StatePersistence? persistence, string scratch, ErrorCapture errors)
    {
        _app = app;
        Store = store;
        BaseUrl = baseUrl;
        Token = token;
        KubeconfigPath = kubeconfigPath;
        _certificates = certificates;
        _persistence = persistence;
        _scratch = scratch;
        _errors = errors;
    }

    /// <summary>The API server URL, e.g. <c>https://127.0.0.1:40123</c>.</summary>
    public string BaseUrl { get; }

    /// <summary>The admin bearer token.</summary>
    public string Token { get; }

    /// <summary>Path of the kubeconfig that points at this cluster with the admin token.</summary>
    public string KubeconfigPath { get; }

    /// <summary>PEM of the CA that signed the serving certificate, or null over plain HTTP.</summary>
    public string? CaCertificatePem => _certificates?.CaPem;

    /// <summary>Errors the cluster logged since start; a healthy run has none.</summary>
    public IReadOnlyList<string> LoggedErrors => [.. _errors.Messages];

    internal ResourceStore Store { get; }

    /// <summary>Stops serving, stops node agents (terminating their processes) and flushes persisted state.</summary>
    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await _app.StopAsync(timeout.Token);
        }
        await _app.DisposeAsync();
        _persistence?.Dispose();
        _certificates?.Dispose();
        try
        {
            Directory.Delete(_scratch, recursive: true);
        }
        catch (IOException)
        {
            // a process still holding a file: the temporary directory is left for the OS to clean
        }
    }
}

/// <summary>Records Error-level log entries so tests can assert a clean run.</summary>
internal sealed class ErrorCapture : ILoggerProvider
{
    public ConcurrentQueue<string> Messages { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(ErrorCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.Messages.Enqueue($"{category}: {formatter(state, exception)} {exception}");
            }
        }
    }
}
