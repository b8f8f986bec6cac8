using System.Text.Json.Nodes;
using Greengrass.EdgeCluster.Store;

namespace Greengrass.EdgeCluster.Tests.Unit;

public sealed class SelectorParseTests
{
    private static StoredObject Obj(string labels)
    {
        var obj = JsonNode.Parse($$$"""{"metadata":{"name":"n","labels":{{{labels}}}},"spec":{"nodeName":"node-1"}}""")!.AsObject();
        return StoredObject.From(obj, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(obj), 1);
    }

    [Theory]
    [InlineData("a in (x, y),b", """{"a":"y","b":""}""", true)]
    [InlineData("a notin (x)", """{}""", true)]
    [InlineData("!a", """{"a":"x"}""", false)]
    [InlineData("example.com/role=edge", """{"example.com/role":"edge"}""", true)]
    public void ParseLabels_Matches(string selector, string labels, bool expected) =>
        Assert.Equal(expected, Selector.ParseLabels(selector).Matches(Obj(labels)));

    [Theory]
    [InlineData("a in x")]
    [InlineData("a=(b")]
    [InlineData("=b")]
    [InlineData("a=b c")]
    [InlineData("Bad Key=x")]
    public void ParseLabels_Malformed_BadRequest(string selector)
    {
        var e = Assert.Throws<ApiException>(() => Selector.ParseLabels(selector));
        Assert.Equal(400, e.Code);
    }

    [Fact]
    public void ParseFields_NodeName_MatchesAndPinsName()
    {
        Assert.True(Selector.ParseFields("spec.nodeName=node-1,metadata.name=n").Matches(Obj("{}")));
        Assert.False(Selector.ParseFields("spec.nodeName!=node-1").Matches(Obj("{}")));
        Assert.Equal("n", Selector.ParseFields("metadata.name=n").PinnedName);
    }
}
