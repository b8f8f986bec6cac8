using System.Text.Json.Nodes;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Core.Planning;

namespace Greengrass.Nucleus.Core.Tests.Planning;

internal static class PlanFixtures
{
    public static PlannedComponent Component(string name, string version = "1.0.0", params string[] hardDependencies) => new()
    {
        Name = name,
        Version = version,
        Lifecycle = new LifecycleDefinition
        {
            Install = new LifecycleStep { Script = "install.sh" },
            Run = new LifecycleStep { Script = $"run {name}" },
            Shutdown = new LifecycleStep { Script = "shutdown.sh" },
        },
        Configuration = new JsonObject { ["port"] = 8080 },
        Dependencies = [.. hardDependencies.Select(d => new PlannedDependency { Name = d })],
        RecipeDigest = $"sha256:{name}:{version}",
    };

    public static DevicePlan Plan(params PlannedComponent[] components) => new()
    {
        SchemaVersion = DevicePlan.CurrentSchemaVersion,
        ThingName = "edge-1",
        DeploymentId = "dep-2",
        Revision = 2,
        CreationTimestamp = new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero),
        GroupId = "thing/edge-1",
        Components = components,
    };

    public static CurrentState Current(params PlannedComponent[] components) =>
        CurrentState.From(components.Select(c => new CurrentComponent(c, ComponentState.Running)));

    public static CurrentState Current(params (PlannedComponent Component, ComponentState State)[] components) =>
        CurrentState.From(components.Select(c => new CurrentComponent(c.Component, c.State)));

    public static List<string> Describe(IEnumerable<PlanStep> steps) => [.. steps.Select(s => $"{s.Kind} {s.Component}")];
}
