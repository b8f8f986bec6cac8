namespace Greengrass.Operator.Tests.Support;

/// <summary>Locates folders of the repository from the test's output directory.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Crds => Path.Combine(Root, "crds");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Greengrass.Operator.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no Greengrass.Operator.sln above {AppContext.BaseDirectory}");
    }
}
