#:project Greengrass.Model.Benchmarks/Greengrass.Model.Benchmarks.csproj

// A bounded run of the RecipeParsingBenchmarks workloads that reports CPU time per operation beside wall time.
// The build machine is shared and often oversubscribed; there wall time mostly measures waiting for a core,
// while process CPU time measures the work itself.
// Run: dotnet run -c Release operator/benchmarks/recipe-parsing-cpu-time.cs
using System.Diagnostics;
using Greengrass.Model.Benchmarks;

const int Warmup = 3_000;
const double WarmupSeconds = 1;
const int Operations = 20_000;
var benchmarks = new RecipeParsingBenchmarks();
(string Name, Func<object> Operation)[] workloads =
[
    (nameof(RecipeParsingBenchmarks.ParseYamlRecipe), benchmarks.ParseYamlRecipe),
    (nameof(RecipeParsingBenchmarks.ParseYamlRecipeFallback), benchmarks.ParseYamlRecipeFallback),
    (nameof(RecipeParsingBenchmarks.ParseJsonRecipe), benchmarks.ParseJsonRecipe),
    (nameof(RecipeParsingBenchmarks.ReadYamlTreeOnly), benchmarks.ReadYamlTreeOnly),
    (nameof(RecipeParsingBenchmarks.ScanYamlEventsOnly), () => benchmarks.ScanYamlEventsOnly()),
];

// Every workload is warmed up before any is measured: they share the binder, and tiered compilation promotes hot
// methods from a background thread after a delay, so measuring right after one workload's own warm-up charged the
// first workload for code the later ones then found compiled.
foreach (var (_, operation) in workloads)
{
    var warmup = Stopwatch.StartNew();
    for (var i = 0; i < Warmup || warmup.Elapsed.TotalSeconds < WarmupSeconds; i++)
    {
        operation();
    }
}

Console.WriteLine("| Method | CPU time / op | Wall time / op | Allocated / op |");
Console.WriteLine("|---|---:|---:|---:|");
foreach (var (name, operation) in workloads)
{
    Measure(name, operation);
}

static void Measure(string name, Func<object> operation)
{
    using var process = Process.GetCurrentProcess();
    var cpuBefore = process.TotalProcessorTime;
    var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
    var wall = Stopwatch.StartNew();
    for (var i = 0; i < Operations; i++)
    {
        operation();
    }

    wall.Stop();
    process.Refresh();
    var cpu = (process.TotalProcessorTime - cpuBefore).TotalMicroseconds / Operations;
    var allocated = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / Operations / 1024.0;
    Console.WriteLine($"| {name} | {cpu:F1} us | {wall.Elapsed.TotalMicroseconds / Operations:F1} us | {allocated:F1} KB |");
}
