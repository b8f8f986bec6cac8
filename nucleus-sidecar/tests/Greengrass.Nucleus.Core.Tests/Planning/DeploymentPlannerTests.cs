using System.Text.Json.Nodes;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Core.Dependencies;
using Greengrass.Nucleus.Core.Planning;
using static Greengrass.Nucleus.Core.Tests.Planning.PlanFixtures;

namespace Greengrass.Nucleus.Core.Tests.Planning;

public sealed class DeploymentPlannerTests
{
    [Fact]
    public void Plan_NewComponents_InstallThenStartInDependencyOrder()
    {
        var desired = Plan(Component("app", "1.0.0", "db"), Component("db"), Component("cache"));

        var steps = DeploymentPlanner.Plan(desired, CurrentState.Empty);

        Assert.Equal(["Install cache", "Install db", "Install app", "Start cache", "Start db", "Start app"], Describe(steps));
        Assert.All(steps, s => Assert.NotNull(s.Target));
    }

    [Fact]
    public void Plan_RemovedComponents_StopAndRemoveDependentsFirstBeforeAnythingElse()
    {
        var current = Current(Component("app", "1.0.0", "db"), Component("db"), Component("keep"));
        var desired = Plan(Component("keep"), Component("fresh"));

        var steps = DeploymentPlanner.Plan(desired, current);

        Assert.Equal(["Stop app", "Remove app", "Stop db", "Remove db", "Install fresh", "Start fresh"], Describe(steps));
    }

    [Fact]
    public void Plan_Unchanged_NoSteps()
    {
        var steps = DeploymentPlanner.Plan(Plan(Component("a"), Component("b", "1.0.0", "a")), Current(Component("a"), Component("b", "1.0.0", "a")));

        Assert.Empty(steps);
    }

    [Fact]
    public void Plan_UnchangedButReadFromJsonAgain_NoSteps()
    {
        var component = Component("a") with
        {
            Lifecycle = Component("a").Lifecycle with { Setenv = new Dictionary<string, string> { ["MODE"] = "x" } },
        };
        var roundTripped = ContractJson.DeserializePlan(ContractJson.SerializePlan(Plan(component)));

        Assert.Empty(DeploymentPlanner.Plan(roundTripped, Current(component)));
    }

    [Fact]
    public void Plan_VersionChange_Reinstall()
    {
        var steps = DeploymentPlanner.Plan(Plan(Component("a", "2.0.0")), Current(Component("a", "1.0.0")));

        var step = Assert.Single(steps);
        Assert.Equal(PlanStepKind.Reinstall, step.Kind);
        Assert.Equal("version 1.0.0 -> 2.0.0", step.Reason);
    }

    [Fact]
    public void Plan_ConfigurationOnly_ReconfigureWithoutRestart()
    {
        var changed = Component("a") with { Configuration = new JsonObject { ["port"] = 9090 } };

        var step = Assert.Single(DeploymentPlanner.Plan(Plan(changed), Current(Component("a"))));

        Assert.Equal(PlanStepKind.Reconfigure, step.Kind);
        Assert.Equal(["a"], DeploymentPlanner.ConfigurationValidationTargets(Plan(changed), Current(Component("a"))));
    }

    [Theory]
    [InlineData("Run", "/message", "Restart")]
    [InlineData("Install", "/message", "Reinstall")]
    [InlineData("Run", "/other", "Reconfigure")]
    public void Plan_ConfigurationAStepInterpolates_ChangesThatStep(string stepName, string pointer, string expected)
    {
        var step = new LifecycleStep { Script = $"echo {{configuration:{pointer}}}" };
        var baseline = Component("a");
        var lifecycle = stepName == "Run" ? baseline.Lifecycle with { Run = step } : baseline.Lifecycle with { Install = step };
        var before = baseline with { Lifecycle = lifecycle, Configuration = new JsonObject { ["message"] = "hello", ["other"] = "x" } };
        var after = before with { Configuration = new JsonObject { ["message"] = "changed", ["other"] = "x" } };

        var planned = Assert.Single(DeploymentPlanner.Plan(Plan(after), Current(before)));

        Assert.Equal(Enum.Parse<PlanStepKind>(expected), planned.Kind);
    }

    public static TheoryData<string, PlannedComponent, string> Changes
    {
        get
        {
            var b = Component("a");
            var lifecycle = b.Lifecycle;
            return new TheoryData<string, PlannedComponent, string>
            {
                { "recipe digest", b with { RecipeDigest = "sha256:other" }, "Reinstall" },
                { "component type", b with { ComponentType = ComponentType.Lambda, RecipeDigest = b.RecipeDigest }, "Reinstall" },
                { "install step", b with { Lifecycle = lifecycle with { Install = new LifecycleStep { Script = "v2" } } }, "Reinstall" },
                { "runWith user", b with { RunWith = new RunWith { PosixUser = "svc" } }, "Reinstall" },
                { "artifacts", b with { Artifacts = [new PlannedArtifact { Uri = "s3://b/k" }] }, "Reinstall" },
                { "run step", b with { Lifecycle = lifecycle with { Run = new LifecycleStep { Script = "v2" } } }, "Restart" },
                { "step timeout", b with { Lifecycle = lifecycle with { Run = lifecycle.Run! with { TimeoutSeconds = 5 } } }, "Restart" },
                { "lifecycle setenv", b with { Lifecycle = lifecycle with { Setenv = new Dictionary<string, string> { ["A"] = "1" } } }, "Restart" },
                { "dependency added", b with { Dependencies = [new PlannedDependency { Name = "z" }] }, "Restart" },
                { "shutdown only", b with { Lifecycle = lifecycle with { Shutdown = new LifecycleStep { Script = "v2" } } }, "Reconfigure" },
                { "limits only", b with { RunWith = new RunWith { SystemResourceLimits = new SystemResourceLimits { Memory = 1024 } } }, "UpdateResourceLimits" },
            };
        }
    }

    [Theory]
    [MemberData(nameof(Changes))]
    public void Plan_ChangeOfOneField_StepAsGreengrassReacts(string what, PlannedComponent changed, string expectedKind)
    {
        var expected = Enum.Parse<PlanStepKind>(expectedKind);
        var desired = changed.Dependencies.Count > 0 ? Plan(changed, Component("z")) : Plan(changed);
        var current = changed.Dependencies.Count > 0 ? Current(Component("a"), Component("z")) : Current(Component("a"));

        var step = Assert.Single(DeploymentPlanner.Plan(desired, current), s => s.Component == "a");

        Assert.True(expected == step.Kind, $"{what}: expected {expected}, got {step.Kind} ({step.Reason})");
    }

    [Fact]
    public void Plan_ConfigurationAndLimitsChange_ReconfigureAndUpdateLimits()
    {
        var changed = Component("a") with
        {
            Configuration = new JsonObject { ["port"] = 1 },
            RunWith = new RunWith { SystemResourceLimits = new SystemResourceLimits { Cpus = 0.5 } },
        };

        Assert.Equal(["Reconfigure a", "UpdateResourceLimits a"], Describe(DeploymentPlanner.Plan(Plan(changed), Current(Component("a")))));
    }

    [Fact]
    public void Plan_BrokenAndUnchanged_Reinstalled()
    {
        var step = Assert.Single(DeploymentPlanner.Plan(Plan(Component("a")), Current((Component("a"), ComponentState.Broken))));

        Assert.Equal(PlanStepKind.Reinstall, step.Kind);
    }

    [Fact]
    public void Plan_MixedDiff_PhasesInOrder()
    {
        var current = Current(Component("old"), Component("base"), Component("svc", "1.0.0", "base"), Component("cfg"));
        var desired = Plan(
            Component("base", "2.0.0"),
            Component("svc", "1.0.0", "base"),
            Component("cfg") with { Configuration = new JsonObject { ["x"] = true } },
            Component("new", "1.0.0", "base"));

        var steps = DeploymentPlanner.Plan(desired, current);

        Assert.Equal(
            ["Stop old", "Remove old", "Reinstall base", "Install new", "Reconfigure cfg", "Start new"],
            Describe(steps));
        Assert.Equal(["base", "new", "cfg"], DeploymentPlanner.ComponentsToAwait(steps));
    }

    [Fact]
    public void Plan_CircularDependency_Throws()
    {
        var desired = Plan(Component("a", "1.0.0", "b"), Component("b", "1.0.0", "a"));

        var error = Assert.Throws<DependencyCycleException>(() => DeploymentPlanner.Plan(desired, CurrentState.Empty));

        Assert.Equal(["a", "b", "a"], error.Cycle);
    }

    [Fact]
    public void ConfigurationValidationTargets_VersionChangeOrNewComponent_NotAsked()
    {
        var desired = Plan(Component("a", "2.0.0") with { Configuration = [] }, Component("new"));

        Assert.Empty(DeploymentPlanner.ConfigurationValidationTargets(desired, Current(Component("a"))));
    }
}
