using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Greengrass.Api;
using Greengrass.Operator.Tests.Support;

namespace Greengrass.Operator.Tests.Crds;

public sealed class CrdNamesTests
{
    [Theory]
    [InlineData("Component", "components", "ggcomp")]
    [InlineData("Deployment", "deployments", "ggdeploy")]
    [InlineData("CoreDevice", "coredevices", "ggcore")]
    [InlineData("ClientDevice", "clientdevices", "ggclient")]
    public void Names_HaveShortNameAndGreengrassCategory(string kind, string plural, string shortName)
    {
        var names = GeneratedCrds.JsonOfKind(kind)["spec"]!["names"]!;
        Assert.Equal(plural, (string?)names["plural"]);
        Assert.Equal(kind.ToLowerInvariant(), (string?)names["singular"]);
        Assert.Equal(kind + "List", (string?)names["listKind"]);
        Assert.Equal([shortName], names["shortNames"]!.AsArray().Select(n => (string)n!));
        Assert.Equal([GreengrassApi.Category], names["categories"]!.AsArray().Select(n => (string)n!));
    }

    [Fact]
    public void ComponentSpec_IsImmutableThroughCel()
    {
        var spec = GeneratedCrds.Node(GeneratedCrds.Schema(GeneratedCrds.JsonOfKind("Component")), "spec")!;
        Assert.Contains(Rules(spec), rule => rule == "self == oldSelf");
    }

    [Fact]
    public void DeploymentSpec_RequiresExactlyOneTargetThroughCel()
    {
        var spec = GeneratedCrds.Node(GeneratedCrds.Schema(GeneratedCrds.JsonOfKind("Deployment")), "spec")!;
        Assert.Contains(Rules(spec), rule => rule.Contains("has(self.coreDeviceName)", StringComparison.Ordinal)
            && rule.Contains("has(self.coreDeviceSelector)", StringComparison.Ordinal) && rule.EndsWith("== 1", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Component", "spec.componentType", "aws.greengrass.generic,aws.greengrass.lambda,aws.greengrass.plugin,aws.greengrass.nucleus")]
    [InlineData("Component", "spec.dependencies[*].dependencyType", "HARD,SOFT")]
    [InlineData("Component", "spec.manifests[*].artifacts[*].unarchive", "NONE,ZIP")]
    [InlineData("Component", "spec.manifests[*].artifacts[*].permission.read", "NONE,OWNER,ALL")]
    [InlineData("Component", "spec.manifests[*].artifacts[*].permission.execute", "NONE,OWNER,ALL")]
    [InlineData("Deployment", "spec.policies.failureHandling", "ROLLBACK,DO_NOTHING")]
    [InlineData("Deployment", "spec.policies.componentUpdate.action", "NOTIFY_COMPONENTS,SKIP_NOTIFY_COMPONENTS")]
    [InlineData("Deployment", "spec.rollout.abortCriteria[*].failureType", "FAILED,REJECTED,TIMED_OUT,ALL")]
    [InlineData("Deployment", "status.phase", "Pending,InProgress,Succeeded,Failed,Aborted")]
    [InlineData("CoreDevice", "status.health", "PENDING,HEALTHY,UNHEALTHY,OFFLINE")]
    [InlineData("CoreDevice", "status.components[*].state", "NEW,INSTALLED,STARTING,RUNNING,STOPPING,FINISHED,ERRORED,BROKEN")]
    [InlineData("CoreDevice", "spec.nucleus.logging.level", "TRACE,DEBUG,INFO,WARN,ERROR")]
    [InlineData("CoreDevice", "spec.mqtt.spooler.storageType", "Memory,Disk")]
    [InlineData("ClientDevice", "status.certificate.state", "Pending,Valid,Invalid,Expired")]
    public void ClosedVocabularies_AreEnums(string kind, string path, string values)
    {
        var node = GeneratedCrds.Node(GeneratedCrds.Schema(GeneratedCrds.JsonOfKind(kind)), path);
        Assert.NotNull(node);
        Assert.Equal(values.Split(','), node["enum"]!.AsArray().Select(v => (string)v!));
    }

    [Theory]
    [InlineData("com.example.Hello_World-2", true)]
    [InlineData("aws.greengrass.Nucleus", true)]
    [InlineData("com example", false)]
    [InlineData("com/example", false)]
    [InlineData("", false)]
    public void ComponentNamePattern_AcceptsRecipeNamesOnly(string name, bool valid)
    {
        var node = GeneratedCrds.Node(GeneratedCrds.Schema(GeneratedCrds.JsonOfKind("Component")), "spec.componentName")!;
        Assert.Equal(128, (long)node["maxLength"]!);
        Assert.Equal(valid, Regex.IsMatch(name, (string)node["pattern"]!) && name.Length >= (long)node["minLength"]!);
    }

    [Theory]
    [InlineData("1.0.0", true)]
    [InlineData("2.13.0-beta.1+build.7", true)]
    [InlineData("999999.0.1", true)]
    [InlineData("1000000.0.0", false)]
    [InlineData("1.0", false)]
    [InlineData("01.0.0", false)]
    [InlineData("1.0.0-1", false)]
    [InlineData("^1.0.0", false)]
    public void SemanticVersionPattern_FollowsTheNucleusParser(string version, bool valid)
    {
        var node = GeneratedCrds.Node(GeneratedCrds.Schema(GeneratedCrds.JsonOfKind("Component")), "spec.componentVersion")!;
        Assert.Equal(valid, Regex.IsMatch(version, (string)node["pattern"]!));
    }

    [Theory]
    [InlineData("25%", true)]
    [InlineData("100%", true)]
    [InlineData("101%", false)]
    [InlineData("ten", false)]
    public void MaxConcurrent_IsIntOrPercentage(string value, bool valid)
    {
        var node = GeneratedCrds.Node(GeneratedCrds.Schema(GeneratedCrds.JsonOfKind("Deployment")), "spec.rollout.maxConcurrent")!;
        Assert.True(node["x-kubernetes-int-or-string"]!.GetValue<bool>());
        Assert.Equal(valid, Regex.IsMatch(value, (string)node["pattern"]!));
    }

    [Theory]
    [InlineData("Component", "spec", "componentName,componentVersion,manifests")]
    [InlineData("Component", "", "spec")]
    [InlineData("Deployment", "spec.components[*]", "version")]
    [InlineData("CoreDevice", "spec", "thingName")]
    [InlineData("CoreDevice", "status.components[*]", "name,state")]
    [InlineData("ClientDevice", "spec", "thingName")]
    public void RequiredFields_AreTheNonNullableOnes(string kind, string path, string required)
    {
        var schema = GeneratedCrds.Schema(GeneratedCrds.JsonOfKind(kind));
        var node = path.Length == 0 ? schema : GeneratedCrds.Node(schema, path)!;
        Assert.Equal(required.Split(','), node["required"]!.AsArray().Select(r => (string)r!));
    }

    [Fact]
    public void Descriptions_ComeFromTheXmlDocumentation()
    {
        var node = GeneratedCrds.Node(GeneratedCrds.Schema(GeneratedCrds.JsonOfKind("Component")), "spec.manifests")!;
        Assert.StartsWith("Platform-specific parts of the recipe, in order of preference", (string?)node["description"], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(GeneratedCrds.FileNames), MemberType = typeof(GeneratedCrds))]
    public void CelRules_HaveMessagesAndFieldPathsThatExist(string fileName)
    {
        foreach (var (node, rule) in AllRules(GeneratedCrds.Schema(GeneratedCrds.Json(fileName))))
        {
            Assert.False(string.IsNullOrWhiteSpace((string?)rule["message"]), $"{fileName}: rule {rule["rule"]} has no message");
            if ((string?)rule["fieldPath"] is { } fieldPath)
            {
                Assert.NotNull(GeneratedCrds.Node(node, fieldPath.TrimStart('.')));
            }
        }
    }

    private static IEnumerable<(JsonObject Node, JsonObject Rule)> AllRules(JsonObject node)
    {
        foreach (var rule in node["x-kubernetes-validations"]?.AsArray().Cast<JsonObject>() ?? [])
        {
            yield return (node, rule);
        }

        var children = (node["properties"] as JsonObject)?.Select(p => p.Value).Cast<JsonObject>() ?? [];
        if ((node["items"] ?? node["additionalProperties"]) is JsonObject inner)
        {
            children = children.Append(inner);
        }

        foreach (var child in children)
        {
            foreach (var found in AllRules(child))
            {
                yield return found;
            }
        }
    }

    private static IEnumerable<string> Rules(JsonObject node) =>
        node["x-kubernetes-validations"]?.AsArray().Select(r => (string)r!["rule"]!) ?? [];
}
