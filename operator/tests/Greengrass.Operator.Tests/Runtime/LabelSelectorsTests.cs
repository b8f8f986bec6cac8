using Greengrass.Operator.Runtime.Selectors;
using k8s.Models;

namespace Greengrass.Operator.Tests.Runtime;

public sealed class LabelSelectorsTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["fleet"] = "demo", ["site"] = "north", ["gpu"] = "" };

    public static TheoryData<V1LabelSelector?, bool> Cases => new()
    {
        { null, false },
        { new V1LabelSelector(), true },
        { new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["fleet"] = "demo" } }, true },
        { new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["fleet"] = "prod" } }, false },
        { new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["fleet"] = "demo", ["site"] = "south" } }, false },
        { Expr("site", "In", "north", "east"), true },
        { Expr("site", "In", "south"), false },
        { Expr("site", "NotIn", "south"), true },
        { Expr("missing", "NotIn", "x"), true },
        { Expr("gpu", "Exists"), true },
        { Expr("missing", "Exists"), false },
        { Expr("missing", "DoesNotExist"), true },
        { Expr("gpu", "DoesNotExist"), false },
        { Expr("site", "Gt", "1"), false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_EvaluatesLikeTheApiServer(V1LabelSelector? selector, bool expected) =>
        Assert.Equal(expected, LabelSelectors.Matches(selector, Labels));

    [Fact]
    public void ToQuery_RendersEveryOperator()
    {
        var selector = new V1LabelSelector
        {
            MatchLabels = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" },
            MatchExpressions =
            [
                new V1LabelSelectorRequirement { Key = "c", OperatorProperty = "In", Values = ["x", "y"] },
                new V1LabelSelectorRequirement { Key = "d", OperatorProperty = "NotIn", Values = ["z"] },
                new V1LabelSelectorRequirement { Key = "e", OperatorProperty = "Exists" },
                new V1LabelSelectorRequirement { Key = "f", OperatorProperty = "DoesNotExist" },
            ],
        };

        Assert.Equal("a=1,b=2,c in (x,y),d notin (z),e,!f", LabelSelectors.ToQuery(selector));
    }

    private static V1LabelSelector Expr(string key, string op, params string[] values) => new()
    {
        MatchExpressions = [new V1LabelSelectorRequirement { Key = key, OperatorProperty = op, Values = values.Length == 0 ? null : values }],
    };
}
