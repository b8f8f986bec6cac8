using System.Text.Json.Nodes;
using Greengrass.Api;
using Greengrass.Operator.Tests.Support;
using k8s;

namespace Greengrass.Operator.Tests.Api;

public sealed class SampleResourceTests
{
    public static TheoryData<string, string> All => new()
    {
        { "Component", Samples.Component },
        { "Deployment", Samples.DeploymentToGroup },
        { "Deployment", Samples.DeploymentToDevice },
        { "CoreDevice", Samples.CoreDevice },
        { "ClientDevice", Samples.ClientDevice },
    };

    [Theory]
    [MemberData(nameof(All))]
    public void Sample_IsValidAgainstItsCrd(string kind, string yaml)
    {
        var errors = SchemaValidator.Validate(ResourceYaml.ToJson(yaml), GeneratedCrds.Schema(GeneratedCrds.JsonOfKind(kind)));
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Sample_RoundTripsThroughTheCSharpType(string kind, string yaml)
    {
        var json = ResourceYaml.ToJson(yaml);
        var type = typeof(GreengrassApi).Assembly.GetType("Greengrass.Api." + kind)!;

        var typed = Deserialize(json, type);
        var back = JsonNode.Parse(KubernetesJson.Serialize(typed));

        Assert.True(JsonNode.DeepEquals(json, back), $"expected {json.ToJsonString()}{Environment.NewLine}got      {back?.ToJsonString()}");
    }

    [Fact]
    public void Component_Sample_ReadsIntoTypedFields()
    {
        var component = Deserialize<Component>(Samples.Component);

        Assert.Equal("com.example.HelloWorld", component.Spec.ComponentName);
        Assert.Equal(DependencyTypes.Soft, component.Spec.Dependencies!["aws.greengrass.Nucleus"].DependencyType);
        var artifact = Assert.Single(Assert.Single(component.Spec.Manifests).Artifacts!);
        Assert.Equal(ArtifactPermissions.All, artifact.Permission!.Read);
        Assert.Equal("/amd64|aarch64/", component.Spec.Manifests[0].Platform!["architecture"]);
        Assert.Equal(5, (int)component.Spec.Configuration!.DefaultConfiguration!["interval"]!);
        Assert.True(Conditions.IsTrue(component.Status!.Conditions, ConditionTypes.Ready));
    }

    [Fact]
    public void Deployment_Sample_ReadsIntOrStringAndSelector()
    {
        var group = Deserialize<Deployment>(Samples.DeploymentToGroup);
        var device = Deserialize<Deployment>(Samples.DeploymentToDevice);

        Assert.Equal("25%", group.Spec.Rollout!.MaxConcurrent!.Value);
        Assert.Equal("1", device.Spec.Rollout!.MaxConcurrent!.Value);
        Assert.Equal(102400, group.Spec.Components!["com.example.HelloWorld"].RunWith!.SystemResourceLimits!.Memory);
        Assert.Equal(["/interval", ""], group.Spec.Components["com.example.HelloWorld"].ConfigurationUpdate!.Reset!);
        Assert.Equal("fleet=factory-a,tier in (edge,gateway)", DeploymentTargets.Describe(group.Spec));
        Assert.Equal("coreDevice/gw-1", DeploymentTargets.Describe(device.Spec));
    }

    [Fact]
    public void CoreDevice_Sample_ReadsComponentStatesAndTimes()
    {
        var device = Deserialize<CoreDevice>(Samples.CoreDevice);

        Assert.Equal(DeviceHealth.Healthy, device.Status!.Health);
        Assert.Equal([ComponentStates.Running, ComponentStates.Errored], device.Status.Components!.Select(c => c.State));
        Assert.Equal(new DateTime(2024, 5, 1, 10, 1, 5, DateTimeKind.Utc), device.Status.LastStatusUpdate!.Value.ToUniversalTime());
        Assert.Equal("250m", device.Spec.Nucleus!.Resources!.Requests["cpu"].ToString());
    }

    [Fact]
    public void Validator_WrongEnumUnknownFieldAndMissingRequired_AreReported()
    {
        var json = ResourceYaml.ToJson(Samples.DeploymentToDevice);
        json["spec"]!["policies"] = new JsonObject { ["failureHandling"] = "RETRY" };
        json["spec"]!["components"]!["com.example.HelloWorld"]!["versoin"] = "1.0.0";
        json["spec"]!["components"]!["com.example.HelloWorld"]!.AsObject().Remove("version");

        var errors = SchemaValidator.Validate(json, GeneratedCrds.Schema(GeneratedCrds.JsonOfKind("Deployment")));

        Assert.Contains(errors, e => e.StartsWith(".spec.policies.failureHandling: 'RETRY' is not one of", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith(".spec.components.com.example.HelloWorld.versoin: unknown field", StringComparison.Ordinal));
        Assert.Contains(errors, e => e == ".spec.components.com.example.HelloWorld: missing required field 'version'");
    }

    [Fact]
    public void ComponentList_FromTheApiServer_ReadsItems()
    {
        var item = ResourceYaml.ToJson(Samples.Component);
        var list = new JsonObject
        {
            ["apiVersion"] = GreengrassApi.ApiVersion,
            ["kind"] = GreengrassApi.ComponentListKind,
            ["metadata"] = new JsonObject { ["resourceVersion"] = "42" },
            ["items"] = new JsonArray(item),
        };

        var components = KubernetesJson.Deserialize<ComponentList>(list.ToJsonString());

        Assert.Equal("42", components.Metadata.ResourceVersion);
        Assert.Equal("com.example.HelloWorld", Assert.Single(components.Items).Spec.ComponentName);
        Assert.True(JsonNode.DeepEquals(list, JsonNode.Parse(KubernetesJson.Serialize(components))));
    }

    [Fact]
    public void NewResource_HasApiVersionAndKind()
    {
        var json = JsonNode.Parse(KubernetesJson.Serialize(new ClientDevice { Spec = new ClientDeviceSpec { ThingName = "t" } }))!;

        Assert.Equal(GreengrassApi.ApiVersion, (string?)json["apiVersion"]);
        Assert.Equal("ClientDevice", (string?)json["kind"]);
        Assert.Null(json["status"]);
    }

    private static T Deserialize<T>(string yaml) => (T)Deserialize(ResourceYaml.ToJson(yaml), typeof(T));

    private static object Deserialize(JsonNode json, Type type) =>
        typeof(KubernetesJson).GetMethods()
            .Single(m => m.Name == nameof(KubernetesJson.Deserialize) && m.IsGenericMethod && m.GetParameters() is [{ ParameterType: var p }, _] && p == typeof(string))
            .MakeGenericMethod(type)
            .Invoke(null, [json.ToJsonString(), null])!;
}
