namespace Greengrass.Nucleus.Supervision;

/// <summary>How the nucleus runs lifecycle processes: its identity facts (§2.3) and supervision settings.</summary>
internal sealed class ProcessRunnerOptions
{
    /// <summary>Nucleus root; steps run in <c>&lt;root&gt;/work/&lt;component&gt;</c>.</summary>
    public required string RootPath { get; set; }

    public string ThingName { get; set; } = "";

    public string AwsRegion { get; set; } = "";

    /// <summary>GGC_VERSION: the nucleus version.</summary>
    public string NucleusVersion { get; set; } = "";

    /// <summary>GG_ROOT_CA_PATH; defaults to <c>&lt;root&gt;/rootCA.pem</c> when empty.</summary>
    public string RootCaPath { get; set; } = "";

    /// <summary>IPC socket; defaults to <c>&lt;root&gt;/ipc.socket</c> when empty.</summary>
    public string IpcSocketPath { get; set; } = "";

    /// <summary>Port of the token exchange service; when set, AWS_CONTAINER_CREDENTIALS_FULL_URI is exported.</summary>
    public int? TokenExchangePort { get; set; }

    /// <summary>Nucleus-wide <c>setenv</c> (proxy variables and the like); below every component layer.</summary>
    public Dictionary<string, string> GlobalSetenv { get; } = new(StringComparer.Ordinal);

    /// <summary><c>runWithDefault.posixUser</c> (<c>user</c> or <c>user:group</c>); required for a root nucleus.</summary>
    public string? DefaultPosixUser { get; set; }

    /// <summary><c>runWithDefault.systemResourceLimits</c>.</summary>
    public ResourceLimits? DefaultResourceLimits { get; set; }

    /// <summary><c>runWithDefault.posixShell</c>, default <c>sh</c>; a bare name is looked up on PATH.</summary>
    public string PosixShell { get; set; } = "sh";

    /// <summary>Between SIGTERM and SIGKILL when a step is stopped (Greengrass gracefulShutdownTimeout, 5 s).</summary>
    public TimeSpan GracefulStopTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Where cgroup v2 is mounted; limits are enforced under <c>&lt;root&gt;/greengrass/&lt;component&gt;</c>.</summary>
    public string CgroupRoot { get; set; } = "/sys/fs/cgroup";

    /// <summary>Per-component log size before rotation, in bytes (default 1 MiB).</summary>
    public long LogFileMaxBytes { get; set; } = 1024 * 1024;

    /// <summary>Rotated per-component log files kept besides the live one (default 5).</summary>
    public int LogFilesKept { get; set; } = 5;

    /// <summary>Refuses settings the runner cannot work with, naming the setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(RootPath))
        {
            throw new ArgumentException("ProcessRunnerOptions.RootPath must name the nucleus root folder.", nameof(RootPath));
        }

        if (GracefulStopTimeout < TimeSpan.Zero)
        {
            throw new ArgumentException($"ProcessRunnerOptions.GracefulStopTimeout must not be negative, got {GracefulStopTimeout}.", nameof(GracefulStopTimeout));
        }

        if (LogFileMaxBytes <= 0)
        {
            throw new ArgumentException($"ProcessRunnerOptions.LogFileMaxBytes must be positive, got {LogFileMaxBytes}.", nameof(LogFileMaxBytes));
        }

        if (LogFilesKept < 0)
        {
            throw new ArgumentException($"ProcessRunnerOptions.LogFilesKept must not be negative, got {LogFilesKept}.", nameof(LogFilesKept));
        }

        if (string.IsNullOrWhiteSpace(PosixShell))
        {
            throw new ArgumentException("ProcessRunnerOptions.PosixShell must name a shell.", nameof(PosixShell));
        }
    }
}
