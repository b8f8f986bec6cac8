using System.Diagnostics;
using Greengrass.EdgeCluster.Tests.Support;
using k8s;
using k8s.Autorest;
using Xunit.Sdk;

namespace Greengrass.EdgeCluster.Tests.Tools;

/// <summary>Real helm v4 installs, upgrades and uninstalls a chart with a CRD in crds/.</summary>
[Collection(ClusterCollection.Name)]
public sealed class HelmTests(ClusterTargets targets)
{
    [HelmFact]
    public async Task InstallUpgradeUninstall_ChartWithCrd()
    {
        using var k = targets.ClientFor(ClusterTargets.Emulator);
        var ns = await TestObjects.NamespaceAsync(k);
        var chart = Path.Combine(AppContext.BaseDirectory, "TestData", "gizmo-chart");

        (await HelmAsync($"install gz {chart} -n {ns} --wait --timeout 60s")).Ok();
        var crd = await k.ApiextensionsV1.ReadCustomResourceDefinitionAsync("gizmos.test.example.com");
        Assert.Contains(crd.Status.Conditions, c => c.Type == "Established" && c.Status == "True");
        Assert.Equal(1, Size(await k.CustomObjects.GetNamespacedCustomObjectAsync("test.example.com", "v1", ns, "gizmos", "gz-gizmo")));

        (await HelmAsync($"upgrade gz {chart} -n {ns} --set size=4 --wait --timeout 60s")).Ok();
        Assert.Equal(4, Size(await k.CustomObjects.GetNamespacedCustomObjectAsync("test.example.com", "v1", ns, "gizmos", "gz-gizmo")));
        Assert.Equal("4", (await k.CoreV1.ReadNamespacedConfigMapAsync("gz-settings", ns)).Data["size"]);
        var list = (await HelmAsync($"list -n {ns}")).Ok().Stdout;
        Assert.Matches(@"gz\s+" + ns + @"\s+2\s+.*deployed", list);

        (await HelmAsync($"uninstall gz -n {ns} --wait")).Ok();
        await Assert.ThrowsAsync<HttpOperationException>(() => k.CoreV1.ReadNamespacedConfigMapAsync("gz-settings", ns));
        await Assert.ThrowsAsync<HttpOperationException>(() => k.CustomObjects.GetNamespacedCustomObjectAsync("test.example.com", "v1", ns, "gizmos", "gz-gizmo"));
        Assert.Empty((await k.CoreV1.ListNamespacedSecretAsync(ns, labelSelector: "owner=helm")).Items);
        Assert.Empty(targets.Cluster.LoggedErrors);
    }

    private static long Size(object gizmo) => (long)TestObjects.ToNode(gizmo)["spec"]!["size"]!;

    private async Task<Kubectl.Result> HelmAsync(string arguments)
    {
        var home = Directory.CreateTempSubdirectory("helm-home-").FullName;
        try
        {
            var info = new ProcessStartInfo(HelmFactAttribute.Binary!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in $"--kubeconfig {targets.Cluster.KubeconfigPath} {arguments}".Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                info.ArgumentList.Add(arg);
            }
            info.Environment["HOME"] = home;
            info.Environment["HELM_CACHE_HOME"] = Path.Combine(home, "cache");
            info.Environment["HELM_CONFIG_HOME"] = Path.Combine(home, "config");
            info.Environment["HELM_DATA_HOME"] = Path.Combine(home, "data");
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            await process.WaitForExitAsync(cts.Token);
            return new Kubectl.Result(process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}

/// <summary>A fact that needs the helm binary (installed by build/install-helm.sh into .tools/bin); skipped, saying so, without it.</summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("Xunit.Sdk.FactDiscoverer", "xunit.execution.{Platform}")]
public sealed class HelmFactAttribute : FactAttribute
{
    public static string? Binary { get; } = Find();

    public HelmFactAttribute()
    {
        if (Binary is null)
        {
            Skip = "helm is not installed: run make test-deps (build/install-helm.sh) or set EDGECLUSTER_HELM";
        }
    }

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("EDGECLUSTER_HELM") is { Length: > 0 } explicitPath && File.Exists(explicitPath))
        {
            return explicitPath;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ".tools", "bin", "helm");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
