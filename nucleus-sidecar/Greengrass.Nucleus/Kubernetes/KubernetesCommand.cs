using System.Runtime.InteropServices;
using Greengrass.Nucleus.Mqtt;
using Greengrass.Nucleus.Runtime;
using Microsoft.Extensions.Logging;

namespace Greengrass.Nucleus.Kubernetes;

/// <summary>
/// <c>greengrass-nucleus kubernetes --root DIR</c>: the nucleus of a nucleus pod. Reads its identity from
/// the environment the operator gives the pod (GG_THING_NAME, GG_CORE_DEVICE, GG_PLAN_CONFIGMAP,
/// GG_NAMESPACE, GG_POD_NAME; the MQTT section of the plan, or else GG_MQTT_CONFIG, a JSON document, configures the MQTT
/// broker and bridge; GG_MQTT_UPSTREAM_DIR is where the upstream certificate Secret is mounted; GG_AWS_REGION,
/// GG_S3_ENDPOINT and the credentials source (GG_AWS_CREDENTIALS_DIR, or GG_AWS_IOT_CRED_ENDPOINT, GG_AWS_IOT_ROLE_ALIAS and
/// GG_AWS_IOT_IDENTITY_DIR) give AWS access for s3:// artifacts and the token exchange service; GG_SECRETS maps secret ARNs
/// to mounted Secrets for GetSecretValue) and its API access from its service account; applies every new plan
/// revision and reports back. When the API is unreachable the components keep running on the last
/// applied plan, which the runtime restores from its root after a restart.
/// </summary>
internal static class KubernetesCommand
{
    public const string Usage = "usage: greengrass-nucleus kubernetes --root DIR [--log-level LEVEL] [--metrics-port PORT (9100; 0 turns it off)]";

    public static async Task<int> RunAsync(string[] args, TextWriter error)
    {
        var root = Option(args, "--root");
        string? Env(string name) => Environment.GetEnvironmentVariable(name);
        var thing = Env("GG_THING_NAME");
        var device = Env("GG_CORE_DEVICE");
        var pod = Env("GG_POD_NAME");
        if (root is null || thing is null || device is null || pod is null)
        {
            await error.WriteLineAsync($"{Usage}\n(and GG_THING_NAME, GG_CORE_DEVICE, GG_POD_NAME in the environment, as the operator sets them)");
            return 2;
        }

        MqttSettings? mqtt = null;
        if (Env("GG_MQTT_CONFIG") is { Length: > 0 } mqttJson)
        {
            try
            {
                mqtt = RuntimeMqtt.ParseSettings(mqttJson);
                mqtt.ApplyDeviceEnvironment(Env("GG_CA_DIRECTORY"), Env("GG_BROKER_HOSTS"));
            }
            catch (FormatException ex)
            {
                await error.WriteLineAsync($"GG_MQTT_CONFIG: {ex.Message}");
                return 2;
            }
        }

        using var connection = ClusterConnection.FromEnvironment(Env);
        if (connection is null)
        {
            await error.WriteLineAsync("no Kubernetes service account found (KUBERNETES_SERVICE_HOST and the token file); use `greengrass-nucleus run` outside a pod");
            return 2;
        }

        var level = Enum.TryParse<LogLevel>(Option(args, "--log-level") ?? Env("GG_LOG_LEVEL"), true, out var parsed) ? parsed : LogLevel.Information;
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(c =>
        {
            c.SingleLine = true;
            c.TimestampFormat = "HH:mm:ss ";
        }).SetMinimumLevel(level));
        Aws.AwsSettings? aws;
        IReadOnlyList<Secrets.MappedSecret> secrets;
        try
        {
            aws = Aws.AwsSettings.FromEnvironment(Env, thing, loggers);
            secrets = Secrets.SecretMappings.FromEnvironment(Env);
        }
        catch (FormatException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return 2;
        }

        using var stop = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        var logger = loggers.CreateLogger("Greengrass.Nucleus.Kubernetes");
        var mounts = new PodMqttMounts(Env("GG_MQTT_UPSTREAM_DIR"), Env("GG_CA_DIRECTORY"), Env("GG_BROKER_HOSTS"));
        var (initialMqtt, appliedSection) = MqttSectionApplier.Initial(root, mounts, mqtt, logger);
        await using var runtime = new NucleusRuntime(new NucleusRuntimeOptions
        {
            Root = root,
            ThingName = thing,
            Region = aws?.Region ?? "",
            Aws = aws,
            Secrets = secrets,
            DefaultPosixUser = Option(args, "--default-user") ?? Env("GG_DEFAULT_POSIX_USER"),
            LoggerFactory = loggers,
            Mqtt = initialMqtt,
        });
        await runtime.StartAsync(CancellationToken.None);
        var mqttSections = MqttSectionApplier.Create(runtime.Ipc, root, mounts, mqtt, appliedSection, logger);
        var metricsPort = int.TryParse(Option(args, "--metrics-port") ?? Env("GG_METRICS_PORT"), out var port) ? port : 9100;
        await using var metrics = metricsPort > 0 ? await StartMetricsAsync(runtime, metricsPort, logger) : null;
        var watcher = new PlanWatcher(connection, Env("GG_PLAN_CONFIGMAP") ?? $"{device}-plan", runtime, logger, TimeProvider.System, mqttSections);
        var reporter = new StatusReporter(connection, new ReportTarget(device, pod, runtime.Report().NucleusVersion), runtime, logger, TimeProvider.System);
        var watching = Task.WhenAll(watcher.RunAsync(stop.Token), reporter.RunAsync(stop.Token));
        if (await Task.WhenAny(watching, runtime.ExitRequested) != watching)
        {
            // A deployment restarts the nucleus: the container exits with 100 and the kubelet starts it again in the same
            // pod, on the same root. The status says so first, since nothing reports while the container is down.
            await stop.CancelAsync();
            await watching;
            await reporter.FlushAsync(TimeSpan.FromSeconds(10));
            await runtime.StopAsync(CancellationToken.None);
            return await runtime.ExitRequested;
        }

        await runtime.StopAsync(CancellationToken.None);
        return 0;
    }

    // Metrics are optional: in a pod the port is the pod's own; where pods share a network (the embedded
    // cluster's process kubelet) a second nucleus finds it taken, says so and runs without /metrics.
    private static async Task<Observability.NucleusMetricsServer?> StartMetricsAsync(NucleusRuntime runtime, int port, ILogger logger)
    {
        try
        {
            return await Observability.NucleusMetricsServer.StartAsync(runtime, port, CancellationToken.None);
        }
        catch (IOException ex)
        {
            logger.LogWarning(ex, "Serving /metrics on port {Port} failed; running without it", port);
            return null;
        }
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
