using System.Diagnostics;
using System.Runtime.InteropServices;
using Greengrass.EdgeCluster.Tests.Support;
using k8s;

namespace Greengrass.EdgeCluster.Tests.Tools;

/// <summary>The <c>greengrass-edgecluster up</c> command: writes a kubeconfig, serves, stops cleanly on SIGTERM.</summary>
public sealed partial class CliTests
{
    [Fact]
    public async Task Up_WritesKubeconfigServesAndStopsOnSigterm()
    {
        var dir = Directory.CreateTempSubdirectory("edgecluster-cli-").FullName;
        var kubeconfig = Path.Combine(dir, "kubeconfig");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "greengrass-edgecluster.dll"), "up", "--nodes", "1", "--kubelet", "simulated", "--kubeconfig", kubeconfig })
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        try
        {
            await Eventually.True(() => Task.FromResult(File.Exists(kubeconfig)), "the kubeconfig");
            Assert.True(File.Exists(Path.Combine(dir, "ca.crt")), "the CA certificate is written next to the kubeconfig");
            using var k = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
            var node = await Eventually.Value(async () => (await k.CoreV1.ListNodeAsync()).Items.SingleOrDefault(), "the node to register");
            Assert.Equal("edge-node-1", node.Metadata.Name);

            Assert.Equal(0, Kill(process.Id, 15));
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(cts.Token);

            Assert.Equal(0, process.ExitCode);
            Assert.Contains("shutting down", await stdout);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Up_UnknownFlag_ExitCode2WithUsage()
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "greengrass-edgecluster.dll"));
        info.ArgumentList.Add("up");
        info.ArgumentList.Add("--bogus");
        using var process = Process.Start(info)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("unknown flag --bogus", stderr);
        Assert.Contains("usage:", stderr);
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
