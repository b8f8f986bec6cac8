using System.Text.Json.Nodes;
using Greengrass.Api;
using k8s;
using k8s.Models;
using ApiDeployment = Greengrass.Api.Deployment;

namespace Greengrass.Operator.ScaleBenchmark;

/// <summary>Components com.example.C01…, one Deployment of the first N of them to every device, devices pinned one per node.</summary>
internal sealed class ScaleFleet(ApiWriter api, ScaleOptions options)
{
    public const string Namespace = "scale";
    private static readonly Dictionary<string, string> Selector = new() { ["fleet"] = "scale" };

    public async Task CreateAsync()
    {
        await api.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } });
        var prefix = $"apis/{GreengrassApi.Group}/{GreengrassApi.Version}/namespaces/{Namespace}";
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 8 };
        await Parallel.ForEachAsync(Enumerable.Range(1, options.Components), parallel, async (i, _) =>
            await api.PostAsync($"{prefix}/{GreengrassApi.ComponentPlural}", Component(i)));
        await api.PostAsync($"{prefix}/{GreengrassApi.DeploymentPlural}", Deployment());
        await Parallel.ForEachAsync(Enumerable.Range(1, options.Devices), parallel, async (i, _) =>
            await api.PostAsync($"{prefix}/{GreengrassApi.CoreDevicePlural}", Device(i)));
    }

    private static string ComponentName(int i) => $"com.example.C{i:00}";

    private static Component Component(int i) => new()
    {
        Metadata = new V1ObjectMeta { Name = $"c{i:00}-1.0.0", NamespaceProperty = Namespace },
        Spec = new ComponentSpec
        {
            RecipeFormatVersion = "2020-01-25",
            ComponentName = ComponentName(i),
            ComponentVersion = "1.0.0",
            Configuration = new ComponentConfiguration { DefaultConfiguration = new JsonObject { ["interval"] = i } },
            Manifests = [new ComponentManifest { Platform = new Dictionary<string, string> { ["os"] = "linux" }, Lifecycle = new JsonObject { ["Run"] = "sleep 1000" } }],
        },
    };

    private ApiDeployment Deployment() => new()
    {
        Metadata = new V1ObjectMeta { Name = "fleet", NamespaceProperty = Namespace },
        Spec = new DeploymentSpec
        {
            CoreDeviceSelector = new V1LabelSelector { MatchLabels = Selector },
            Components = Enumerable.Range(1, options.Deployed).ToDictionary(ComponentName, _ => new DeploymentComponent { Version = "1.0.0" }),
        },
    };

    private static CoreDevice Device(int i) => new()
    {
        Metadata = new V1ObjectMeta { Name = $"core-{i:0000}", NamespaceProperty = Namespace, Labels = Selector },
        Spec = new CoreDeviceSpec { ThingName = $"Core{i:0000}", Placement = new Placement { NodeName = $"edge-node-{i}" } },
    };
}
