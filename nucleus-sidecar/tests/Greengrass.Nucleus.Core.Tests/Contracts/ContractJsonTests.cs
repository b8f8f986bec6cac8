using System.Text.Json.Nodes;
using Greengrass.Nucleus.Contracts;

namespace Greengrass.Nucleus.Core.Tests.Contracts;

public sealed class ContractJsonTests
{
    private static DevicePlan FullPlan() => new()
    {
        SchemaVersion = DevicePlan.CurrentSchemaVersion,
        ThingName = "edge-1",
        DeploymentId = "dep-7",
        Revision = 7,
        CreationTimestamp = new DateTimeOffset(2026, 3, 4, 5, 6, 7, 890, TimeSpan.Zero),
        GroupId = "thinggroup/line-a",
        RequiresNucleusRestart = true,
        Policies = new DeploymentPolicies
        {
            FailureHandling = FailureHandlingPolicy.DoNothing,
            ComponentUpdate = new ComponentUpdatePolicy { Action = ComponentUpdateAction.SkipNotifyComponents, TimeoutSeconds = 90 },
            ConfigurationValidation = new ConfigurationValidationPolicy { TimeoutSeconds = 45 },
        },
        Components =
        [
            new PlannedComponent
            {
                Name = "com.example.App",
                Version = "1.2.3",
                Lifecycle = new LifecycleDefinition
                {
                    Setenv = new Dictionary<string, string> { ["MODE"] = "prod" },
                    Install = new LifecycleStep { Script = "pip install -r requirements.txt", TimeoutSeconds = 300, SkipIf = "onpath pip3" },
                    Run = new LifecycleStep { Script = "python3 app.py", RequiresPrivilege = true, Setenv = new Dictionary<string, string> { ["X"] = "1" } },
                    Shutdown = new LifecycleStep { Script = "kill-app" },
                    Recover = new LifecycleStep { Script = "cleanup" },
                    Bootstrap = new LifecycleStep { Script = "prepare", BootstrapOnRollback = true },
                    ErrorResetTimeSeconds = 600,
                },
                Artifacts =
                [
                    new PlannedArtifact
                    {
                        Uri = "s3://bucket/app.zip",
                        Digest = "q1w2e3==",
                        Algorithm = "SHA-256",
                        Unarchive = ArtifactUnarchive.Zip,
                        Permission = new ArtifactPermission { Read = ArtifactAccess.All, Execute = ArtifactAccess.Owner },
                    },
                ],
                Configuration = new JsonObject { ["port"] = 8080, ["nested"] = new JsonObject { ["list"] = new JsonArray(1, "two", null) } },
                Dependencies = [new PlannedDependency { Name = "aws.greengrass.Nucleus", Type = DependencyType.Soft }],
                RunWith = new RunWith { PosixUser = "app:app", SystemResourceLimits = new SystemResourceLimits { Cpus = 0.5, Memory = 102400 } },
                RecipeDigest = "sha256:abc",
            },
            new PlannedComponent { Name = "aws.greengrass.Nucleus", Version = "2.14.0", ComponentType = ComponentType.Nucleus },
        ],
    };

    [Fact]
    public void Plan_RoundTrip_PreservesEveryField()
    {
        var plan = FullPlan();

        var json = ContractJson.SerializePlan(plan);
        var back = ContractJson.DeserializePlan(json);

        Assert.Equal(json, ContractJson.SerializePlan(back));
        Assert.Equal(plan.Policies, back.Policies);
        Assert.Equal(plan.CreationTimestamp, back.CreationTimestamp);
        Assert.Equal(plan.Components[0].Lifecycle, back.Components[0].Lifecycle);
        Assert.Equal(plan.Components[0].Artifacts, back.Components[0].Artifacts);
        Assert.Equal(plan.Components[0].RunWith, back.Components[0].RunWith);
        Assert.True(JsonNode.DeepEquals(plan.Components[0].Configuration, back.Components[0].Configuration));
    }

    [Fact]
    public void Plan_Serialized_UsesCamelCaseAndGreengrassWireNames()
    {
        var json = JsonNode.Parse(ContractJson.SerializePlan(FullPlan()))!;

        Assert.Equal(1, json["schemaVersion"]!.GetValue<int>());
        Assert.Equal("DO_NOTHING", json["policies"]!["failureHandling"]!.GetValue<string>());
        Assert.Equal("SKIP_NOTIFY_COMPONENTS", json["policies"]!["componentUpdate"]!["action"]!.GetValue<string>());
        var app = json["components"]![0]!;
        Assert.Equal("aws.greengrass.generic", app["componentType"]!.GetValue<string>());
        Assert.Equal("SOFT", app["dependencies"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("ZIP", app["artifacts"]![0]!["unarchive"]!.GetValue<string>());
        Assert.Equal("aws.greengrass.nucleus", json["components"]![1]!["componentType"]!.GetValue<string>());
    }

    [Fact]
    public void Plan_MinimalDocument_GetsGreengrassDefaults()
    {
        const string json = """
            {"schemaVersion":1,"thingName":"t","deploymentId":"d","revision":1,"creationTimestamp":"2026-01-01T00:00:00Z",
             "groupId":"thing/t","components":[{"name":"a","version":"1.0.0","lifecycle":{"run":{"script":"x"}}}]}
            """;

        var plan = ContractJson.DeserializePlan(json);

        Assert.Equal(FailureHandlingPolicy.Rollback, plan.Policies.FailureHandling);
        Assert.Equal(ComponentUpdateAction.NotifyComponents, plan.Policies.ComponentUpdate.Action);
        Assert.Equal(60, plan.Policies.ComponentUpdate.TimeoutSeconds);
        Assert.Equal(30, plan.Policies.ConfigurationValidation.TimeoutSeconds);
        Assert.Equal(ComponentType.Generic, plan.Components[0].ComponentType);
        Assert.Empty(plan.Components[0].Configuration);
    }

    public static TheoryData<string, string> BadPlans => new()
    {
        { """{"schemaVersion":2,"thingName":"t","deploymentId":"d","revision":1,"creationTimestamp":"2026-01-01T00:00:00Z","groupId":"g"}""", "schemaVersion" },
        { """{"schemaVersion":1,"deploymentId":"d","revision":1,"creationTimestamp":"2026-01-01T00:00:00Z","groupId":"g"}""", "thingName" },
        { """{"schemaVersion":1,"thingName":" ","deploymentId":"d","revision":1,"creationTimestamp":"2026-01-01T00:00:00Z","groupId":"g"}""", "thingName" },
        { """{"schemaVersion":1,"thingName":"t","deploymentId":"d","revision":"x","creationTimestamp":"2026-01-01T00:00:00Z","groupId":"g"}""", "$.revision" },
        { """{"schemaVersion":1,"thingName":"t","deploymentId":"d","revision":1,"creationTimestamp":"2026-01-01T00:00:00Z","groupId":"g","policies":{"failureHandling":"MAYBE"}}""", "$.policies.failureHandling" },
        { """{"schemaVersion":1,"thingName":"t","deploymentId":"d","revision":1,"creationTimestamp":"2026-01-01T00:00:00Z","groupId":"g","policies":{"failureHandling":1}}""", "$.policies.failureHandling" },
        { """{"schemaVersion":1,"thingName":"t","deploymentId":"d","revision":1,"creationTimestamp":"2026-01-01T00:00:00Z","groupId":"g","components":[{"name":"a","version":"1","dependencies":[{"name":"ghost"}]}]}""", "components[0].dependencies[0].name" },
        { """{"schemaVersion":1,"thingName":"t","deploymentId":"d","revision":1,"creationTimestamp":"2026-01-01T00:00:00Z","groupId":"g","components":[{"name":"a","version":"1"},{"name":"a","version":"2"}]}""", "components[1].name" },
        { """{"schemaVersion":1,"thingName":"t","deploymentId":"d","revision":1,"creationTimestamp":"2026-01-01T00:00:00Z","groupId":"g","components":[{"name":"a","version":"1","lifecycle":{"install":{"script":"x","timeoutSeconds":0}}}]}""", "components[0].lifecycle.install.timeoutSeconds" },
        { """{"schemaVersion":1,"thingName":"t","deploymentId":"d","revision":1,"creationTimestamp":"2026-01-01T00:00:00Z","groupId":"g","components":[{"name":"a","version":"1","lifecycle":{"run":{"script":"x","skipIf":"whenever x"}}}]}""", "components[0].lifecycle.run.skipIf" },
        { """{"schemaVersion":1,"thingName":"t","deploymentId":"d","revision":1,"creationTimestamp":"2026-01-01T00:00:00Z","groupId":"g","components":[{"name":"a","version":"1","artifacts":[{"uri":"s3://b/k","digest":"zz"}]}]}""", "components[0].artifacts[0].algorithm" },
        { """{"schemaVersion":1,"thingName":"t" """, "DevicePlan" },
        { """{"schemaVersion":1,"thingName":"t","deploymentId":"d","revision":1,"creationTimestamp":"2026-01-01T00:00:00Z","groupId":"g","policies":null}""", "policies" },
        { """{"schemaVersion":1,"thingName":"t","deploymentId":"d","revision":1,"creationTimestamp":"2026-01-01T00:00:00Z","groupId":"g","components":[{"name":"a","version":"1","configuration":null}]}""", "configuration" },
        { """{"schemaVersion":1,"thingName":"t","deploymentId":"d","creationTimestamp":"2026-01-01T00:00:00Z","groupId":"g"}""", "revision" },
    };

    [Theory]
    [MemberData(nameof(BadPlans))]
    public void DeserializePlan_BadInput_ClearErrorNamingTheField(string json, string field)
    {
        var error = Assert.Throws<ContractFormatException>(() => ContractJson.DeserializePlan(json));

        Assert.Contains(field, error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(error.Errors);
    }

    [Fact]
    public void Report_RoundTrip_PreservesEveryField()
    {
        var report = new DeviceReport
        {
            SchemaVersion = DeviceReport.CurrentSchemaVersion,
            ThingName = "edge-1",
            NucleusVersion = "2.14.0",
            AppliedRevision = 6,
            OverallHealth = DeviceHealth.Unhealthy,
            Components =
            [
                new ComponentReport
                {
                    Name = "com.example.App",
                    Version = "1.2.3",
                    State = ComponentState.Broken,
                    LastTransitionTime = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero),
                    Message = "The run script exited with code 1.",
                    RestartCount = 2,
                    StatusCodes = ["RUN_ERROR"],
                },
            ],
            Deployment = new DeploymentReport
            {
                DeploymentId = "dep-7",
                Revision = 7,
                Status = DeploymentStatus.FailedRollbackComplete,
                DetailedStatus = "FAILED_ROLLBACK_COMPLETE",
                ErrorStack = ["DEPLOYMENT_FAILURE", "COMPONENT_UPDATE_ERROR", "COMPONENT_BROKEN"],
                ErrorTypes = ["COMPONENT_ERROR"],
                FailureCause = "Components are broken: com.example.App.",
            },
        };

        var json = ContractJson.SerializeReport(report);
        var back = ContractJson.DeserializeReport(json);

        Assert.Equal(json, ContractJson.SerializeReport(back));
        var node = JsonNode.Parse(json)!;
        Assert.Equal("UNHEALTHY", node["overallHealth"]!.GetValue<string>());
        Assert.Equal("BROKEN", node["components"]![0]!["state"]!.GetValue<string>());
        Assert.Equal("FAILED_ROLLBACK_COMPLETE", node["deployment"]!["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(DeploymentStatus.InProgress, "IN_PROGRESS")]
    [InlineData(DeploymentStatus.Succeeded, "SUCCEEDED")]
    [InlineData(DeploymentStatus.FailedNoStateChange, "FAILED_NO_STATE_CHANGE")]
    [InlineData(DeploymentStatus.FailedRollbackNotRequested, "FAILED_ROLLBACK_NOT_REQUESTED")]
    [InlineData(DeploymentStatus.FailedRollbackComplete, "FAILED_ROLLBACK_COMPLETE")]
    [InlineData(DeploymentStatus.FailedUnableToRollback, "FAILED_UNABLE_TO_ROLLBACK")]
    [InlineData(DeploymentStatus.Rejected, "REJECTED")]
    public void DeploymentStatus_WireName_AsGreengrass(DeploymentStatus status, string wire)
    {
        var json = ContractJson.SerializeReport(new DeviceReport
        {
            SchemaVersion = 1,
            ThingName = "t",
            NucleusVersion = "v",
            Deployment = new DeploymentReport { DeploymentId = "d", Revision = 1, Status = status },
        });

        Assert.Equal(wire, JsonNode.Parse(json)!["deployment"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public void DeserializeReport_UnknownSchemaVersion_Refused()
    {
        var error = Assert.Throws<ContractFormatException>(() =>
            ContractJson.DeserializeReport("""{"schemaVersion":9,"thingName":"t","nucleusVersion":"v"}"""));

        Assert.Contains("schemaVersion", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LifecycleStep_EqualContentDifferentDictionaries_Equal()
    {
        var a = new LifecycleStep { Script = "s", Setenv = new Dictionary<string, string> { ["A"] = "1", ["B"] = "2" } };
        var b = new LifecycleStep { Script = "s", Setenv = new Dictionary<string, string> { ["B"] = "2", ["A"] = "1" } };
        var c = b with { Setenv = new Dictionary<string, string> { ["A"] = "1" } };

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void SamplePlan_InTheContractsFolder_IsValid()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Greengrass.Operator.sln")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        var json = File.ReadAllText(Path.Combine(dir.FullName, "nucleus-sidecar", "Greengrass.Nucleus.Contracts", "samples", "device-plan.json"));

        var plan = ContractJson.DeserializePlan(json);

        Assert.Equal(["com.example.SensorReader", "com.example.Broker"], plan.Components.Select(c => c.Name));
        Assert.Equal(DependencyType.Hard, plan.Components[0].Dependencies[0].Type);
        Assert.Equal(ComponentType.Generic, plan.Components[1].ComponentType);
    }
}
