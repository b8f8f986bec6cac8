using System.Diagnostics;
using Greengrass.E2E.Tests.Support;

namespace Greengrass.E2E.Tests;

/// <summary>Real kubectl against the cluster: the CoreDevice printer columns and the <c>greengrass</c> category.</summary>
[Collection(ReportedFleetCollection.Name)]
public sealed class KubectlTests(ReportedFleet fleet)
{
    [Fact]
    public async Task GetCoreDevices_ShowsPrinterColumnsWithValues()
    {
        var rows = await Eventually.Value(async () =>
        {
            var table = Table(await KubectlAsync("get", "ggcore", "-n", ReportedFleet.Ns));
            return table.Count == 3 && table[1].GetValueOrDefault("NUCLEUS") == "2.14.0" && table[2].GetValueOrDefault("READY") == "True" ? table : null;
        }, "kubectl to show both devices reported");

        Assert.Equal(["NAME", "THING", "NODE", "NUCLEUS", "HEALTH", "COMPONENTS", "READY", "AGE"], rows[0].Keys);
        var a = rows.Single(r => r["NAME"] == "edge-a");
        Assert.Equal(("EdgeA", "edge-node-1", "HEALTHY", "3/3", "True"), (a["THING"], a["NODE"], a["HEALTH"], a["COMPONENTS"], a["READY"]));
        var b = rows.Single(r => r["NAME"] == "edge-b");
        Assert.Equal(("EdgeB", "edge-node-2", "2.14.0"), (b["THING"], b["NODE"], b["NUCLEUS"]));
    }

    [Fact]
    public async Task GetCategory_ListsEveryKindInEveryNamespace()
    {
        var output = await KubectlAsync("get", "greengrass", "-A");

        Assert.Contains("component.greengrass.edge.dev/com.example.app-1.0.0", output, StringComparison.Ordinal);
        Assert.Contains("deployment.greengrass.edge.dev/apps", output, StringComparison.Ordinal);
        Assert.Contains("coredevice.greengrass.edge.dev/edge-a", output, StringComparison.Ordinal);
        Assert.Contains("clientdevice.greengrass.edge.dev/sensor-1", output, StringComparison.Ordinal);
        Assert.Contains(ReportedFleet.Ns, output, StringComparison.Ordinal);
    }

    private async Task<string> KubectlAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("--kubeconfig");
        info.ArgumentList.Add(fleet.Cluster.Cluster.KubeconfigPath);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var kubectl = Process.Start(info)!;
        var stdout = kubectl.StandardOutput.ReadToEndAsync();
        var stderr = kubectl.StandardError.ReadToEndAsync();
        await kubectl.WaitForExitAsync();
        Assert.True(kubectl.ExitCode == 0, $"kubectl {string.Join(' ', arguments)} exited {kubectl.ExitCode}: {await stderr}");
        return await stdout;
    }

    /// <summary>kubectl's table as rows keyed by the header; row 0 maps each header to itself (keeps the column order).</summary>
    private static List<Dictionary<string, string>> Table(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0];
        var starts = new List<int>();
        for (var i = 0; i < header.Length; i++)
        {
            if (header[i] != ' ' && (i == 0 || header[i - 1] == ' '))
            {
                starts.Add(i);
            }
        }

        string Cell(string line, int column)
        {
            var from = Math.Min(starts[column], line.Length);
            var to = column + 1 < starts.Count ? Math.Min(starts[column + 1], line.Length) : line.Length;
            return line[from..to].Trim();
        }

        var names = starts.Select((_, c) => Cell(header, c)).ToList();
        return [.. lines.Select(line => names.Select((n, c) => (n, c)).ToDictionary(x => x.n, x => Cell(line, x.c)))];
    }
}
