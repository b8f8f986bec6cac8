using System.Collections.Concurrent;
using Greengrass.Nucleus.Cli;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Core.Lifecycle;
using Greengrass.Nucleus.Ipc.Services;
using Greengrass.Nucleus.Runtime;
using CapturingLoggerProvider = Greengrass.Nucleus.Tests.Ipc.CapturingLoggerProvider;
using Greengrass.Nucleus.Tests.TestSupport;
using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Tests.Runtime;

/// <summary>
/// A real nucleus runtime on a fresh root with the sample components of <c>e2e/fixtures/components</c>: records every
/// state transition and every log entry, and helps deploy and wait.
/// </summary>
internal sealed class RuntimeFixture : IAsyncDisposable
{
    private readonly TempDirectory? _directory;
    private readonly ConcurrentQueue<StateTransition> _transitions = new();

    private RuntimeFixture(
        bool enableIpc, Greengrass.Nucleus.Mqtt.MqttSettings? mqtt, string? root = null, Greengrass.Nucleus.Aws.AwsSettings? aws = null,
        IReadOnlyList<Greengrass.Nucleus.Secrets.MappedSecret>? secrets = null)
    {
        // A given root belongs to the caller: it outlives this runtime, as a nucleus root outlives a nucleus restart.
        _directory = root is null ? new TempDirectory() : null;
        Logs = new CapturingLoggerProvider(LogLevel.Information);
        LoggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Information));
        Runtime = new NucleusRuntime(new NucleusRuntimeOptions
        {
            Root = root ?? _directory!.Combine("root"),
            ThingName = "test-device",
            Region = aws?.Region ?? "",
            Aws = aws,
            Secrets = secrets ?? [],
            EnableIpc = enableIpc,
            // The test machine runs as root; components need an explicit user then (§2.7).
            DefaultPosixUser = Environment.UserName == "root" ? "root" : null,
            // Exact Greengrass timing: retries without back-off keep the BROKEN tests short.
            RestartPolicy = RestartPolicy.Immediate,
            GracefulStopTimeout = TimeSpan.FromSeconds(2),
            LoggerFactory = LoggerFactory,
            Mqtt = mqtt,
        });
        Runtime.Transitioned += _transitions.Enqueue;
    }

    public NucleusRuntime Runtime { get; }

    public CapturingLoggerProvider Logs { get; }

    public ILoggerFactory LoggerFactory { get; }

    public string Root => Runtime.Paths.Root;

    public static string FixturesDirectory { get; } = FindFixtures();

    public static string RecipesDirectory => Path.Combine(FixturesDirectory, "recipes");

    public static string ArtifactsDirectory => Path.Combine(FixturesDirectory, "artifacts");

    public static Task<RuntimeFixture> StartAsync(bool enableIpc = false, Greengrass.Nucleus.Mqtt.MqttSettings? mqtt = null) =>
        StartAsync(new RuntimeFixture(enableIpc, mqtt));

    /// <summary>A runtime with AWS access (s3:// artifacts, token exchange service).</summary>
    public static Task<RuntimeFixture> StartWithAwsAsync(Greengrass.Nucleus.Aws.AwsSettings aws) =>
        StartAsync(new RuntimeFixture(enableIpc: false, mqtt: null, aws: aws));

    /// <summary>A runtime with IPC and mounted secrets (CoreDevice spec.secrets) for GetSecretValue.</summary>
    public static Task<RuntimeFixture> StartWithSecretsAsync(params Greengrass.Nucleus.Secrets.MappedSecret[] secrets) =>
        StartAsync(new RuntimeFixture(enableIpc: true, mqtt: null, secrets: secrets));

    /// <summary>A runtime on an existing root, which the caller keeps (to start another runtime on it afterwards).</summary>
    public static Task<RuntimeFixture> StartOnAsync(string root) => StartAsync(new RuntimeFixture(enableIpc: false, mqtt: null, root));

    private static async Task<RuntimeFixture> StartAsync(RuntimeFixture fixture)
    {
        try
        {
            await fixture.Runtime.StartAsync(CancellationToken.None);
        }
        catch
        {
            await fixture.DisposeAsync(); // a failed start (e.g. a taken MQTT port) leaves nothing running
            throw;
        }

        return fixture;
    }

    /// <summary>Deploys sample components by name (version 1.0.0) as a local deployment; returns the deployment id.</summary>
    public Task<string> DeployAsync(string[] merge, string[]? remove = null, FailureHandlingPolicy policy = FailureHandlingPolicy.Rollback,
        Dictionary<string, System.Text.Json.Nodes.JsonObject>? configuration = null) =>
        Runtime.CreateLocalDeploymentAsync(new LocalDeploymentRequest
        {
            RecipeDirectoryPath = RecipesDirectory,
            ArtifactsDirectoryPath = ArtifactsDirectory,
            RootComponentVersionsToAdd = merge.ToDictionary(n => n, _ => "1.0.0"),
            RootComponentsToRemove = remove?.ToList(),
            ComponentToConfiguration = configuration,
            FailureHandlingPolicy = policy == FailureHandlingPolicy.DoNothing ? "DO_NOTHING" : "ROLLBACK",
        }, CancellationToken.None);

    public async Task<DeploymentReport> WaitForDeploymentAsync(string deploymentId, int seconds = 90)
    {
        DeploymentReport? final = null;
        await Eventually.HoldsAsync(
            () => (final = Runtime.Deployments().LastOrDefault(d => d.DeploymentId == deploymentId)?.Report) is { Status: not DeploymentStatus.InProgress },
            $"deployment {deploymentId} ends (components: {Describe()})",
            TimeSpan.FromSeconds(seconds));
        return final!;
    }

    public Task WaitForStateAsync(string component, ComponentState state, int seconds = 60) =>
        Eventually.HoldsAsync(() => StateOf(component) == state, $"{component} is {state} (components: {Describe()})", TimeSpan.FromSeconds(seconds));

    public ComponentState? StateOf(string component) => Runtime.Report().Components.FirstOrDefault(c => c.Name == component)?.State;

    public ComponentReport ReportOf(string component) => Runtime.Report().Components.Single(c => c.Name == component);

    /// <summary>Every transition of every component, in the order the runtime published them.</summary>
    public IReadOnlyList<StateTransition> Transitions => [.. _transitions];

    /// <summary>The states <paramref name="component"/> entered, in order.</summary>
    public IReadOnlyList<ComponentState> StatesOf(string component) =>
        [.. _transitions.Where(t => t.Component == component).Select(t => t.To)];

    public string WorkFile(string component, string file) => Path.Combine(Root, "work", component, file);

    public string[] Lines(string path) => File.Exists(path) ? File.ReadAllLines(path) : [];

    public string Describe() => string.Join(", ", Runtime.Report().Components.Select(c => $"{c.Name}={c.State} {c.Message}"));

    public async ValueTask DisposeAsync()
    {
        await Runtime.DisposeAsync();
        LoggerFactory.Dispose();
        _directory?.Dispose();
    }

    private static string FindFixtures()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Greengrass.Operator.sln")))
            {
                return Path.Combine(dir.FullName, "e2e", "fixtures", "components");
            }
        }

        throw new InvalidOperationException("e2e/fixtures/components not found above the test folder");
    }
}
