using System.Text.Json.Nodes;
using Greengrass.EdgeCluster.Schema;

namespace Greengrass.EdgeCluster.Tests.Unit;

public sealed class SchemaValidatorTests
{
    private static readonly JsonObject Schema = JsonNode.Parse("""
        {"type":"object","properties":{
          "spec":{"type":"object","required":["size"],"properties":{
            "size":{"type":"integer","minimum":1,"maximum":5},
            "mode":{"type":"string","enum":["a","b"],"default":"a"},
            "note":{"type":"string","nullable":true},
            "labels":{"type":"object","additionalProperties":{"type":"string"}},
            "free":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
            "items":{"type":"array","minItems":1,"items":{"type":"object","properties":{"id":{"type":"integer"}}}}}}}}
        """)!.AsObject();

    [Fact]
    public void Run_ValidObject_DefaultsAppliedUnknownPrunedNoErrors()
    {
        var obj = JsonNode.Parse("""{"apiVersion":"x/v1","kind":"K","metadata":{"name":"n"},"spec":{"size":2,"labels":{"a":"b"},"free":{"any":{"thing":1}},"items":[{"id":1,"junk":2}],"bogus":true,"note":null}}""")!.AsObject();

        var result = SchemaValidator.Run(Schema, obj);

        Assert.Empty(result.Errors);
        Assert.Equal(["spec.items[0].junk", "spec.bogus"], result.UnknownFields);
        Assert.Equal("a", (string?)obj["spec"]!["mode"]);
        Assert.True(obj["spec"]!.AsObject().ContainsKey("note"));
        Assert.Equal(1, (int)obj["spec"]!["free"]!["any"]!["thing"]!);
    }

    [Fact]
    public void Run_Violations_OneErrorPerField()
    {
        var obj = JsonNode.Parse("""{"spec":{"size":9,"mode":"c","labels":{"a":1},"items":[]}}""")!.AsObject();

        var result = SchemaValidator.Run(Schema, obj);

        Assert.Equal(["spec.items", "spec.labels.a", "spec.mode", "spec.size"], result.Errors.Select(e => e.Field).Order());
    }

    [Fact]
    public void Run_MissingRequired_FieldValueRequired()
    {
        var result = SchemaValidator.Run(Schema, JsonNode.Parse("""{"spec":{}}""")!.AsObject());

        var error = Assert.Single(result.Errors);
        Assert.Equal(("spec.size", "FieldValueRequired"), (error.Field, error.Reason));
    }
}
