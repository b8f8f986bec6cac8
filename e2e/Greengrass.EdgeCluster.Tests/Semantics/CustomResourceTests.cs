using System.Net;
using System.Text.Json.Nodes;
using Greengrass.EdgeCluster.Tests.Support;
using k8s;
using k8s.Autorest;
using k8s.Models;
using static Greengrass.EdgeCluster.Tests.Support.TestObjects;

namespace Greengrass.EdgeCluster.Tests.Semantics;

/// <summary>CRDs: serving on creation, discovery, schema validation with causes, defaults, pruning and fieldValidation.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CustomResourceTests(ClusterTargets targets)
{
    [Theory, EmulatorTarget, RealClusterTarget]
    public async Task CreateCrd_ServesResourceAndReportsEstablished(string target)
    {
        using var k = targets.ClientFor(target);
        var group = $"{Unique("serve")}.example.com";

        await CreateWidgetCrdAsync(k, group);

        var crd = await Eventually.Value(async () =>
        {
            var c = await k.ApiextensionsV1.ReadCustomResourceDefinitionAsync($"widgets.{group}");
            return c.Status?.Conditions?.Any(x => x.Type == "Established" && x.Status == "True") == true ? c : null;
        }, "the CRD to be Established");
        Assert.Equal("Widget", crd.Status.AcceptedNames.Kind);
        var resources = await k.CustomObjects.GetAPIResourcesAsync(group, "v1");
        Assert.Contains(resources.Resources, r => r.Name == "widgets" && r.Namespaced && r.ShortNames.Contains("wdg"));
        Assert.Contains(resources.Resources, r => r.Name == "widgets/status");
    }

    [Theory, EmulatorTarget, RealClusterTarget]
    public async Task CreateCustomResource_DefaultsApplied(string target)
    {
        using var k = targets.ClientFor(target);
        var (group, ns) = await SetUpAsync(k, "def");

        var created = ToNode(await k.CustomObjects.CreateNamespacedCustomObjectAsync(Widget(group, "w1", 2), group, "v1", ns, "widgets"));

        Assert.Equal("red", (string?)created["spec"]!["color"]);
    }

    [Theory, EmulatorTarget, RealClusterTarget]
    public async Task CreateCustomResource_SchemaViolations_Invalid422WithCauses(string target)
    {
        using var k = targets.ClientFor(target);
        var (group, ns) = await SetUpAsync(k, "inv");
        var extra = new JsonObject { ["color"] = "green", ["name"] = "UPPER", ["tags"] = new JsonArray("a", "b", "c") };

        var e = await FailsAsync(() => k.CustomObjects.CreateNamespacedCustomObjectAsync(Widget(group, "w1", 11, extra), group, "v1", ns, "widgets"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, e.Response.StatusCode);
        var status = StatusOf(e);
        Assert.Equal("Invalid", (string?)status["reason"]);
        var fields = status["details"]!["causes"]!.AsArray().Select(c => (string?)c!["field"]).ToHashSet();
        Assert.Contains("spec.size", fields);
        Assert.Contains("spec.color", fields);
        Assert.Contains("spec.name", fields);
        Assert.Contains("spec.tags", fields);
    }

    [Theory, EmulatorTarget, RealClusterTarget]
    public async Task CreateCustomResource_MissingRequiredAndWrongType_Invalid422(string target)
    {
        using var k = targets.ClientFor(target);
        var (group, ns) = await SetUpAsync(k, "req");
        var widget = Widget(group, "w1", 1);
        widget["spec"] = new JsonObject { ["port"] = true };

        var e = await FailsAsync(() => k.CustomObjects.CreateNamespacedCustomObjectAsync(widget, group, "v1", ns, "widgets"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, e.Response.StatusCode);
        var causes = StatusOf(e)["details"]!["causes"]!.AsArray();
        Assert.Contains(causes, c => (string?)c!["field"] == "spec.size" && (string?)c["reason"] == "FieldValueRequired");
        Assert.Contains(causes, c => (string?)c!["field"] == "spec.port");
    }

    [Theory, EmulatorTarget, RealClusterTarget]
    public async Task FieldValidation_Strict_RejectsUnknownField(string target)
    {
        using var k = targets.ClientFor(target);
        var (group, ns) = await SetUpAsync(k, "strict");
        var widget = Widget(group, "w1", 1, new JsonObject { ["bogus"] = 1 });

        var e = await FailsAsync(() => k.CustomObjects.CreateNamespacedCustomObjectAsync(widget, group, "v1", ns, "widgets", fieldValidation: "Strict"));

        Assert.Equal(HttpStatusCode.BadRequest, e.Response.StatusCode);
        Assert.Contains("unknown field \"spec.bogus\"", (string?)StatusOf(e)["message"]);
    }

    [Theory, EmulatorTarget, RealClusterTarget]
    public async Task FieldValidation_Warn_AcceptsPrunesAndWarns(string target)
    {
        using var k = targets.ClientFor(target);
        var (group, ns) = await SetUpAsync(k, "warn");
        var widget = Widget(group, "w1", 1, new JsonObject { ["bogus"] = 1, ["extra"] = new JsonObject { ["kept"] = true } });

        using var response = await k.CustomObjects.CreateNamespacedCustomObjectWithHttpMessagesAsync(widget, group, "v1", ns, "widgets", fieldValidation: "Warn");

        // The header text is a quoted string: 299 - "unknown field \"spec.bogus\"".
        Assert.Contains(response.Response.Headers.Warning, w => w.Code == 299 && w.Text.Contains("unknown field", StringComparison.Ordinal) && w.Text.Contains("spec.bogus", StringComparison.Ordinal));
        var stored = ToNode(await k.CustomObjects.GetNamespacedCustomObjectAsync(group, "v1", ns, "widgets", "w1"));
        Assert.Null(stored["spec"]!["bogus"]);
        Assert.True((bool)stored["spec"]!["extra"]!["kept"]!);
    }

    [Theory, EmulatorTarget, RealClusterTarget]
    public async Task FieldValidation_Ignore_AcceptsAndPrunesSilently(string target)
    {
        using var k = targets.ClientFor(target);
        var (group, ns) = await SetUpAsync(k, "ign");
        var widget = Widget(group, "w1", 1, new JsonObject { ["bogus"] = 1 });

        using var response = await k.CustomObjects.CreateNamespacedCustomObjectWithHttpMessagesAsync(widget, group, "v1", ns, "widgets", fieldValidation: "Ignore");

        Assert.DoesNotContain(response.Response.Headers.Warning, w => w.Text.Contains("unknown field", StringComparison.Ordinal));
        var stored = ToNode(await k.CustomObjects.GetNamespacedCustomObjectAsync(group, "v1", ns, "widgets", "w1"));
        Assert.Null(stored["spec"]!["bogus"]);
    }

    [Theory, EmulatorTarget, RealClusterTarget]
    public async Task IntOrString_AcceptsBoth(string target)
    {
        using var k = targets.ClientFor(target);
        var (group, ns) = await SetUpAsync(k, "ios");

        await k.CustomObjects.CreateNamespacedCustomObjectAsync(Widget(group, "w1", 1, new JsonObject { ["port"] = 80 }), group, "v1", ns, "widgets");
        await k.CustomObjects.CreateNamespacedCustomObjectAsync(Widget(group, "w2", 1, new JsonObject { ["port"] = "http" }), group, "v1", ns, "widgets");

        var list = ToNode(await k.CustomObjects.ListNamespacedCustomObjectAsync(group, "v1", ns, "widgets"));
        Assert.Equal(2, list["items"]!.AsArray().Count);
    }

    [Theory, EmulatorTarget, RealClusterTarget]
    public async Task DeleteCrd_RemovesInstancesAndStopsServing(string target)
    {
        using var k = targets.ClientFor(target);
        var (group, ns) = await SetUpAsync(k, "del");
        await k.CustomObjects.CreateNamespacedCustomObjectAsync(Widget(group, "w1", 1), group, "v1", ns, "widgets");

        await k.ApiextensionsV1.DeleteCustomResourceDefinitionAsync($"widgets.{group}");

        await Eventually.True(async () =>
        {
            try
            {
                await k.CustomObjects.ListNamespacedCustomObjectAsync(group, "v1", ns, "widgets");
                return false;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                return true;
            }
        }, "the resource to stop being served", TimeSpan.FromSeconds(60));
    }

    private static async Task<(string Group, string Ns)> SetUpAsync(Kubernetes k, string prefix)
    {
        var group = $"{Unique(prefix)}.example.com";
        await CreateWidgetCrdAsync(k, group);
        return (group, await NamespaceAsync(k));
    }
}
