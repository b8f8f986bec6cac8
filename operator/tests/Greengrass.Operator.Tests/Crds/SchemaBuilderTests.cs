using System.Text.Json.Nodes;
using System.Xml.Linq;
using Greengrass.Api;
using Greengrass.Operator.Crds;
using k8s.Models;

namespace Greengrass.Operator.Tests.Crds;

public sealed class SchemaBuilderTests
{
    private static readonly XmlDocumentation Docs = XmlDocumentation.Parse(XDocument.Parse("""
        <doc><members>
          <member name="P:Greengrass.Operator.Tests.Crds.SchemaBuilderTests.GoodSpec.Name">
            <summary>
              The name, see <see cref="T:Greengrass.Api.GreengrassApi"/> and <c>code</c>;
              <see langword="null"/> when absent.
            </summary>
          </member>
        </members></doc>
        """));

    [Fact]
    public void Build_NullableAndNonNullable_DecideRequired()
    {
        var spec = BuildSpec<Resource<GoodSpec>>();

        Assert.Equal(["count", "name", "tags"], spec.Required);
        Assert.Equal("string", spec.Properties["name"].Type);
        Assert.Equal("integer", spec.Properties["count"].Type);
        Assert.Equal("int64", spec.Properties["big"].Format);
        Assert.Equal("array", spec.Properties["tags"].Type);
        Assert.Equal("object", spec.Properties["labels"].Type);
        Assert.Equal("string", ((V1JSONSchemaProps)spec.Properties["labels"].AdditionalProperties).Type);
    }

    [Fact]
    public void Build_EnumFromConstants_KeepsDeclarationOrderAndAppliesToListItems()
    {
        var spec = BuildSpec<Resource<GoodSpec>>();

        Assert.Equal(["NEW", "INSTALLED", "STARTING", "RUNNING", "STOPPING", "FINISHED", "ERRORED", "BROKEN"], spec.Properties["tags"].Items is V1JSONSchemaProps items ? items.EnumProperty.Cast<string>() : []);
    }

    [Fact]
    public void Build_Description_IsTheSummaryAsOneLine()
    {
        var spec = BuildSpec<Resource<GoodSpec>>();

        Assert.Equal("The name, see GreengrassApi and code; null when absent.", spec.Properties["name"].Description);
    }

    [Fact]
    public void Build_FreeFormWithoutAttribute_FailsNamingTheProperty()
    {
        var error = Assert.Throws<InvalidOperationException>(() => BuildSpec<Resource<UnmarkedFreeFormSpec>>());
        Assert.StartsWith(".spec.settings: a free-form object needs [CrdPreserveUnknownFields]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_EnumOnInteger_FailsNamingTheProperty()
    {
        var error = Assert.Throws<InvalidOperationException>(() => BuildSpec<Resource<EnumOnIntegerSpec>>());
        Assert.StartsWith(".spec.count: [CrdEnum] needs a string value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ListMapKeyNotRequired_Fails()
    {
        var error = Assert.Throws<InvalidOperationException>(() => BuildSpec<Resource<BadListMapSpec>>());
        Assert.Equal(".spec.items: list-map key 'key' must be a required field of the items", error.Message);
    }

    [Fact]
    public void Build_RecursiveType_Fails()
    {
        var error = Assert.Throws<InvalidOperationException>(() => BuildSpec<Resource<RecursiveSpec>>());
        Assert.Contains("contains itself", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_UnmappedFrameworkType_Fails()
    {
        var error = Assert.Throws<InvalidOperationException>(() => BuildSpec<Resource<UnmappedSpec>>());
        Assert.Equal(".spec.address: no schema mapping for type System.Uri", error.Message);
    }

    [Fact]
    public void Build_GetOnlyProperty_FailsUnlessIgnored()
    {
        var error = Assert.Throws<InvalidOperationException>(() => BuildSpec<Resource<GetOnlySpec>>());
        Assert.Equal(".spec.computed: get-only property; add a setter or [JsonIgnore]", error.Message);
        Assert.Equal(["name"], BuildSpec<Resource<IgnoredSpec>>().Properties.Keys);
    }

    private static V1JSONSchemaProps BuildSpec<T>() => new SchemaBuilder(Docs).BuildResource(typeof(T)).Properties["spec"];

    public sealed class Resource<TSpec>
        where TSpec : new()
    {
        public TSpec Spec { get; set; } = new();
    }

    public sealed class GoodSpec
    {
        public string Name { get; set; } = "";

        public int Count { get; set; }

        public long? Big { get; set; }

        [CrdEnum(typeof(ComponentStates))]
        public IList<string> Tags { get; set; } = [];

        public IDictionary<string, string>? Labels { get; set; }
    }

    public sealed class UnmarkedFreeFormSpec
    {
        public JsonObject? Settings { get; set; }
    }

    public sealed class EnumOnIntegerSpec
    {
        [CrdEnum("1", "2")]
        public int? Count { get; set; }
    }

    public sealed class BadListMapSpec
    {
        [CrdListMap("key")]
        public IList<Item>? Items { get; set; }
    }

    public sealed class Item
    {
        public string? Key { get; set; }
    }

    public sealed class RecursiveSpec
    {
        public RecursiveSpec? Child { get; set; }
    }

    public sealed class GetOnlySpec
    {
        public string? Name { get; set; }

        public string Computed => "x";
    }

    public sealed class IgnoredSpec
    {
        public string? Name { get; set; }

        [System.Text.Json.Serialization.JsonIgnore]
        public string Computed => "x";
    }

    public sealed class UnmappedSpec
    {
        public Uri? Address { get; set; }
    }
}
