#:project Greengrass.Model.Benchmarks/Greengrass.Model.Benchmarks.csproj

// A bounded run of the RecipeParsingBenchmarks workloads that reports CPU time per operation beside wall time.
// The build machine is shared and often oversubscribed; there wall time mostly measures waiting for a core,
// while process CPU time measures the work itself. Run: dotnet run operator/benchmarks/recipe-parsing-cpu-time.cs
using System.Diagnostics;
using Greengrass.Model.Benchmarks;

const int Warmup = 3_000;
const int Operations = 20_000;
var benchmarks = new RecipeParsingBenchmarks();

Console.WriteLine("| Method | CPU time / op | Wall time / op | Allocated / op |");
Console.WriteLine("|---|---:|---:|---:|");
Measure(nameof(RecipeParsingBenchmarks.ParseYamlRecipe), () => benchmarks.ParseYamlRecipe());
Measure(nameof(RecipeParsingBenchmarks.ParseJsonRecipe), () => benchmarks.ParseJsonRecipe());
Measure(nameof(RecipeParsingBenchmarks.ScanYamlEventsOnly), () => benchmarks.ScanYamlEventsOnly());

static void Measure(string name, Func<object> operation)
{
    for (var i = 0; i < Warmup; i++)
    {
        operation();
    }

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
