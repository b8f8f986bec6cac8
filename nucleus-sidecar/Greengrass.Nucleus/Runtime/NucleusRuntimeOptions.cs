using Greengrass.Nucleus.Core.Lifecycle;
using Greengrass.Nucleus.Mqtt;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Greengrass.Nucleus.Runtime;

/// <summary>How one nucleus runtime is set up: where it lives, who it is, and how it supervises components.</summary>
internal sealed class NucleusRuntimeOptions
{
    /// <summary>Nucleus root folder (GREENGRASS.md §0.1); created when missing.</summary>
    public required string Root { get; init; }

    /// <summary>Thing name of the core device (<c>{iot:thingName}</c>, AWS_IOT_THING_NAME).</summary>
    public required string ThingName { get; init; }

    /// <summary>AWS_REGION given to components; empty when unknown.</summary>
    public string Region { get; init; } = "";

    /// <summary>Version this nucleus reports (GGC_VERSION).</summary>
    public string NucleusVersion { get; init; } = "2.14.0";

    /// <summary>IPC socket; null uses <c>&lt;root&gt;/ipc.socket</c>.</summary>
    public string? IpcSocketPath { get; init; }

    /// <summary>Whether to host the IPC server; off only for tests that exercise the lifecycle alone.</summary>
    public bool EnableIpc { get; init; } = true;

    /// <summary>Local CLI socket; null uses <c>&lt;root&gt;/cli.socket</c>.</summary>
    public string? CliSocketPath { get; init; }

    /// <summary>Whether to listen for the local CLI.</summary>
    public bool EnableCli { get; init; } = true;

    /// <summary><c>runWithDefault.posixUser</c>; required only when the nucleus runs as root.</summary>
    public string? DefaultPosixUser { get; init; }

    /// <summary>Between SIGTERM and SIGKILL when a step is stopped; default 5 s.</summary>
    public TimeSpan GracefulStopTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long shutting down waits for one component to stop before its processes are killed; default 20 s.</summary>
    public TimeSpan ComponentStopTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Delays between retries of an ERRORED component; null uses <see cref="RestartPolicy.Default"/>.</summary>
    public RestartPolicy? RestartPolicy { get; init; }

    /// <summary>Clock for timers and timestamps.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where the runtime and its building blocks log.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>HTTP client for artifact downloads; null creates one owned by the runtime.</summary>
    public HttpClient? HttpClient { get; init; }

    /// <summary>
    /// The local MQTT broker, client device auth, bridge and spool (<see cref="MqttSettings.Parse"/>); null hosts no MQTT.
    /// With an upstream, IPC PublishToIoTCore/SubscribeToIoTCore go to it; without, they stay on the device.
    /// </summary>
    public MqttSettings? Mqtt { get; init; }

    /// <summary>
    /// The device's AWS region, credentials and S3 endpoint (CoreDevice <c>spec.aws</c>): signs <c>s3://</c> downloads and
    /// feeds the token exchange service; null when the device has none (s3:// artifacts then fail with a clear error).
    /// </summary>
    public Aws.AwsSettings? Aws { get; init; }

    /// <summary>
    /// Secret ARNs and the folders of the Kubernetes Secrets holding their values (CoreDevice <c>spec.secrets</c>), served
    /// by GetSecretValue while aws.greengrass.SecretManager is deployed and lists them in <c>cloudSecrets</c>.
    /// </summary>
    public IReadOnlyList<Secrets.MappedSecret> Secrets { get; init; } = [];

    internal string EffectiveIpcSocketPath => IpcSocketPath ?? Path.Combine(Path.GetFullPath(Root), "ipc.socket");

    internal string EffectiveCliSocketPath => CliSocketPath ?? Path.Combine(Path.GetFullPath(Root), "cli.socket");
}
