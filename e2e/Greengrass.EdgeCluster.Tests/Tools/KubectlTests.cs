using System.Diagnostics;
using Greengrass.EdgeCluster.Tests.Support;
using static Greengrass.EdgeCluster.Tests.Support.TestObjects;

namespace Greengrass.EdgeCluster.Tests.Tools;

/// <summary>The real kubectl 1.32 against the emulator: apply, get (printer columns, yaml), describe, label, delete, watch.</summary>
[Collection(ClusterCollection.Name)]
public sealed class KubectlTests(ClusterTargets targets)
{
    private static string Crd(string group) => WidgetCrdJson(group);

    private static string Widgets(string group, string ns) => $"""
        apiVersion: {group}/v1
        kind: Widget
        metadata:
          name: small
          namespace: {ns}
          finalizers: [example.com/hold]
        spec:
          size: 2
        ---
        apiVersion: {group}/v1
        kind: Widget
        metadata:
          name: large
          namespace: {ns}
        spec:
          size: 9
          color: blue
        """;

    [KubectlFact]
    public async Task Apply_CrdAndCustomResources_GetShowsPrinterColumns()
    {
        using var kubectl = new Kubectl(targets.Cluster.KubeconfigPath);
        var (group, ns) = await SetUpAsync(kubectl);

        var apply = await kubectl.RunAsync("apply -f -", Widgets(group, ns));
        var get = await kubectl.RunAsync($"get widgets.{group} -n {ns}");

        Assert.Contains($"widget.{group}/small created", apply.Ok().Stdout);
        var lines = get.Ok().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+SIZE\s+PHASE\s+AGE", lines[0]);
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^large\s+9\s+<none>\s+\d+s"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^small\s+2\s+"));

        var again = await kubectl.RunAsync("apply -f -", Widgets(group, ns).Replace("size: 9", "size: 8"));
        Assert.Contains($"widget.{group}/large configured", again.Ok().Stdout);
        Assert.Contains($"widget.{group}/small unchanged", again.Stdout);
    }

    [KubectlFact]
    public async Task GetByName_ShowsPrinterColumns()
    {
        using var kubectl = new Kubectl(targets.Cluster.KubeconfigPath);
        var (group, ns) = await SetUpAsync(kubectl);
        (await kubectl.RunAsync("apply -f -", Widgets(group, ns))).Ok();

        var get = await kubectl.RunAsync($"get widget.{group} large -n {ns}");

        var lines = get.Ok().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^NAME\s+SIZE\s+PHASE\s+AGE", lines[0]);
        Assert.Matches(@"^large\s+9\s+<none>\s+\d+s", lines[1]);
    }

    [KubectlFact]
    public async Task GetYamlAndDescribe_ShowStoredObject()
    {
        using var kubectl = new Kubectl(targets.Cluster.KubeconfigPath);
        var (group, ns) = await SetUpAsync(kubectl);
        (await kubectl.RunAsync("apply -f -", Widgets(group, ns))).Ok();

        var yaml = (await kubectl.RunAsync($"get widget.{group} large -n {ns} -o yaml")).Ok().Stdout;
        var describe = (await kubectl.RunAsync($"describe widgets.{group} large -n {ns}")).Ok().Stdout;

        Assert.Contains($"apiVersion: {group}/v1", yaml);
        Assert.Contains("color: blue", yaml);
        Assert.Contains("resourceVersion:", yaml);
        Assert.Contains("Name:         large", describe);
        Assert.Contains("Size:   9", describe);
    }

    [KubectlFact]
    public async Task Label_ThenSelect_ShowsOnlyLabelled()
    {
        using var kubectl = new Kubectl(targets.Cluster.KubeconfigPath);
        var (group, ns) = await SetUpAsync(kubectl);
        (await kubectl.RunAsync("apply -f -", Widgets(group, ns))).Ok();

        (await kubectl.RunAsync($"label widgets.{group} large -n {ns} team=edge")).Ok();
        var selected = (await kubectl.RunAsync($"get widgets.{group} -n {ns} -l team=edge -o name")).Ok().Stdout;

        Assert.Equal($"widget.{group}/large", selected.Trim());
    }

    [KubectlFact]
    public async Task Delete_WaitsForFinalizersToBeRemoved()
    {
        using var kubectl = new Kubectl(targets.Cluster.KubeconfigPath);
        var (group, ns) = await SetUpAsync(kubectl);
        (await kubectl.RunAsync("apply -f -", Widgets(group, ns))).Ok();

        var delete = kubectl.RunAsync($"delete widgets.{group} small -n {ns} --timeout=60s");
        await Eventually.True(async () =>
            (await kubectl.RunAsync($"get widgets.{group} small -n {ns} -o jsonpath={{.metadata.deletionTimestamp}}")).Stdout.Length > 0,
            "deletionTimestamp to be set");
        Assert.False(delete.IsCompleted, "kubectl delete must wait while a finalizer holds the object");

        (await kubectl.RunAsync($"patch widgets.{group} small -n {ns} --type=json -p '[{{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}}]'")).Ok();

        var result = (await delete).Ok();
        Assert.Contains("deleted", result.Stdout);
        var get = await kubectl.RunAsync($"get widgets.{group} small -n {ns}");
        Assert.Contains("NotFound", get.Stderr);
    }

    [KubectlFact]
    public async Task GetWatch_ReceivesUpdate()
    {
        using var kubectl = new Kubectl(targets.Cluster.KubeconfigPath);
        var (group, ns) = await SetUpAsync(kubectl);
        (await kubectl.RunAsync("apply -f -", Widgets(group, ns))).Ok();
        using var watch = kubectl.Start($"get widgets.{group} large -n {ns} --watch --no-headers");
        var lines = new List<string>();
        var reader = Task.Run(async () =>
        {
            while (await watch.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (lines)
                {
                    lines.Add(line);
                }
            }
        });
        try
        {
            await Eventually.True(() => Task.FromResult(Snapshot(lines).Any(l => l.StartsWith("large", StringComparison.Ordinal))), "the initial row");

            (await kubectl.RunAsync($"patch widgets.{group} large -n {ns} --subresource=status --type=merge -p '{{\"status\":{{\"phase\":\"Running\"}}}}'")).Ok();

            await Eventually.True(() => Task.FromResult(Snapshot(lines).Any(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^large\s+9\s+Running"))), "the watched update");
        }
        finally
        {
            watch.Kill(entireProcessTree: true);
            await watch.WaitForExitAsync();
            await reader;
        }
    }

    [KubectlFact]
    public async Task BuiltInKinds_ApplyTwiceAndDeleteNamespace()
    {
        using var kubectl = new Kubectl(targets.Cluster.KubeconfigPath);
        var ns = Unique("kc");
        var manifest = $$"""
            apiVersion: v1
            kind: Namespace
            metadata: {name: {{ns}}}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, namespace: {{ns}}}
            data: {mode: one}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: app, namespace: {{ns}}}
            spec:
              containers:
              - name: main
                image: example/app
                env: [{name: A, value: "1"}]
            """;
        (await kubectl.RunAsync("apply -f -", manifest)).Ok();
        var second = (await kubectl.RunAsync("apply -f -", manifest.Replace("mode: one", "mode: two").Replace("value: \"1\"", "value: \"2\""))).Ok();

        Assert.Contains("configmap/settings configured", second.Stdout);
        Assert.Equal("two", (await kubectl.RunAsync($"get cm settings -n {ns} -o jsonpath={{.data.mode}}")).Ok().Stdout);
        Assert.Equal("2", (await kubectl.RunAsync($"get pod app -n {ns} -o jsonpath={{.spec.containers[0].env[0].value}}")).Ok().Stdout);
        Assert.Contains("Pending", (await kubectl.RunAsync($"get pods -n {ns}")).Ok().Stdout);

        (await kubectl.RunAsync($"delete ns {ns} --timeout=60s")).Ok();
        Assert.Contains("NotFound", (await kubectl.RunAsync($"get ns {ns}")).Stderr);
    }

    private static List<string> Snapshot(List<string> lines)
    {
        lock (lines)
        {
            return [.. lines];
        }
    }

    private static async Task<(string Group, string Ns)> SetUpAsync(Kubectl kubectl)
    {
        var group = $"{Unique("kc")}.example.com";
        var ns = Unique("kc");
        (await kubectl.RunAsync("apply -f -", Crd(group))).Ok();
        (await kubectl.RunAsync("apply -f -", $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n")).Ok();
        return (group, ns);
    }
}
