using System.Text.Json.Nodes;
using Greengrass.Model.Configuration;

namespace Greengrass.Model.Tests.Configuration;

public sealed class JsonPointerTests
{
    private static readonly JsonNode Document = JsonNode.Parse("""
        {"foo": ["bar", "baz"], "": 0, "a/b": 1, "c%d": 2, "e^f": 3, "g|h": 4, "i\\j": 5, "k\"l": 6, " ": 7, "m~n": 8,
         "nested": {"list": [{"name": "first"}, null]}, "07": "zero-seven"}
        """)!;

    [Theory]
    // RFC 6901 §5 examples.
    [InlineData("", """{"foo":["bar","baz"],"":0,"a/b":1,"c%d":2,"e^f":3,"g|h":4,"i\\j":5,"k\"l":6," ":7,"m~n":8,"nested":{"list":[{"name":"first"},null]},"07":"zero-seven"}""")]
    [InlineData("/foo", """["bar","baz"]""")]
    [InlineData("/foo/0", "\"bar\"")]
    [InlineData("/", "0")]
    [InlineData("/a~1b", "1")]
    [InlineData("/c%d", "2")]
    [InlineData("/e^f", "3")]
    [InlineData("/g|h", "4")]
    [InlineData("/i\\j", "5")]
    [InlineData("/k\"l", "6")]
    [InlineData("/ ", "7")]
    [InlineData("/m~0n", "8")]
    [InlineData("/nested/list/0/name", "\"first\"")]
    [InlineData("/nested/list/1", "null")]
    [InlineData("/07", "\"zero-seven\"")]
    public void TryEvaluate_Rfc6901Examples_FindsValue(string pointer, string expectedJson)
    {
        Assert.True(JsonPointer.Parse(pointer).TryEvaluate(Document, out var value));
        Assert.Equal(expectedJson, value?.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) ?? "null");
    }

    [Theory]
    [InlineData("/missing")]
    [InlineData("/foo/2")]
    [InlineData("/foo/-")]
    [InlineData("/foo/01")]
    [InlineData("/foo/0/deeper")]
    [InlineData("/FOO")]
    public void TryEvaluate_NothingThere_ReturnsFalse(string pointer)
    {
        Assert.False(JsonPointer.Parse(pointer).TryEvaluate(Document, out _));
    }

    [Theory]
    [InlineData("foo", 0, "a JSON pointer must be empty or start with '/'")]
    [InlineData("/a~2b", 2, "'~' must be followed by '0' or '1'")]
    [InlineData("/ab~", 3, "'~' must be followed by '0' or '1'")]
    public void Parse_Malformed_NamesPointerAndPosition(string pointer, int position, string reason)
    {
        var error = Assert.Throws<JsonPointerFormatException>(() => JsonPointer.Parse(pointer));

        Assert.Equal(position, error.Position);
        Assert.Equal($"invalid JSON pointer \"{pointer}\": {reason} (at position {position})", error.Message);
    }

    [Fact]
    public void Parse_EscapesInOrder_DecodesTildeOneBeforeTildeZero()
    {
        // RFC 6901 §4: "~01" is "~1" (not "/"), because ~1 is decoded first.
        Assert.Equal(["~1", "a/b", ""], JsonPointer.Parse("/~01/a~1b/").Segments);
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("12", true)]
    [InlineData("2147483647", true)]
    [InlineData("2147483648", false)]
    [InlineData("01", false)]
    [InlineData("-", false)]
    [InlineData("1a", false)]
    [InlineData("", false)]
    public void IsArrayIndex_Segments_AcceptOnlyRfc6901Indices(string segment, bool expected)
    {
        Assert.Equal(expected, JsonPointer.IsArrayIndex(segment));
    }
}
