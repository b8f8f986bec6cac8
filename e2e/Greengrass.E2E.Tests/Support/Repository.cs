namespace Greengrass.E2E.Tests.Support;

/// <summary>Paths in the repository and the build output the scenarios run.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>Release or Debug, whichever this test assembly was built as.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";

    public static string OperatorDll => Path.Combine(Root, "operator", "Greengrass.Operator", "bin", Configuration, "net10.0", "greengrass.dll");

    public static string NucleusDll => Path.Combine(Root, "nucleus-sidecar", "Greengrass.Nucleus", "bin", Configuration, "net10.0", "greengrass-nucleus.dll");

    public static string Crds => Path.Combine(Root, "crds");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Greengrass.Operator.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
