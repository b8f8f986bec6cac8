using System.Text.Json.Nodes;
using Greengrass.EdgeCluster.Tests.Support;
using k8s;
using k8s.Models;
using static Greengrass.EdgeCluster.Tests.Support.TestObjects;

namespace Greengrass.EdgeCluster.Tests.Semantics;

/// <summary>Served versions, server-side apply, and the CEL rules warning.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CustomResourceMoreTests(ClusterTargets targets)
{
    [Theory, EmulatorTarget, RealClusterTarget]
    public async Task TwoServedVersions_ObjectReadableAtEither(string target)
    {
        using var k = targets.ClientFor(target);
        var group = $"{Unique("ver")}.example.com";
        var crd = KubernetesJson.Deserialize<V1CustomResourceDefinition>(WidgetCrdJson(group));
        var v2 = KubernetesJson.Deserialize<V1CustomResourceDefinitionVersion>(KubernetesJson.Serialize(crd.Spec.Versions[0]));
        v2.Name = "v2";
        v2.Storage = false;
        crd.Spec.Versions.Add(v2);
        await k.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        var ns = await NamespaceAsync(k);
        await Eventually.True(async () =>
        {
            try
            {
                await k.CustomObjects.CreateNamespacedCustomObjectAsync(Widget(group, "w1", 2), group, "v1", ns, "widgets");
                return true;
            }
            catch (k8s.Autorest.HttpOperationException)
            {
                return false;
            }
        }, "the CRD to be served");

        var atV2 = ToNode(await k.CustomObjects.GetNamespacedCustomObjectAsync(group, "v2", ns, "widgets", "w1"));

        Assert.Equal($"{group}/v2", (string?)atV2["apiVersion"]);
        Assert.Equal(2, (int)atV2["spec"]!["size"]!);
    }

    [Theory, EmulatorTarget, RealClusterTarget]
    public async Task ServerSideApply_CreatesThenUpdates(string target)
    {
        using var k = targets.ClientFor(target);
        var ns = await NamespaceAsync(k);
        var first = new V1Patch("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ssa"},"data":{"a":"1"}}""", V1Patch.PatchType.ApplyPatch);
        var second = new V1Patch("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ssa"},"data":{"a":"2"}}""", V1Patch.PatchType.ApplyPatch);

        await k.CoreV1.PatchNamespacedConfigMapAsync(first, "ssa", ns, fieldManager: "tests");
        var updated = await k.CoreV1.PatchNamespacedConfigMapAsync(second, "ssa", ns, fieldManager: "tests");

        Assert.Equal("2", updated.Data["a"]);
    }

    [Fact]
    public async Task CrdWithCelRules_CreatedWithNotEnforcedWarning()
    {
        using var k = targets.ClientFor(ClusterTargets.Emulator);
        var group = $"{Unique("cel")}.example.com";
        var json = JsonNode.Parse(WidgetCrdJson(group))!;
        json["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!["x-kubernetes-validations"] =
            new JsonArray(new JsonObject { ["rule"] = "self.size <= 5", ["message"] = "too big" });
        var crd = KubernetesJson.Deserialize<V1CustomResourceDefinition>(json.ToJsonString());

        using var response = await k.ApiextensionsV1.CreateCustomResourceDefinitionWithHttpMessagesAsync(crd);

        Assert.Contains(response.Response.Headers.Warning, w => w.Text.Contains("not enforced", StringComparison.Ordinal));
    }
}
