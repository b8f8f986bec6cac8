using System.Text.Json.Nodes;
using Greengrass.Api;

namespace Greengrass.Operator.Tests.Api;

public sealed class ResourceYamlTests
{
    [Fact]
    public void Component_YamlRoundTrip_KeepsEveryField()
    {
        var component = ResourceYaml.Deserialize<Component>(Samples.Component);

        var yaml = ResourceYaml.Serialize(component);

        Assert.True(JsonNode.DeepEquals(ResourceYaml.ToJson(Samples.Component), ResourceYaml.ToJson(yaml)), yaml);
        Assert.Equal("hello", (string?)ResourceYaml.Deserialize<Component>(yaml).Spec.Configuration!.DefaultConfiguration!["message"]);
    }

    [Fact]
    public void FromJson_StringsThatLookLikeOtherTypes_StayStrings()
    {
        var json = JsonNode.Parse("""{"a":"3","b":"true","c":"null","d":"","e":"1.5","f":"~","g":3,"h":1.5,"i":true,"j":null,"k":"2020-01-25"}""");

        var back = ResourceYaml.ToJson(ResourceYaml.FromJson(json));

        Assert.True(JsonNode.DeepEquals(json, back), back.ToJsonString());
    }

    [Theory]
    [InlineData("2020-01-25")]
    [InlineData("yes")]
    [InlineData("off")]
    [InlineData("0644")]
    public void FromJson_Yaml11Lookalikes_AreQuotedForOlderReaders(string text)
    {
        var yaml = ResourceYaml.FromJson(new JsonObject { ["v"] = text });

        Assert.Equal($"v: \"{text}\"", yaml.Trim());
    }

    [Fact]
    public void ToJson_PlainAndQuotedScalars_TypedLikeKubectl()
    {
        var json = ResourceYaml.ToJson("""
            n: 42
            f: 0.5
            b: true
            s: "42"
            v: 1.0.0
            z: ~
            """);

        Assert.Equal("""{"n":42,"f":0.5,"b":true,"s":"42","v":"1.0.0","z":null}""", json.ToJsonString());
    }

    [Fact]
    public void ToJsonAll_SeveralDocuments_ReturnsEach()
    {
        var documents = ResourceYaml.ToJsonAll(Samples.ClientDevice + "\n---\n" + Samples.DeploymentToDevice);

        Assert.Equal(["ClientDevice", "Deployment"], documents.Select(d => (string?)d["kind"]));
    }

    [Fact]
    public void Deserialize_BrokenYaml_ThrowsWithLine()
    {
        var error = Assert.Throws<FormatException>(() => ResourceYaml.Deserialize<Component>("spec:\n  componentName: [unclosed\n"));
        Assert.StartsWith("YAML error at line", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_WrongShape_ThrowsNamingTheTypeAndPath()
    {
        var error = Assert.Throws<FormatException>(() => ResourceYaml.Deserialize<Component>("spec:\n  manifests: 5\n"));
        Assert.Contains("does not fit Component at $.spec.manifests", error.Message, StringComparison.Ordinal);
    }
}
