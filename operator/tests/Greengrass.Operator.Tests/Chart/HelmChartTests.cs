using System.Diagnostics;
using k8s;
using k8s.Models;

namespace Greengrass.Operator.Tests.Chart;

/// <summary>The repository root is a Helm chart: lint it and check what it renders with the real helm (v4).</summary>
public sealed class HelmChartTests
{
    [Fact]
    public async Task Lint_RootChart_Passes()
    {
        var (code, output) = await HelmAsync("lint", Repository.Root);
        Assert.True(code == 0, output);
        Assert.Contains("0 chart(s) failed", output);
    }

    [Fact]
    public async Task Template_OperatorDeployment_MeetsPodSecurityRestricted()
    {
        var deployment = (await RenderAsync()).OfType<V1Deployment>().Single();
        var pod = deployment.Spec.Template.Spec;

        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
        var container = Assert.Single(pod.Containers);
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        Assert.Null(container.SecurityContext.Privileged);
        Assert.Equal(["operator", "run"], container.Args);
    }

    [Fact]
    public async Task Template_ClusterRole_CoversEveryKindAndStatus()
    {
        var role = (await RenderAsync()).OfType<V1ClusterRole>().Single();
        var resources = role.Rules.Where(r => r.ApiGroups.Contains("greengrass.edge.dev")).SelectMany(r => r.Resources).ToHashSet();
        foreach (var plural in new[] { "components", "deployments", "coredevices", "clientdevices" })
        {
            Assert.Contains(plural, resources);
            Assert.Contains($"{plural}/status", resources);
        }
    }

    [Fact]
    public async Task Template_ClusterRole_OnlyGetsAndCreatesSecrets()
    {
        var role = (await RenderAsync()).OfType<V1ClusterRole>().Single();
        var verbs = role.Rules.Where(r => r.Resources.Contains("secrets")).SelectMany(r => r.Verbs).Order().Distinct().ToList();

        Assert.Equal(["create", "get"], verbs);
    }

    [Fact]
    public async Task Template_Discovery_ServesAwsAndSdkPortsWithServiceNamesInTheCertificateHosts()
    {
        var rendered = await RenderAsync();
        var service = rendered.OfType<V1Service>().Single();
        var env = rendered.OfType<V1Deployment>().Single().Spec.Template.Spec.Containers[0].Env.ToDictionary(e => e.Name, e => e.Value);

        Assert.Contains(service.Spec.Ports, p => p.Name == "discovery" && p.Port == 8443 && p.TargetPort.Value == "discovery");
        Assert.Contains(service.Spec.Ports, p => p.Name == "discovery-sdk" && p.Port == 443 && p.TargetPort.Value == "discovery");
        Assert.Equal("8443", env["Discovery__Port"]);
        Assert.Equal("true", env["Discovery__Enabled"]);
        Assert.Contains($"{service.Metadata.Name}.greengrass-system.svc", env["Discovery__Hosts"].Split(','));
        Assert.Equal($"{service.Metadata.Name}-discovery-tls", env["Discovery__TlsSecret"]);
    }

    [Fact]
    public async Task Template_InvalidValue_IsRejectedBySchema()
    {
        var (code, output) = await HelmAsync("template", "demo", Repository.Root, "--set", "greengrass-operator.replicaCount=two");
        Assert.NotEqual(0, code);
        Assert.Contains("replicaCount", output);
    }

    private static async Task<List<object>> RenderAsync()
    {
        var (code, output) = await HelmAsync("template", "demo", Repository.Root, "--namespace", "greengrass-system");
        Assert.True(code == 0, output);
        return KubernetesYaml.LoadAllFromString(output);
    }

    private static async Task<(int Code, string Output)> HelmAsync(params string[] args)
    {
        var helm = Path.Combine(Repository.Root, ".tools", "bin", "helm");
        Assert.True(File.Exists(helm), "helm is not installed: run `make test-deps` (build/install-helm.sh)");
        var start = new ProcessStartInfo(helm) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}

/// <summary>Locates the repository root (the folder holding the solution) from the test's output folder.</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Greengrass.Operator.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
