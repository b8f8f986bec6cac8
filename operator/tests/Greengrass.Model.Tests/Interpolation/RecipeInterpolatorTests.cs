using System.Text.Json.Nodes;
using Greengrass.Model.Interpolation;

namespace Greengrass.Model.Tests.Interpolation;

/// <summary>GREENGRASS.md §3 "Recipe variables (interpolation)", variable by variable and rule by rule.</summary>
public sealed class RecipeInterpolatorTests
{
    private const string Root = "/greengrass/v2";

    private static readonly JsonObject Configuration = Json("""
        {"port": 8080, "ratio": 8080.0, "name": "sensor", "enabled": true, "nothing": null,
         "server": {"tls": {"port": 8883}, "host": "broker.local", "Alpha": 1},
         "topics": ["a/b", "c"], "": "empty-key", "path": "{work:path}/data"}
        """);

    private static readonly InterpolationContext Context = new(
        Root,
        "core-device-1",
        InterpolationComponent.ForRoot(Root, "com.example.App", "1.2.0", Configuration),
        [InterpolationComponent.ForRoot(Root, "com.example.Lib", "3.1.4", Json("""{"endpoint": "http://lib:80", "limits": {"b": 2, "a": 1.5}}"""))]);

    [Theory]
    // §3.1 table, one row each.
    [InlineData("{artifacts:path}", "/greengrass/v2/packages/artifacts/com.example.App/1.2.0")]
    [InlineData("{artifacts:decompressedPath}", "/greengrass/v2/packages/artifacts-unarchived/com.example.App/1.2.0")]
    [InlineData("{work:path}", "/greengrass/v2/work/com.example.App")]
    [InlineData("{kernel:rootPath}", "/greengrass/v2")]
    [InlineData("{iot:thingName}", "core-device-1")]
    [InlineData("{configuration:/name}", "sensor")]
    [InlineData("{com.example.Lib:configuration:/endpoint}", "http://lib:80")]
    [InlineData("{com.example.Lib:artifacts:path}", "/greengrass/v2/packages/artifacts/com.example.Lib/3.1.4")]
    [InlineData("{com.example.Lib:artifacts:decompressedPath}", "/greengrass/v2/packages/artifacts-unarchived/com.example.Lib/3.1.4")]
    [InlineData("{com.example.Lib:work:path}", "/greengrass/v2/work/com.example.Lib")]
    public void Interpolate_EachVariable_ResolvesPerTable(string text, string expected)
    {
        Assert.Equal(expected, RecipeInterpolator.Interpolate(text, Context));
    }

    [Theory]
    // §3.2: "value node ⇒ its text form (a JSON null ⇒ null; a float stored value ⇒ e.g. 8080.0)".
    [InlineData("{configuration:/port}", "8080")]
    [InlineData("{configuration:/ratio}", "8080.0")]
    [InlineData("{configuration:/enabled}", "true")]
    [InlineData("{configuration:/nothing}", "null")]
    [InlineData("{configuration:/topics/0}", "a/b")]
    // §3.2: "object/array ⇒ compact JSON serialisation with keys sorted alphabetically".
    [InlineData("{configuration:/server}", """{"Alpha":1,"host":"broker.local","tls":{"port":8883}}""")]
    [InlineData("{configuration:/topics}", """["a/b","c"]""")]
    [InlineData("{com.example.Lib:configuration:/limits}", """{"a":1.5,"b":2}""")]
    // §3.2: "empty pointer {configuration:} ⇒ the whole configuration inlined as JSON; / selects the key \"\"".
    [InlineData("{configuration:/}", "empty-key")]
    public void Interpolate_ConfigurationValues_RenderAsTheReferenceDoes(string text, string expected)
    {
        Assert.Equal(expected, RecipeInterpolator.Interpolate(text, Context));
    }

    [Fact]
    public void Interpolate_EmptyPointer_InlinesWholeConfigurationSorted()
    {
        var whole = RecipeInterpolator.Interpolate("{configuration:}", Context);

        Assert.Equal(
            """{"":"empty-key","enabled":true,"name":"sensor","nothing":null,"path":"{work:path}/data","port":8080,"ratio":8080.0,"server":{"Alpha":1,"host":"broker.local","tls":{"port":8883}},"topics":["a/b","c"]}""",
            whole);
    }

    [Theory]
    // §3.2: "missing node ⇒ placeholder left literally unreplaced".
    [InlineData("run --x {configuration:/missing}")]
    [InlineData("{configuration:/port/deeper}")]
    [InlineData("{configuration:no-leading-slash}")]
    // §3.1: "unknown namespaces are logged and left untouched"; only iot:thingName exists.
    [InlineData("{unknown:thing}")]
    [InlineData("{iot:region}")]
    [InlineData("{artifacts:other}")]
    [InlineData("{kernel:path}")]
    // §3.2: "Cross-component references to a component that is not a direct dependency are left unreplaced".
    [InlineData("{com.example.Transitive:artifacts:path}")]
    [InlineData("{com.example.Other:configuration:/port}")]
    // §3.2: "a JSON pointer can contain neither : nor }; component names are limited to [.\w-]".
    [InlineData("{configuration:/a:b}")]
    [InlineData("{com+example:work:path}")]
    [InlineData("{ configuration:/port}")]
    public void Interpolate_Unresolvable_LeftLiterally(string text)
    {
        Assert.Equal(text, RecipeInterpolator.Interpolate(text, Context));
    }

    [Fact]
    public void Interpolate_MixedScript_ReplacesEveryOccurrenceAndKeepsTheRest()
    {
        var script = "python3 -u {artifacts:path}/main.py --port {configuration:/port} --port2 {configuration:/port} "
            + "--lib {com.example.Lib:configuration:/endpoint} --bad {configuration:/nope} {thing}";

        var result = RecipeInterpolator.Interpolate(script, Context);

        Assert.Equal("python3 -u /greengrass/v2/packages/artifacts/com.example.App/1.2.0/main.py --port 8080 --port2 8080 "
            + "--lib http://lib:80 --bad {configuration:/nope} {thing}", result);
    }

    [Fact]
    public void Interpolate_ConfigurationValueHoldingAVariable_IsNotReinterpolatedInTheSamePass()
    {
        // Matches are found on the text before each pass; an inserted value is not scanned again by that pass.
        Assert.Equal("{work:path}/data", RecipeInterpolator.Interpolate("{configuration:/path}", Context));
    }

    [Fact]
    public void Interpolate_ValueInsertedByFirstPass_IsSeenBySecondPass()
    {
        // §3.2: "Two regexes are applied in sequence": the cross-component pass runs over the output of the same-component pass.
        var context = new InterpolationContext(Root, "t",
            InterpolationComponent.ForRoot(Root, "App", "1.0.0", Json("""{"cmd": "{Lib:work:path}/bin"}""")),
            [InterpolationComponent.ForRoot(Root, "Lib", "2.0.0", null)]);

        Assert.Equal("/greengrass/v2/work/Lib/bin", RecipeInterpolator.Interpolate("{configuration:/cmd}", context));
    }

    [Fact]
    public void Interpolate_ComponentWithoutConfiguration_EmptyPointerGivesEmptyObject()
    {
        // §3.2: "{configuration:} ⇒ the whole configuration inlined as JSON"; "missing node ⇒ placeholder left literally".
        var context = new InterpolationContext(Root, "t", InterpolationComponent.ForRoot(Root, "App", "1.0.0", null), []);

        Assert.Equal("{} {configuration:/x}", RecipeInterpolator.Interpolate("{configuration:} {configuration:/x}", context));
    }

    [Fact]
    public void InterpolateLifecycle_NestedStepsAndSetenv_AllInterpolatedArraysUntouched()
    {
        // §3.2: "Lifecycle (all steps, all keys incl. Setenv) — always".
        var lifecycle = Json("""
            {"Setenv": {"PORT": "{configuration:/port}"},
             "Run": {"Script": "{artifacts:path}/run.sh", "Timeout": 30, "RequiresPrivilege": false},
             "Install": "echo {iot:thingName}", "Odd": ["{work:path}"]}
            """);

        var result = RecipeInterpolator.InterpolateLifecycle(lifecycle, Context)!;

        Assert.Equal("8080", result["Setenv"]!["PORT"]!.GetValue<string>());
        Assert.Equal("/greengrass/v2/packages/artifacts/com.example.App/1.2.0/run.sh", result["Run"]!["Script"]!.GetValue<string>());
        Assert.Equal(30, result["Run"]!["Timeout"]!.GetValue<int>());
        Assert.Equal("echo core-device-1", result["Install"]!.GetValue<string>());
        Assert.Equal("{work:path}", result["Odd"]![0]!.GetValue<string>());
        Assert.Equal("{configuration:/port}", lifecycle["Setenv"]!["PORT"]!.GetValue<string>());
    }

    [Fact]
    public void InterpolateConfiguration_OnlySystemVariables_IncludingInsideArrays()
    {
        // §3.2: "In configuration only the system variables are substituted (artifacts, work, kernel, iot); configuration:
        // references are not resolved inside configuration." §6.7: {iot:thingName} can be used inside accessControl resources.
        var configuration = Json("""
            {"accessControl": {"aws.greengrass.ipc.mqttproxy": {"p1": {"resources": ["things/{iot:thingName}/data", "x"]}}},
             "dir": "{work:path}", "copy": "{configuration:/dir}", "root": "{kernel:rootPath}", "n": 5}
            """);

        var result = RecipeInterpolator.InterpolateConfiguration(configuration, Context);

        Assert.Equal("things/core-device-1/data", result["accessControl"]!["aws.greengrass.ipc.mqttproxy"]!["p1"]!["resources"]![0]!.GetValue<string>());
        Assert.Equal("/greengrass/v2/work/com.example.App", result["dir"]!.GetValue<string>());
        Assert.Equal("{configuration:/dir}", result["copy"]!.GetValue<string>());
        Assert.Equal("/greengrass/v2", result["root"]!.GetValue<string>());
        Assert.Equal(5, result["n"]!.GetValue<int>());
    }

    [Theory]
    // §3.2: interpolateComponentConfiguration default false; the deployment's own resolved nucleus configuration governs.
    [InlineData(null, false)]
    [InlineData("""{}""", false)]
    [InlineData("""{"interpolateComponentConfiguration": false}""", false)]
    [InlineData("""{"interpolateComponentConfiguration": true}""", true)]
    [InlineData("""{"interpolateComponentConfiguration": "TRUE"}""", true)]
    [InlineData("""{"interpolateComponentConfiguration": "yes"}""", false)]
    public void IsConfigurationInterpolationEnabled_FlagValues_DefaultFalse(string? nucleusConfiguration, bool expected)
    {
        var parsed = nucleusConfiguration is null ? null : Json(nucleusConfiguration);

        Assert.Equal(expected, RecipeInterpolator.IsConfigurationInterpolationEnabled(parsed));
    }

    [Fact]
    public void Interpolate_StringsInInlinedJson_EscapedLikeJackson()
    {
        // §3.2: "object/array ⇒ compact JSON serialisation"; §13.6: "numbers may render as floats (8080.0)".
        var context = new InterpolationContext(Root, "t", InterpolationComponent.ForRoot(Root, "C", "1.0.0",
            Json("""{"o": {"z": "quote\" back\\ tab\t nl\n ctl\u0001 é/ü", "a": [1e3, -0.5, 1.0e-4, 12345678.9]}}""")), []);

        var result = RecipeInterpolator.Interpolate("{configuration:/o}", context);

        Assert.Equal("{\"a\":[1000.0,-0.5,1.0E-4,1.23456789E7],\"z\":\"quote\\\" back\\\\ tab\\t nl\\n ctl\\u0001 é/ü\"}", result);
    }

    [Fact]
    public void Interpolate_ConfigurationBuiltInCode_RendersClrNumbersByKind()
    {
        // §3.2: "a float stored value ⇒ e.g. 8080.0": a double renders as a float even when it has no fraction.
        var configuration = new JsonObject { ["port"] = 8080, ["ratio"] = 8080.0, ["big"] = 12345678901L, ["on"] = false, ["f"] = 0.5f };
        var context = new InterpolationContext(Root, "t", InterpolationComponent.ForRoot(Root, "C", "1.0.0", configuration), []);

        var result = RecipeInterpolator.Interpolate("{configuration:/port} {configuration:/ratio} {configuration:/big} {configuration:/on} {configuration:}", context);

        Assert.Equal("""8080 8080.0 12345678901 false {"big":12345678901,"f":0.5,"on":false,"port":8080,"ratio":8080.0}""", result);
    }

    [Fact]
    public void ForRoot_TrailingSlashOnRoot_IsNotDoubled()
    {
        // §3.1: "{work:path} | absolute <root>/work/<name>".
        var component = InterpolationComponent.ForRoot("/gg/", "C", "2.0.0", null);

        Assert.Equal("/gg/work/C", component.WorkPath);
        Assert.Equal("/gg", new InterpolationContext("/gg/", "t", component, []).RootPath);
    }

    private static JsonObject Json(string json) => JsonNode.Parse(json)!.AsObject();
}
