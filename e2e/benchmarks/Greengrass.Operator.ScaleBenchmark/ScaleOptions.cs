using System.Globalization;

namespace Greengrass.Operator.ScaleBenchmark;

/// <summary>The size of the run; every option is <c>--name value</c>.</summary>
internal sealed class ScaleOptions
{
    public int Devices { get; private init; } = 1000;

    public int Components { get; private init; } = 50;

    public int Deployed { get; private init; } = 20;

    public TimeSpan Timeout { get; private init; } = TimeSpan.FromSeconds(300);

    public static ScaleOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (args[i] is "--filter" or "--job")
            {
                continue; // BenchmarkDotNet options that build/bench.sh passes to every benchmark project
            }

            if (args[i] is not ("--devices" or "--components" or "--deployed" or "--timeout") || i + 1 >= args.Count
                || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
            {
                throw new ArgumentException($"{args[i]}: expected one of --devices, --components, --deployed, --timeout followed by a positive number");
            }

            values[args[i]] = value;
        }

        var defaults = new ScaleOptions();
        var options = new ScaleOptions
        {
            Devices = values.GetValueOrDefault("--devices", defaults.Devices),
            Components = values.GetValueOrDefault("--components", defaults.Components),
            Deployed = values.GetValueOrDefault("--deployed", defaults.Deployed),
            Timeout = TimeSpan.FromSeconds(values.GetValueOrDefault("--timeout", (int)defaults.Timeout.TotalSeconds)),
        };
        return options.Deployed <= options.Components
            ? options
            : throw new ArgumentException($"--deployed: {options.Deployed} is more than --components {options.Components}");
    }
}

/// <summary>Paths in the repository and its build output.</summary>
internal static class Paths
{
    private static readonly string Root = FindRoot();

    public static string Crds => Path.Combine(Root, "crds");

    public static string OperatorDll => Path.Combine(Root, "operator", "Greengrass.Operator", "bin",
        AppContext.BaseDirectory.Contains("/Debug/", StringComparison.Ordinal) ? "Debug" : "Release", "net10.0", "greengrass.dll");

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
