using System.Reflection;
using System.Text.RegularExpressions;
using Greengrass.Nucleus.Core.Lifecycle;

namespace Greengrass.Nucleus.Core.Tests.Architecture;

public sealed partial class PurityTests
{
    private static readonly string CoreDirectory = FindCoreDirectory();

    [Fact]
    public void CoreSources_UseNoIoApi()
    {
        var files = Directory.EnumerateFiles(CoreDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(files);

        var offences = files
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetFileName(f), Line: i + 1, Text: line)))
            .Where(l => !l.Text.TrimStart().StartsWith("//", StringComparison.Ordinal) && IoApi().IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();

        Assert.True(offences.Count == 0, "Greengrass.Nucleus.Core must do no I/O:\n" + string.Join("\n", offences));
    }

    [Fact]
    public void CoreAssembly_ReferencesNoIoOrNetworkingAssembly()
    {
        // These facades only appear as references when the code uses sockets, HTTP, processes or the console.
        var forbidden = new[] { "System.Net", "System.Diagnostics.Process", "System.Console" };
        var references = typeof(ComponentLifecycle).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? string.Empty).ToList();

        Assert.DoesNotContain(references, r => forbidden.Any(f => r.StartsWith(f, StringComparison.Ordinal)));
    }

    [Fact]
    public void CoreTypes_AreInternal()
    {
        var publicTypes = typeof(ComponentLifecycle).Assembly.GetExportedTypes().Select(t => t.FullName).ToList();

        Assert.Empty(publicTypes);
    }

    private static string FindCoreDirectory()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Greengrass.Operator.sln")))
        {
            dir = dir.Parent;
        }

        return dir is null
            ? throw new InvalidOperationException("repository root not found")
            : Path.Combine(dir.FullName, "nucleus-sidecar", "Greengrass.Nucleus.Core");
    }

    [GeneratedRegex(@"\b(File|Directory|FileStream|Path|Process|HttpClient|Socket|TcpClient|TcpListener|UdpClient|Console|Environment|DateTime\.(UtcNow|Now)|DateTimeOffset\.(UtcNow|Now)|Thread|Task\.Delay)\s*[.(]")]
    private static partial Regex IoApi();
}
