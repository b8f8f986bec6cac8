using System.Text.Json.Nodes;
using Greengrass.Api;
using Greengrass.Model.Platforms;
using Greengrass.Model.Recipes;
using Greengrass.Nucleus.Contracts;
using Greengrass.Operator.Components;
using Greengrass.Operator.Devices;
using k8s.Models;
using ApiDeployment = Greengrass.Api.Deployment;

namespace Greengrass.Operator.Tests.Devices;

public sealed class DevicePlanBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);
    private static readonly DevicePlatform LinuxAmd64 = DevicePlatform.Create("linux", "amd64");

    private static Component Recipe(string name, string version, string dependencies = "", string extra = "") =>
        ComponentRecipeMapper.ToComponent(RecipeReader.Parse($"""
            RecipeFormatVersion: '2020-01-25'
            ComponentName: {name}
            ComponentVersion: '{version}'
            ComponentConfiguration:
              DefaultConfiguration:
                greeting: hello
                limits: {"{"} cpu: 1 {"}"}
            {dependencies}
            Manifests:
              - Platform: {"{"} os: linux, architecture: amd64 {"}"}
                Lifecycle:
                  Run: echo {name} amd64
              - Platform: {"{"} os: linux, architecture: aarch64 {"}"}
                Lifecycle:
                  Run: echo {name} arm64
            {extra}
            """), "fleet");

    private static readonly Component[] Catalog =
    [
        Recipe("com.example.App", "1.0.0", "ComponentDependencies:\n  com.example.Cache: { VersionRequirement: '^1.0.0' }"),
        Recipe("com.example.Cache", "1.0.0", "ComponentDependencies:\n  com.example.Base: { VersionRequirement: '>=1.0.0 <2.0.0' }"),
        Recipe("com.example.Cache", "1.2.0", "ComponentDependencies:\n  com.example.Base: { VersionRequirement: '>=1.0.0 <2.0.0' }"),
        Recipe("com.example.Base", "1.0.0"),
        Recipe("com.example.Base", "1.5.0"),
        Recipe("com.example.Base", "2.0.0"),
        Recipe("com.example.Other", "1.0.0"),
    ];

    private static ApiDeployment Deployment(string name, params (string Component, string Version)[] components) => new()
    {
        ApiVersion = GreengrassApi.ApiVersion,
        Kind = GreengrassApi.DeploymentKind,
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "fleet", Generation = 1, CreationTimestamp = Now.UtcDateTime },
        Spec = new DeploymentSpec
        {
            CoreDeviceSelector = new V1LabelSelector(),
            Components = components.ToDictionary(c => c.Component, c => new DeploymentComponent { Version = c.Version }),
        },
    };

    private static DevicePlanResult Build(IReadOnlyList<ApiDeployment> deployments, DevicePlan? previous = null, DevicePlatform? platform = null) =>
        DevicePlanBuilder.Build(new DevicePlanInput(DeviceBuildersTests.Device(), deployments, Catalog, platform ?? LinuxAmd64, previous, Now));

    [Fact]
    public void Chain_IsResolvedNewestFirst_AndOrderedDependenciesFirst()
    {
        var result = Build([Deployment("apps", ("com.example.App", "1.0.0"))]);

        Assert.True(result.Succeeded, result.ErrorMessage);
        var plan = result.Plan!;
        Assert.Equal(["com.example.Base", "com.example.Cache", "com.example.App"], plan.Components.Select(c => c.Name));
        Assert.Equal("1.5.0", plan.Components[0].Version); // newest satisfying <2.0.0
        Assert.Equal("1.2.0", plan.Components[1].Version);
        Assert.Equal(1, plan.Revision);
        Assert.Equal("EdgeA", plan.ThingName);
        Assert.Equal("echo com.example.App amd64", plan.Components[2].Lifecycle.Run!.Script.Trim());
        Assert.Equal("com.example.Cache", Assert.Single(plan.Components[2].Dependencies).Name);
    }

    [Fact]
    public void Platform_SelectsTheManifestOfTheNode()
    {
        var plan = Build([Deployment("apps", ("com.example.Other", "1.0.0"))], platform: DevicePlatform.Create("linux", "aarch64")).Plan!;
        Assert.Equal("echo com.example.Other arm64", Assert.Single(plan.Components).Lifecycle.Run!.Script.Trim());
    }

    [Fact]
    public void NoManifestForThePlatform_FailsWithNoMatchingManifest()
    {
        var result = Build([Deployment("apps", ("com.example.Other", "1.0.0"))], platform: DevicePlatform.Create("windows", "amd64"));
        Assert.Equal(ConditionReasons.NoMatchingManifest, result.ErrorReason);
        Assert.Equal(["apps"], result.InvolvedDeployments);
    }

    [Fact]
    public void ConflictingPins_FailNamingBothDeployments()
    {
        var result = Build([Deployment("fleet-a", ("com.example.Base", "1.0.0")), Deployment("fleet-b", ("com.example.Base", "2.0.0"))]);

        Assert.False(result.Succeeded);
        Assert.Equal(ConditionReasons.VersionConflict, result.ErrorReason);
        Assert.Equal(["fleet-a", "fleet-b"], result.InvolvedDeployments.Order(StringComparer.Ordinal));
        Assert.Contains("fleet-a", result.ErrorMessage);
        Assert.Contains("fleet-b", result.ErrorMessage);
    }

    [Fact]
    public void UnknownComponent_FailsWithComponentNotFound()
    {
        var result = Build([Deployment("apps", ("com.example.Missing", "1.0.0"))]);
        Assert.Equal(ConditionReasons.ComponentNotFound, result.ErrorReason);
    }

    [Fact]
    public void UnchangedInput_KeepsTheRevision_AChangeAdvancesIt()
    {
        var first = Build([Deployment("apps", ("com.example.Other", "1.0.0"))]).Plan!;
        var again = Build([Deployment("apps", ("com.example.Other", "1.0.0"))], first).Plan!;
        Assert.Same(first, again);

        var changed = Deployment("apps", ("com.example.Other", "1.0.0"));
        changed.Spec.Components!["com.example.Other"].ConfigurationUpdate = new Greengrass.Api.ConfigurationUpdate { Merge = new JsonObject { ["greeting"] = "hi" } };
        var next = Build([changed], first).Plan!;
        Assert.Equal(2, next.Revision);
        Assert.Equal("hi", next.Components[0].Configuration["greeting"]!.GetValue<string>());
    }

    [Fact]
    public void Configuration_ResetAndMergeApplyOnlyToTheDeploymentsRootComponents()
    {
        var deployment = Deployment("apps", ("com.example.App", "1.0.0"));
        deployment.Spec.Components!["com.example.App"].ConfigurationUpdate = new Greengrass.Api.ConfigurationUpdate
        {
            Reset = ["/limits"],
            Merge = new JsonObject { ["greeting"] = "bonjour", ["extra"] = new JsonArray(1, 2) },
        };

        var plan = Build([deployment]).Plan!;
        var app = plan.Components.Single(c => c.Name == "com.example.App").Configuration;
        Assert.Equal("bonjour", app["greeting"]!.GetValue<string>());
        Assert.Equal("1", app["limits"]!["cpu"]!.ToJsonString()); // reset to the default
        Assert.Equal(2, app["extra"]!.AsArray().Count);
        var cache = plan.Components.Single(c => c.Name == "com.example.Cache").Configuration;
        Assert.Equal("hello", cache["greeting"]!.GetValue<string>());
    }
}
