using Greengrass.Nucleus.Ipc;
using Greengrass.Nucleus.Ipc.Authorization;
using Greengrass.Nucleus.Ipc.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Tests.Ipc;

/// <summary>
/// A running IPC server on a fresh socket, wired through <see cref="IpcServiceCollectionExtensions.AddGreengrassIpc"/>
/// with the in-memory token registry and recording fakes for the seams the supervisor implements later.
/// </summary>
internal sealed class IpcTestHost : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly string _directory;

    private IpcTestHost(ServiceProvider provider, string directory, CapturingLoggerProvider logs)
    {
        _provider = provider;
        _directory = directory;
        Logs = logs;
    }

    public string SocketPath => Server.SocketPath;

    public IServiceProvider Services => _provider;

    public IpcServer Server => _provider.GetRequiredService<IpcServer>();

    public InMemoryIpcComponentRegistry Registry => _provider.GetRequiredService<InMemoryIpcComponentRegistry>();

    public RecordingLifecycle Lifecycle => _provider.GetRequiredService<RecordingLifecycle>();

    public FakeComponentManager Components => _provider.GetRequiredService<FakeComponentManager>();

    public LocalPubSub Bus => _provider.GetRequiredService<LocalPubSub>();

    public IIpcConfigurationStore Configuration => _provider.GetRequiredService<IIpcConfigurationStore>();

    public ComponentUpdateCoordinator Updates => _provider.GetRequiredService<ComponentUpdateCoordinator>();

    public ConfigurationValidationCoordinator Validation => _provider.GetRequiredService<ConfigurationValidationCoordinator>();

    public CapturingLoggerProvider Logs { get; }

    public static async Task<IpcTestHost> StartAsync(
        Action<IpcServerOptions>? configure = null, Action<IServiceCollection>? services = null, LogLevel minimumLogLevel = LogLevel.Information)
    {
        // Short path: sun_path holds at most 107 bytes.
        var directory = Path.Combine(Path.GetTempPath(), "ggipc-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(directory);
        var collection = new ServiceCollection();
        var logs = new CapturingLoggerProvider(minimumLogLevel);
        collection.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(minimumLogLevel));
        collection.AddSingleton<InMemoryIpcComponentRegistry>();
        collection.AddSingleton<IIpcComponentRegistry>(sp => sp.GetRequiredService<InMemoryIpcComponentRegistry>());
        collection.AddSingleton<RecordingLifecycle>();
        collection.AddSingleton<IIpcLifecycle>(sp => sp.GetRequiredService<RecordingLifecycle>());
        collection.AddSingleton<FakeComponentManager>();
        collection.AddSingleton<IIpcComponentManager>(sp => sp.GetRequiredService<FakeComponentManager>());
        collection.AddSingleton<IIpcLocalDeployments, FakeLocalDeployments>();
        services?.Invoke(collection);
        collection.AddGreengrassIpc(o =>
        {
            o.SocketPath = Path.Combine(directory, "ipc.socket");
            configure?.Invoke(o);
        });
        var host = new IpcTestHost(collection.BuildServiceProvider(), directory, logs);
        await host.Server.StartAsync(CancellationToken.None);
        return host;
    }

    /// <summary>Errors the code under test logged; a test asserts this is empty unless it provoked one.</summary>
    public IReadOnlyList<string> LoggedErrors => Logs.Errors;

    /// <summary>Registers a component with an accessControl given as JSON; returns its SVCUID.</summary>
    public string AddComponent(string name, string? accessControlJson = null) =>
        Registry.Register(name, accessControlJson is null ? null : IpcAccessControl.Parse(accessControlJson));

    public async ValueTask DisposeAsync()
    {
        await Server.StopAsync(CancellationToken.None);
        await _provider.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
