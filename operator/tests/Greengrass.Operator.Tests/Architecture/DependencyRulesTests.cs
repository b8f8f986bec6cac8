using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Greengrass.Operator.Tests.Architecture;

/// <summary>The dependency rules of docs/design/DESIGN.md, checked on the project files and sources.</summary>
public sealed partial class DependencyRulesTests
{
    private static readonly string[] LeafProjects = ["Greengrass.Api", "Greengrass.Model", "Greengrass.Nucleus.Contracts"];

    // Shared leaves hold logic both sides need on top of Model and Contracts (the recipe → plan mapping);
    // they may reference only these two leaves, and both sides may reference them.
    private static readonly string[] SharedLeafProjects = ["Greengrass.Planning"];

    private static readonly string[] SharedLeafReferences = ["Greengrass.Model", "Greengrass.Nucleus.Contracts"];

    private static readonly Lazy<IReadOnlyList<ProjectInfo>> Projects = new(LoadProjects);

    [Fact]
    public void Projects_AreFound()
    {
        Assert.Contains(Projects.Value, p => p.Name == "Greengrass.Model");
        Assert.Contains(Projects.Value, p => p.Name == "Greengrass.Nucleus");
        Assert.Contains(Projects.Value, p => p.Name == "Greengrass.EdgeCluster");
    }

    [Fact]
    public void LeafProjects_ReferenceNoOtherProject()
    {
        foreach (var leaf in Projects.Value.Where(p => LeafProjects.Contains(p.Name)))
        {
            Assert.True(leaf.References.Count == 0, $"{leaf.Name} is a leaf but references {string.Join(", ", leaf.References)}");
        }
    }

    [Fact]
    public void SharedLeafProjects_ReferenceOnlyModelAndContracts()
    {
        foreach (var name in SharedLeafProjects)
        {
            var shared = Projects.Value.Single(p => p.Name == name);
            foreach (var reference in shared.References)
            {
                Assert.True(SharedLeafReferences.Contains(reference), $"{shared.Name} is a shared leaf but references {reference}");
            }
        }
    }

    [Fact]
    public void SharedLeafProjects_AreAotCompatible()
    {
        foreach (var name in SharedLeafProjects)
        {
            var shared = Projects.Value.Single(p => p.Name == name);
            var project = XDocument.Load(Path.Combine(shared.Directory, name + ".csproj"));
            Assert.True(project.Descendants("IsAotCompatible").Any(e => e.Value.Trim() == "true"),
                $"{name} is a shared leaf used by the nucleus and must set IsAotCompatible so reflection is caught at build time");
        }
    }

    [Fact]
    public void OperatorAndNucleus_ReferenceEachOtherOnlyThroughLeaves()
    {
        foreach (var project in Projects.Value.Where(p => !p.IsTest && p.Area is "operator" or "nucleus-sidecar"))
        {
            foreach (var reference in project.References)
            {
                var target = Projects.Value.Single(p => p.Name == reference);
                if (target.Area != project.Area)
                {
                    Assert.True(LeafProjects.Contains(target.Name) || SharedLeafProjects.Contains(target.Name),
                        $"{project.Name} ({project.Area}) references {target.Name} ({target.Area}), which is not a leaf project");
                }
            }
        }
    }

    [Fact]
    public void OperatorRuntime_KnowsNothingOfGreengrass()
    {
        var runtime = Projects.Value.Single(p => p.Name == "Greengrass.Operator.Runtime");
        Assert.Empty(runtime.References);
        foreach (var (file, line) in SourceLines(runtime))
        {
            Assert.False(GreengrassDomainWord().IsMatch(line), $"{file}: mentions the Greengrass domain: {line.Trim()}");
        }
    }

    [Fact]
    public void EdgeCluster_KnowsNothingOfGreengrass()
    {
        var cluster = Projects.Value.Single(p => p.Name == "Greengrass.EdgeCluster");
        Assert.Empty(cluster.References);
        foreach (var (file, line) in SourceLines(cluster))
        {
            Assert.False(GreengrassDomainWord().IsMatch(line), $"{file}: mentions the Greengrass domain: {line.Trim()}");
        }
    }

    [Theory]
    [InlineData("Greengrass.Model")]
    [InlineData("Greengrass.Nucleus.Core")]
    [InlineData("Greengrass.Planning")]
    public void PureProjects_DoNoIo(string name)
    {
        var project = Projects.Value.Single(p => p.Name == name);
        foreach (var (file, line) in SourceLines(project))
        {
            Assert.False(IoApi().IsMatch(line), $"{file}: {name} must do no I/O: {line.Trim()}");
        }
    }

    [Fact]
    public void E2ETests_DriveTheSystemOnlyThroughItsInterfaces()
    {
        foreach (var project in Projects.Value.Where(p => p.Name == "Greengrass.E2E.Tests"))
        {
            foreach (var reference in project.References)
            {
                Assert.True(LeafProjects.Contains(reference) || reference == "Greengrass.EdgeCluster",
                    $"{project.Name} references the internals of {reference}");
            }
        }
    }

    private static IEnumerable<(string File, string Line)> SourceLines(ProjectInfo project)
    {
        foreach (var file in Directory.EnumerateFiles(project.Directory, "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") ||
                file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            {
                continue;
            }

            foreach (var line in File.ReadLines(file))
            {
                var trimmed = line.TrimStart();
                if (trimmed.StartsWith("//", StringComparison.Ordinal) || trimmed.StartsWith("///", StringComparison.Ordinal))
                {
                    continue;
                }

                yield return (Path.GetRelativePath(RepositoryRoot, file), line);
            }
        }
    }

    private static IReadOnlyList<ProjectInfo> LoadProjects()
    {
        var result = new List<ProjectInfo>();
        foreach (var path in Directory.EnumerateFiles(RepositoryRoot, "*.csproj", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(RepositoryRoot, path);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "node_modules" or "bin" or "obj" or "artifacts"))
            {
                continue;
            }

            var name = Path.GetFileNameWithoutExtension(path);
            // A reference with ReferenceOutputAssembly="false" only orders the build (a test runs that program
            // as a process); it gives no access to the code, so it is not a dependency.
            var references = XDocument.Load(path).Descendants("ProjectReference")
                .Where(r => !string.Equals(r.Attribute("ReferenceOutputAssembly")?.Value, "false", StringComparison.OrdinalIgnoreCase))
                .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
                .ToList();
            var area = relative.Split(Path.DirectorySeparatorChar)[0];
            var isTest = name.EndsWith(".Tests", StringComparison.Ordinal) || name.EndsWith(".Benchmarks", StringComparison.Ordinal);
            result.Add(new ProjectInfo(name, area, Path.GetDirectoryName(path)!, references, isTest));
        }

        return result;
    }

    private static string RepositoryRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Greengrass.Operator.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }

    private sealed record ProjectInfo(string Name, string Area, string Directory, IReadOnlyList<string> References, bool IsTest);

    // Words that only the Greengrass domain uses; the generic layers must not need them.
    [GeneratedRegex(@"\b(Recipe|CoreDevice|ClientDevice|Nucleus|Greengrass\.(Api|Model|Nucleus))\b")]
    private static partial Regex GreengrassDomainWord();

    [GeneratedRegex(@"\b(File|Directory|FileStream|Process|HttpClient|Socket|TcpClient|TcpListener|Console)\s*[.(]")]
    private static partial Regex IoApi();
}
