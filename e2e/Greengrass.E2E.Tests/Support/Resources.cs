using System.Text.Json.Nodes;
using Greengrass.Api;
using k8s.Models;
using ApiDeployment = Greengrass.Api.Deployment;

namespace Greengrass.E2E.Tests.Support;

/// <summary>Builders of the Greengrass resources the scenarios apply.</summary>
internal static class Resources
{
    public static Component Component(string ns, string name, string version, string run, params (string Name, string Range)[] dependencies) => new()
    {
        Metadata = new V1ObjectMeta { Name = $"{name.ToLowerInvariant()}-{version}", NamespaceProperty = ns },
        Spec = new ComponentSpec
        {
            RecipeFormatVersion = "2020-01-25",
            ComponentName = name,
            ComponentVersion = version,
            Configuration = new ComponentConfiguration { DefaultConfiguration = new JsonObject { ["message"] = "hello" } },
            Dependencies = dependencies.Length == 0 ? null : dependencies.ToDictionary(d => d.Name, d => new ComponentDependency { VersionRequirement = d.Range }),
            Manifests = [new ComponentManifest { Platform = new Dictionary<string, string> { ["os"] = "linux" }, Lifecycle = new JsonObject { ["Run"] = run } }],
        },
    };

    public static ApiDeployment DeploymentToSelector(string ns, string name, IDictionary<string, string> selector, params (string Component, string Version)[] components) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new DeploymentSpec
        {
            CoreDeviceSelector = new V1LabelSelector { MatchLabels = selector },
            Components = components.ToDictionary(c => c.Component, c => new DeploymentComponent { Version = c.Version }),
        },
    };

    public static CoreDevice CoreDevice(string ns, string name, string thing, string node, IDictionary<string, string> labels) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels },
        Spec = new CoreDeviceSpec { ThingName = thing, Placement = new Placement { NodeName = node } },
    };
}
