using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Greengrass.Nucleus.Ipc;
using Greengrass.Nucleus.Ipc.Authorization;
using Greengrass.Nucleus.Ipc.Services;
using Greengrass.Nucleus.Mqtt.Auth;
using Greengrass.Nucleus.Mqtt.Broker;
using Greengrass.Nucleus.Tests.Mqtt;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

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

/// <summary>
/// An IPC server with client device auth switched by hand, as the client device auth IPC tests need it: a real core
/// device CA (<see cref="Pki"/>), a fake clock for certificate expiry, and an auth context the test swaps at will
/// (<see cref="Current"/>; null is "aws.greengrass.clientdevices.Auth is not deployed"). Callers connect as the custom
/// broker component <see cref="Broker"/>.
/// </summary>
internal sealed class ClientDeviceAuthIpcHost : IAsyncDisposable
{
    public const string Broker = "com.example.Broker";

    private readonly SwitchableClientDeviceAuth _access = new(null);
    private IpcTestHost _host = null!;

    private ClientDeviceAuthIpcHost()
    {
    }

    public TestPki Pki { get; } = new();

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public IpcTestHost Host => _host;

    /// <summary>The auth context the IPC services see now; null when client device auth is not deployed.</summary>
    public ClientDeviceAuthContext? Current
    {
        get => _access.Current;
        set => _access.Current = value;
    }

    public ServerCertificateSubscriptions Subscriptions => _host.Services.GetRequiredService<ServerCertificateSubscriptions>();

    public static async Task<ClientDeviceAuthIpcHost> StartAsync()
    {
        var auth = new ClientDeviceAuthIpcHost();
        auth._host = await IpcTestHost.StartAsync(services: s =>
        {
            s.AddSingleton<TimeProvider>(auth.Time);
            s.AddSingleton<IClientDeviceAuthAccess>(auth._access);
        });
        return auth;
    }

    /// <summary>Connects as <see cref="Broker"/> with <paramref name="policy"/> as its access control policy.</summary>
    public Task<RawIpcClient> ConnectAsBrokerAsync(string policy) => RawIpcClient.ConnectAsync(_host.SocketPath, _host.AddComponent(Broker, policy));

    /// <summary>
    /// The context a deployed Auth component makes: <paramref name="groups"/> (device groups and policies JSON), the
    /// host names and addresses its server certificates name, and the certificates attached to things by the plan.
    /// </summary>
    public static ClientDeviceAuthContext Context(
        CertificateAuthority ca,
        string groups,
        string[] hosts,
        int maxTokens = ClientDeviceAuthContext.DefaultMaxActiveAuthTokens,
        params (string Thing, X509Certificate2 Certificate)[] attached)
    {
        var registry = new StaticClientDeviceRegistry();
        foreach (var (thing, certificate) in attached)
        {
            registry.Attach(thing, certificate);
        }

        var authorizer = new ClientDeviceAuthorizer(registry);
        authorizer.Configure(DeviceGroups.Parse(JsonNode.Parse(groups)));
        return new ClientDeviceAuthContext(authorizer, registry, registry, ca, hosts, TimeSpan.FromDays(7), maxTokens);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        Pki.Dispose();
    }
}
