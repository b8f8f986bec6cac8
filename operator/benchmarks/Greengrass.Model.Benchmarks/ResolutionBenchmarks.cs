using BenchmarkDotNet.Attributes;
using Greengrass.Model.Resolution;
using Greengrass.Model.Versions;

namespace Greengrass.Model.Benchmarks;

/// <summary>
/// One device needing 200 components out of a catalogue of 2,000 versions (10 versions each of 200 components), with a
/// fan-out of up to three dependencies per version, plus micro-benchmarks of range parsing and evaluation.
/// </summary>
[MemoryDiagnoser]
public class ResolutionBenchmarks
{
    private const int Components = 200;
    private static readonly string[] VersionTexts =
        ["1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0", "2.0.0", "2.1.0", "2.2.0", "2.3.0", "2.4.0"];

    private List<(string ComponentName, CatalogVersion Version)> _entries = [];
    private ComponentCatalog _catalog = null!;
    private RootRequirement[] _roots = [];
    private VersionRange _range = null!;
    private SemanticVersion[] _probes = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var majors = Enumerable.Range(0, Components).Select(_ => random.Next(1, 3)).ToArray();
        _entries = [];
        for (var i = 0; i < Components; i++)
        {
            foreach (var text in VersionTexts)
            {
                _entries.Add((Name(i), new CatalogVersion(SemanticVersion.Parse(text), Dependencies(i, majors, random))));
            }
        }

        _catalog = ComponentCatalog.Create(_entries);
        _roots =
        [
            .. Enumerable.Range(0, 10).Select(i => new RootRequirement("thinggroup/fleet", Name(i), VersionRange.Parse($"^{majors[i]}.0.0"))),
            .. Enumerable.Range(10, 10).Select(i => new RootRequirement("thing/core-1", Name(i), VersionRange.Parse($"={majors[i]}.2.0"))),
        ];
        var check = DependencyResolver.Resolve(new ResolutionRequest(_roots, _catalog));
        if (!check.Succeeded || check.Components.Count != Components)
        {
            throw new InvalidOperationException($"benchmark input does not resolve to {Components} components: {check.Error?.Message}");
        }

        _range = VersionRange.Parse(">=1.2.0 <1.4.0 || ^2.1.0-beta.1 || ~3.1");
        _probes = [.. VersionTexts.Concat(["2.1.0-beta.3", "3.1.9", "0.9.0"]).Select(SemanticVersion.Parse)];
    }

    [Benchmark(Description = "Resolve 200 of 2,000 (warm catalogue)")]
    public int Resolve_WarmCatalog() => DependencyResolver.Resolve(new ResolutionRequest(_roots, _catalog)).Components.Count;

    [Benchmark(Description = "Build catalogue + resolve 200 of 2,000")]
    public int Resolve_FreshCatalog() =>
        DependencyResolver.Resolve(new ResolutionRequest(_roots, ComponentCatalog.Create(_entries))).Components.Count;

    [Benchmark(Description = "Range parse (3 sets)")]
    public VersionRange Range_Parse() => VersionRange.Parse(">=1.2.0 <1.4.0 || ^2.1.0-beta.1 || ~3.1");

    [Benchmark(Description = "Range evaluate (13 versions)")]
    public int Range_Evaluate()
    {
        var hits = 0;
        foreach (var probe in _probes)
        {
            hits += _range.IsSatisfiedBy(probe) ? 1 : 0;
        }

        return hits;
    }

    private static string Name(int index) => $"com.example.Component{index:D3}";

    // Every component after the first 20 is reachable through i → i+1, and two more random later components widen the graph;
    // every requirement admits the target's chosen major, so the set is satisfiable with a mix of newest and older versions.
    private static DependencyRequirement[] Dependencies(int index, int[] majors, Random random)
    {
        var targets = new SortedSet<int>();
        if (index + 1 < Components)
        {
            targets.Add(index + 1);
        }

        for (var k = 0; k < 2 && index + 2 < Components; k++)
        {
            targets.Add(random.Next(index + 2, Components));
        }

        return [.. targets.Select(t => new DependencyRequirement(Name(t), VersionRange.Parse(Requirement(majors[t], random)),
            random.Next(4) == 0 ? DependencyKind.Soft : DependencyKind.Hard))];
    }

    private static string Requirement(int major, Random random) => random.Next(5) switch
    {
        0 => $"^{major}.0.0",
        1 => $">={major}.1.0 <{major + 1}.0.0",
        2 => $"{major}.x",
        3 => $"~{major}.2",
        _ => $"{major}.1.0 - {major}.4",
    };
}
