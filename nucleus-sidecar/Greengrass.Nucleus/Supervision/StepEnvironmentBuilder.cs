namespace Greengrass.Nucleus.Supervision;

/// <summary>
/// Builds the environment of a lifecycle process in the §2.3 order (later layers win): the nucleus' own
/// environment, the nucleus-wide variables, the per-process token and CA path, then
/// <c>services.&lt;c&gt;.setenv</c>, <c>Lifecycle.Setenv</c> and the step's <c>Setenv</c>.
/// </summary>
internal static class StepEnvironmentBuilder
{
    /// <summary>sockaddr_un.sun_path holds 108 bytes including the terminating NUL.</summary>
    public const int MaxSocketPathLength = 108;

    public static Dictionary<string, string> Build(
        StepInvocation step, ProcessRunnerOptions options, IReadOnlyDictionary<string, string> inherited, string workDirectory, PosixIdentity? user)
    {
        var env = new Dictionary<string, string>(inherited, StringComparer.Ordinal);
        if (user is not null)
        {
            // Like `sudo -H -u`: the target user's home and name, not the nucleus'.
            env["HOME"] = user.Home;
            env["USER"] = user.UserName;
            env["LOGNAME"] = user.UserName;
        }

        var socket = SocketPath(options);
        env["AWS_IOT_THING_NAME"] = options.ThingName;
        env["AWS_REGION"] = options.AwsRegion;
        env["AWS_DEFAULT_REGION"] = options.AwsRegion;
        env["GGC_VERSION"] = options.NucleusVersion;
        env["AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH"] = socket;
        env["AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT"] = SocketPathForComponent(socket, workDirectory);
        if (step.TokenExchangeUri is { } tesUri)
        {
            env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = tesUri;
        }
        else if (options.TokenExchangePort is { } port)
        {
            env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = $"http://localhost:{port}/2016-11-01/credentialprovider/";
        }

        Overlay(env, options.GlobalSetenv);
        if (step.ServiceToken is { } token)
        {
            env["SVCUID"] = token;
            env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = token;
        }

        env["GG_ROOT_CA_PATH"] = string.IsNullOrEmpty(options.RootCaPath) ? Path.Combine(options.RootPath, "rootCA.pem") : options.RootCaPath;
        if (step.ComponentVersion is { } version)
        {
            env["GREENGRASS_COMPONENT_VERSION"] = version;
        }

        Overlay(env, step.ServiceSetenv);
        Overlay(env, step.LifecycleSetenv);
        Overlay(env, step.StepSetenv);
        return env;
    }

    /// <summary>
    /// A socket path too long for sun_path is handed to components relative to their working directory
    /// (<c>&lt;root&gt;/work/&lt;name&gt;</c>), which is why every step runs there.
    /// </summary>
    public static string SocketPathForComponent(string socketPath, string workDirectory) =>
        socketPath.Length >= MaxSocketPathLength ? Path.GetRelativePath(workDirectory, socketPath) : socketPath;

    private static string SocketPath(ProcessRunnerOptions options) =>
        string.IsNullOrEmpty(options.IpcSocketPath) ? Path.Combine(options.RootPath, "ipc.socket") : options.IpcSocketPath;

    private static void Overlay(Dictionary<string, string> env, IReadOnlyDictionary<string, string>? layer)
    {
        if (layer is null)
        {
            return;
        }

        foreach (var (key, value) in layer)
        {
            env[key] = value;
        }
    }

    public static Dictionary<string, string> CurrentProcessEnvironment()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            env[(string)entry.Key] = (string?)entry.Value ?? "";
        }

        // A runtime knob of the nucleus process itself, not of the components it runs (a recipe may still set it).
        env.Remove(Threading.InlineSocketCompletions.Variable);
        return env;
    }
}
