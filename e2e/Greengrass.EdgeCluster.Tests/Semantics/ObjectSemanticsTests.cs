using System.Net;
using System.Text.Json.Nodes;
using Greengrass.EdgeCluster.Tests.Support;
using k8s;
using k8s.Autorest;
using k8s.Models;
using static Greengrass.EdgeCluster.Tests.Support.TestObjects;

namespace Greengrass.EdgeCluster.Tests.Semantics;

/// <summary>Create/get/update semantics: AlreadyExists, NotFound, resourceVersion conflicts, generation, status subresource.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ObjectSemanticsTests(ClusterTargets targets)
{
    [Theory, EmulatorTarget, RealClusterTarget]
    public async Task Create_SameNameTwice_AlreadyExists409(string target)
    {
        using var k = targets.ClientFor(target);
        var ns = await NamespaceAsync(k);
        await k.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("c1"), ns);

        var e = await FailsAsync(() => k.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("c1"), ns));

        Assert.Equal(HttpStatusCode.Conflict, e.Response.StatusCode);
        var status = StatusOf(e);
        Assert.Equal("AlreadyExists", (string?)status["reason"]);
        Assert.Equal("configmaps \"c1\" already exists", (string?)status["message"]);
    }

    [Theory, EmulatorTarget, RealClusterTarget]
    public async Task Create_InvalidObjectInMissingNamespace_NamespaceNotFoundFirst(string target)
    {
        using var k = targets.ClientFor(target);
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "Not_A_Valid_Name" }, Spec = new V1PodSpec { Containers = [] } };

        var e = await FailsAsync(() => k.CoreV1.CreateNamespacedPodAsync(pod, Unique("absent")));

        // The namespace lifecycle admission answers before the object is validated.
        Assert.Equal(HttpStatusCode.NotFound, e.Response.StatusCode);
        Assert.Equal("namespaces", (string?)StatusOf(e)["details"]?["kind"]);
    }

    [Theory, EmulatorTarget, RealClusterTarget]
    public async Task Create_InvalidObjectUnderTakenName_Invalid422First(string target)
    {
        using var k = targets.ClientFor(target);
        var ns = await NamespaceAsync(k);
        var valid = new V1Pod { Metadata = new V1ObjectMeta { Name = "p1" }, Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "app" }] } };
        await k.CoreV1.CreateNamespacedPodAsync(valid, ns);

        var e = await FailsAsync(() => k.CoreV1.CreateNamespacedPodAsync(
            new V1Pod { Metadata = new V1ObjectMeta { Name = "p1" }, Spec = new V1PodSpec { Containers = [] } }, ns));

        // Validation comes before storage, which is where a taken name is found.
        Assert.Equal((HttpStatusCode)422, e.Response.StatusCode);
        Assert.Equal("Invalid", (string?)StatusOf(e)["reason"]);
    }

    [Theory, EmulatorTarget, RealClusterTarget]
    public async Task Get_MissingObject_NotFound404(string target)
    {
        using var k = targets.ClientFor(target);
        var ns = await NamespaceAsync(k);

        var e = await FailsAsync(() => k.CoreV1.ReadNamespacedConfigMapAsync("absent", ns));

        Assert.Equal(HttpStatusCode.NotFound, e.Response.StatusCode);
        Assert.Equal("NotFound", (string?)StatusOf(e)["reason"]);
        Assert.Equal("configmaps", (string?)StatusOf(e)["details"]?["kind"]);
    }

    [Theory, EmulatorTarget, RealClusterTarget]
    public async Task Update_StaleResourceVersion_Conflict409(string target)
    {
        using var k = targets.ClientFor(target);
        var ns = await NamespaceAsync(k);
        var first = await k.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("c1"), ns);
        first.Data["k"] = "v2";
        var second = await k.CoreV1.ReplaceNamespacedConfigMapAsync(first, "c1", ns);
        Assert.NotEqual(first.Metadata.ResourceVersion, second.Metadata.ResourceVersion);

        first.Data["k"] = "v3"; // still carries the old resourceVersion
        var e = await FailsAsync(() => k.CoreV1.ReplaceNamespacedConfigMapAsync(first, "c1", ns));

        Assert.Equal(HttpStatusCode.Conflict, e.Response.StatusCode);
        Assert.Equal("Conflict", (string?)StatusOf(e)["reason"]);
        Assert.Contains("the object has been modified; please apply your changes to the latest version and try again", (string?)StatusOf(e)["message"]);
        Assert.Equal("v2", (await k.CoreV1.ReadNamespacedConfigMapAsync("c1", ns)).Data["k"]);
    }

    [Theory, EmulatorTarget, RealClusterTarget]
    public async Task Update_NoChange_KeepsResourceVersion(string target)
    {
        using var k = targets.ClientFor(target);
        var ns = await NamespaceAsync(k);
        var created = await k.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("c1"), ns);

        var same = await k.CoreV1.ReplaceNamespacedConfigMapAsync(created, "c1", ns);

        Assert.Equal(created.Metadata.ResourceVersion, same.Metadata.ResourceVersion);
    }

    [Theory, EmulatorTarget, RealClusterTarget]
    public async Task Generation_WithStatusSubresource_MovesOnlyOnSpecChange(string target)
    {
        using var k = targets.ClientFor(target);
        var group = $"{Unique("gen")}.example.com";
        await CreateWidgetCrdAsync(k, group);
        var ns = await NamespaceAsync(k);
        await k.CustomObjects.CreateNamespacedCustomObjectAsync(Widget(group, "w1", 1), group, "v1", ns, "widgets");

        await PatchWidgetAsync(k, group, ns, new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["a"] = "b" } } });
        Assert.Equal(1, await GenerationAsync(k, group, ns));
        await PatchWidgetAsync(k, group, ns, new JsonObject { ["status"] = new JsonObject { ["phase"] = "Ready" } }, status: true);
        Assert.Equal(1, await GenerationAsync(k, group, ns));
        await PatchWidgetAsync(k, group, ns, new JsonObject { ["spec"] = new JsonObject { ["size"] = 2 } });
        Assert.Equal(2, await GenerationAsync(k, group, ns));
    }

    [Theory, EmulatorTarget, RealClusterTarget]
    public async Task Generation_WithoutStatusSubresource_MovesOnAnyNonMetadataChange(string target)
    {
        using var k = targets.ClientFor(target);
        var group = $"{Unique("gen2")}.example.com";
        await CreateWidgetCrdAsync(k, group, statusSubresource: false);
        var ns = await NamespaceAsync(k);
        await k.CustomObjects.CreateNamespacedCustomObjectAsync(Widget(group, "w1", 1), group, "v1", ns, "widgets");

        await PatchWidgetAsync(k, group, ns, new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["a"] = "b" } } });
        Assert.Equal(1, await GenerationAsync(k, group, ns));
        await PatchWidgetAsync(k, group, ns, new JsonObject { ["status"] = new JsonObject { ["phase"] = "Ready" } });
        Assert.Equal(2, await GenerationAsync(k, group, ns));
    }

    [Theory, EmulatorTarget, RealClusterTarget]
    public async Task StatusSubresource_MainAndStatusWrites_AreIsolated(string target)
    {
        using var k = targets.ClientFor(target);
        var group = $"{Unique("st")}.example.com";
        await CreateWidgetCrdAsync(k, group);
        var ns = await NamespaceAsync(k);
        var widget = Widget(group, "w1", 1);
        widget["status"] = new JsonObject { ["phase"] = "Ignored" };
        var created = ToNode(await k.CustomObjects.CreateNamespacedCustomObjectAsync(widget, group, "v1", ns, "widgets"));
        Assert.Null(created["status"]);

        // A main write that carries status leaves status alone.
        await PatchWidgetAsync(k, group, ns, new JsonObject { ["spec"] = new JsonObject { ["size"] = 3 }, ["status"] = new JsonObject { ["phase"] = "X" } });
        // A status write that carries spec leaves spec alone.
        await PatchWidgetAsync(k, group, ns, new JsonObject { ["spec"] = new JsonObject { ["size"] = 9 }, ["status"] = new JsonObject { ["phase"] = "Ready" } }, status: true);

        var current = ToNode(await k.CustomObjects.GetNamespacedCustomObjectAsync(group, "v1", ns, "widgets", "w1"));
        Assert.Equal(3, (int)current["spec"]!["size"]!);
        Assert.Equal("Ready", (string?)current["status"]!["phase"]);
    }

    [Theory, EmulatorTarget, RealClusterTarget]
    public async Task Delete_WithFinalizer_SetsDeletionTimestampUntilFinalizersRemoved(string target)
    {
        using var k = targets.ClientFor(target);
        var ns = await NamespaceAsync(k);
        var cm = ConfigMap("held");
        cm.Metadata.Finalizers = ["example.com/hold"];
        await k.CoreV1.CreateNamespacedConfigMapAsync(cm, ns);

        await k.CoreV1.DeleteNamespacedConfigMapAsync("held", ns);
        var deleting = await k.CoreV1.ReadNamespacedConfigMapAsync("held", ns);
        Assert.NotNull(deleting.Metadata.DeletionTimestamp);

        var patch = new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch);
        await k.CoreV1.PatchNamespacedConfigMapAsync(patch, "held", ns);
        var e = await FailsAsync(() => k.CoreV1.ReadNamespacedConfigMapAsync("held", ns));
        Assert.Equal(HttpStatusCode.NotFound, e.Response.StatusCode);
    }

    [Theory, EmulatorTarget, RealClusterTarget]
    public async Task Create_GenerateName_AssignsUniqueName(string target)
    {
        using var k = targets.ClientFor(target);
        var ns = await NamespaceAsync(k);
        var cm = new V1ConfigMap { Metadata = new V1ObjectMeta { GenerateName = "gen-" } };

        var a = await k.CoreV1.CreateNamespacedConfigMapAsync(cm, ns);
        var b = await k.CoreV1.CreateNamespacedConfigMapAsync(cm, ns);

        Assert.StartsWith("gen-", a.Metadata.Name);
        Assert.NotEqual(a.Metadata.Name, b.Metadata.Name);
        Assert.False(string.IsNullOrEmpty(a.Metadata.Uid));
        Assert.NotNull(a.Metadata.CreationTimestamp);
    }

    [Theory, EmulatorTarget, RealClusterTarget]
    public async Task Create_InMissingNamespace_NotFound(string target)
    {
        using var k = targets.ClientFor(target);

        var e = await FailsAsync(() => k.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("c1"), Unique("absent")));

        Assert.Equal(HttpStatusCode.NotFound, e.Response.StatusCode);
        Assert.Contains("namespaces", (string?)StatusOf(e)["message"]);
    }

    private static Task PatchWidgetAsync(Kubernetes k, string group, string ns, JsonObject patch, bool status = false)
    {
        var body = new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch);
        return status
            ? k.CustomObjects.PatchNamespacedCustomObjectStatusAsync(body, group, "v1", ns, "widgets", "w1")
            : k.CustomObjects.PatchNamespacedCustomObjectAsync(body, group, "v1", ns, "widgets", "w1");
    }

    private static async Task<long> GenerationAsync(Kubernetes k, string group, string ns) =>
        (long)ToNode(await k.CustomObjects.GetNamespacedCustomObjectAsync(group, "v1", ns, "widgets", "w1"))["metadata"]!["generation"]!;
}
