using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Greengrass.E2E.Tests.Support;

/// <summary>
/// Runs e2e/peers/discovery-device.js: a client device on the official AWS IoT Device SDK v2 that discovers its core
/// device through the operator's discovery API and, with <c>mqtt</c>, connects to the returned broker trusting the
/// returned CA, subscribes to <c>topic</c> and publishes to it.
/// </summary>
internal static class DiscoveryPeer
{
    /// <summary>The peer's one-line JSON result: <c>{status, groups, connected, received, error}</c>.</summary>
    public static async Task<JsonNode> RunAsync(int discoveryPort, string discoveryCa, string certPath, string keyPath, string thing,
        string topic, string payload, bool mqtt)
    {
        var options = new JsonObject
        {
            ["host"] = "localhost", ["discoveryPort"] = discoveryPort, ["discoveryCa"] = discoveryCa, ["cert"] = certPath,
            ["key"] = keyPath, ["thingName"] = thing, ["topic"] = topic, ["payload"] = payload, ["mqtt"] = mqtt,
        };
        var info = new ProcessStartInfo("node", ["discovery-device.js", options.ToJsonString()])
        {
            WorkingDirectory = Path.Combine(Repository.Root, "e2e", "peers"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = Process.Start(info)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await node.WaitForExitAsync(timeout.Token);
        var line = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        return line is not null && line.StartsWith('{') ? JsonNode.Parse(line)!
            : throw new InvalidOperationException($"discovery-device.js exited {node.ExitCode}: {await stderr}");
    }
}
