using System.Text.Json.Nodes;
using Greengrass.EdgeCluster.Store;

namespace Greengrass.EdgeCluster.Tests.Unit;

public sealed class PatchesTests
{
    private static JsonObject Pod() => JsonNode.Parse("""
        {"spec":{"containers":[{"name":"a","image":"x","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]},{"name":"b","image":"y"}]},
         "metadata":{"finalizers":["f1"],"labels":{"k":"v"}}}
        """)!.AsObject();

    [Fact]
    public void StrategicMerge_ContainersByName_MergesEnvByName()
    {
        var patch = JsonNode.Parse("""{"spec":{"containers":[{"name":"a","env":[{"name":"B","value":"3"},{"name":"C","value":"4"}]}]}}""");

        var result = Patches.StrategicMergePatch(Pod(), patch)!;

        var a = result["spec"]!["containers"]![0]!;
        Assert.Equal("x", (string?)a["image"]);
        Assert.Equal(["A=1", "B=3", "C=4"], a["env"]!.AsArray().Select(e => $"{e!["name"]}={e["value"]}"));
        Assert.Equal("y", (string?)result["spec"]!["containers"]![1]!["image"]);
    }

    [Fact]
    public void StrategicMerge_PatchDeleteDirective_RemovesListItem()
    {
        var patch = JsonNode.Parse("""{"spec":{"containers":[{"name":"b","$patch":"delete"}]}}""");

        var result = Patches.StrategicMergePatch(Pod(), patch)!;

        Assert.Equal(["a"], result["spec"]!["containers"]!.AsArray().Select(c => (string?)c!["name"]));
    }

    [Fact]
    public void StrategicMerge_FinalizersMergedAndDeletedFromPrimitiveList()
    {
        var add = Patches.StrategicMergePatch(Pod(), JsonNode.Parse("""{"metadata":{"finalizers":["f2"]}}"""))!;
        var removed = Patches.StrategicMergePatch(add.DeepClone(), JsonNode.Parse("""{"metadata":{"$deleteFromPrimitiveList/finalizers":["f1"]}}"""))!;

        Assert.Equal(["f1", "f2"], add["metadata"]!["finalizers"]!.AsArray().Select(f => (string?)f));
        Assert.Equal(["f2"], removed["metadata"]!["finalizers"]!.AsArray().Select(f => (string?)f));
    }

    [Fact]
    public void MergePatch_NullRemovesAndListsReplace()
    {
        var patch = JsonNode.Parse("""{"metadata":{"labels":{"k":null,"n":"m"}},"spec":{"containers":[{"name":"z"}]}}""");

        var result = Patches.MergePatch(Pod(), patch)!;

        Assert.Equal("""{"n":"m"}""", result["metadata"]!["labels"]!.ToJsonString());
        Assert.Single(result["spec"]!["containers"]!.AsArray());
    }

    [Fact]
    public void JsonPatch_AddReplaceRemoveMoveCopyTest()
    {
        var patch = JsonNode.Parse("""
            [{"op":"test","path":"/metadata/labels/k","value":"v"},
             {"op":"add","path":"/metadata/labels/x~1y","value":"1"},
             {"op":"replace","path":"/spec/containers/0/image","value":"z"},
             {"op":"copy","from":"/spec/containers/0/image","path":"/metadata/labels/copied"},
             {"op":"move","from":"/metadata/labels/k","path":"/metadata/labels/moved"},
             {"op":"remove","path":"/spec/containers/1"},
             {"op":"add","path":"/metadata/finalizers/-","value":"f9"}]
            """)!;

        var result = Patches.JsonPatch(Pod(), patch);

        Assert.Equal("""{"x/y":"1","copied":"z","moved":"v"}""", result["metadata"]!["labels"]!.ToJsonString());
        Assert.Single(result["spec"]!["containers"]!.AsArray());
        Assert.Equal(["f1", "f9"], result["metadata"]!["finalizers"]!.AsArray().Select(f => (string?)f));
    }

    [Fact]
    public void JsonPatch_FailedTest_Invalid422()
    {
        var patch = JsonNode.Parse("""[{"op":"test","path":"/metadata/labels/k","value":"other"}]""")!;

        var e = Assert.Throws<ApiException>(() => Patches.JsonPatch(Pod(), patch));

        Assert.Equal(422, e.Code);
    }
}
