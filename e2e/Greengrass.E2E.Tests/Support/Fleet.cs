using Greengrass.Api;
using Greengrass.Nucleus.Contracts;
using k8s;

namespace Greengrass.E2E.Tests.Support;

/// <summary>A small fleet (three chained components, one deployment, two devices) and the probes the scenarios share.</summary>
internal static class Fleet
{
    public static readonly Dictionary<string, string> Labels = new() { ["fleet"] = "demo" };

    public static async Task ArrangeAsync(GreengrassCluster gg, string ns, params string[] devices)
    {
        await gg.CreateNamespaceAsync(ns);
        await gg.CreateAsync(Resources.Component(ns, "com.example.Base", "1.0.0", "sleep 1000"), GreengrassApi.ComponentPlural);
        await gg.CreateAsync(Resources.Component(ns, "com.example.Cache", "1.0.0", "sleep 1000", ("com.example.Base", "^1.0.0")), GreengrassApi.ComponentPlural);
        await gg.CreateAsync(Resources.Component(ns, "com.example.App", "1.0.0", "sleep 1000", ("com.example.Cache", ">=1.0.0")), GreengrassApi.ComponentPlural);
        await gg.CreateAsync(Resources.DeploymentToSelector(ns, "apps", Labels, ("com.example.App", "1.0.0")), GreengrassApi.DeploymentPlural);
        var names = devices.Length == 0 ? ["edge-a", "edge-b"] : devices;
        for (var i = 0; i < names.Length; i++)
        {
            await AddDeviceAsync(gg, ns, names[i], $"edge-node-{(i % 2) + 1}");
        }
    }

    public static Task AddDeviceAsync(GreengrassCluster gg, string ns, string name, string node) =>
        gg.CreateAsync(Resources.CoreDevice(ns, name, ThingOf(name), node, Labels), GreengrassApi.CoreDevicePlural);

    /// <summary>The device's plan once its revision reaches <paramref name="minRevision"/> and <paramref name="accept"/> holds.</summary>
    public static Task<DevicePlan> PlanAsync(GreengrassCluster gg, string ns, string device, long minRevision = 1,
        Func<DevicePlan, bool>? accept = null, TimeSpan? timeout = null) =>
        Eventually.Value(async () =>
        {
            var cm = await gg.Client.CoreV1.ReadNamespacedConfigMapAsync($"{device}-plan", ns);
            var plan = ContractJson.DeserializePlan(cm.Data["plan.json"]);
            return plan.Revision >= minRevision && (accept?.Invoke(plan) ?? true) ? plan : null;
        }, $"the plan of {device} at revision {minRevision}", timeout);

    /// <summary>Writes a nucleus report into the device's status, as the nucleus does.</summary>
    public static Task ReportAsync(GreengrassCluster gg, string ns, string device, long revision, params (string Name, string Version, string State)[] components) =>
        gg.MergePatchAsync<CoreDevice>(ns, GreengrassApi.CoreDevicePlural, device, new
        {
            status = new
            {
                appliedRevision = revision,
                nucleusVersion = "2.14.0",
                lastStatusUpdate = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                components = components.Select(c => new { name = c.Name, version = c.Version, state = c.State }).ToArray(),
            },
        }, "status");

    /// <summary>The message the App component is configured with in <paramref name="plan"/>.</summary>
    public static string? AppMessage(DevicePlan plan) =>
        plan.Components.SingleOrDefault(c => c.Name == "com.example.App")?.Configuration["message"]?.GetValue<string>();

    private static string ThingOf(string device) =>
        string.Concat(device.Split('-').Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
}
