namespace Greengrass.Nucleus.Storage;

/// <summary>
/// The on-disk layout of a nucleus root (default <c>/greengrass/v2</c>), as the Java nucleus lays it out,
/// plus <c>state/</c> for what this nucleus keeps between restarts (applied plans, per-component runtime state).
/// </summary>
internal sealed class NucleusPaths
{
    public NucleusPaths(string root)
    {
        if (string.IsNullOrWhiteSpace(root))
        {
            throw new ArgumentException("The nucleus root path is empty.", nameof(root));
        }

        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public string ConfigDirectory => Path.Combine(Root, "config");

    public string ConfigTransactionLog => Path.Combine(ConfigDirectory, "config.tlog");

    public string PackagesDirectory => Path.Combine(Root, "packages");

    public string RecipesDirectory => Path.Combine(PackagesDirectory, "recipes");

    public string ArtifactsDirectory => Path.Combine(PackagesDirectory, "artifacts");

    public string UnarchivedArtifactsDirectory => Path.Combine(PackagesDirectory, "artifacts-unarchived");

    public string WorkDirectory => Path.Combine(Root, "work");

    public string LogsDirectory => Path.Combine(Root, "logs");

    public string DeploymentsDirectory => Path.Combine(Root, "deployments");

    public string StateDirectory => Path.Combine(Root, "state");

    public string IpcSocket => Path.Combine(Root, "ipc.socket");

    /// <summary><c>{artifacts:path}</c> of one component version.</summary>
    public string ArtifactPath(string componentName, string version) =>
        Path.Combine(ArtifactsDirectory, SafeSegment(componentName), SafeSegment(version));

    /// <summary><c>{artifacts:decompressedPath}</c> of one component version.</summary>
    public string UnarchivedArtifactPath(string componentName, string version) =>
        Path.Combine(UnarchivedArtifactsDirectory, SafeSegment(componentName), SafeSegment(version));

    /// <summary><c>{work:path}</c>: the component's working directory.</summary>
    public string ComponentWorkPath(string componentName) => Path.Combine(WorkDirectory, SafeSegment(componentName));

    public string ComponentLogPath(string componentName) => Path.Combine(LogsDirectory, SafeSegment(componentName) + ".log");

    /// <summary>Creates every folder of the layout that does not exist yet.</summary>
    public void EnsureCreated()
    {
        foreach (var dir in new[]
                 {
                     ConfigDirectory, RecipesDirectory, ArtifactsDirectory, UnarchivedArtifactsDirectory,
                     WorkDirectory, LogsDirectory, DeploymentsDirectory, StateDirectory,
                 })
        {
            Directory.CreateDirectory(dir);
        }
    }

    /// <summary>
    /// Component names and versions become folder names: a name that could escape its parent
    /// ("..", a slash, a NUL) is refused instead of being silently rewritten.
    /// </summary>
    public static string SafeSegment(string value)
    {
        if (string.IsNullOrWhiteSpace(value) || value is "." or ".." ||
            value.IndexOfAny(['/', '\\', '\0']) >= 0)
        {
            throw new ArgumentException($"'{value}' cannot be used as a file name in the nucleus root.", nameof(value));
        }

        return value;
    }
}
