using System.Text.Json.Nodes;
using Greengrass.Nucleus.Cli;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Tests.Runtime;
using Greengrass.Nucleus.Tests.TestSupport;

namespace Greengrass.Nucleus.Tests.Cli;

/// <summary><c>greengrass-nucleus cli</c> against a running nucleus over its Unix socket.</summary>
[Collection(RuntimeCollection.Name)]
public sealed class CliCommandTests
{
    private const string Service = "com.example.Service";

    [Fact]
    public async Task Cli_LocalDeploymentAndComponentCommands_DriveTheRunningNucleus()
    {
        await using var fixture = await RuntimeFixture.StartAsync();

        var created = await RunAsync(fixture, "deployment", "create", "--recipe-dir", RuntimeFixture.RecipesDirectory,
            "--artifact-dir", RuntimeFixture.ArtifactsDirectory, "--merge", $"{Service}=1.0.0",
            "--update-config", new JsonObject { [Service] = new JsonObject { ["MERGE"] = new JsonObject { ["greeting"] = "from the cli" } } }.ToJsonString());
        var id = created!["deploymentId"]!.GetValue<string>();
        await Eventually.HoldsAsync(
            () => RunAsync(fixture, "deployment", "status", id).GetAwaiter().GetResult()!["report"]!["status"]!.GetValue<string>() == "SUCCEEDED",
            "the local deployment succeeds");

        var list = (await RunAsync(fixture, "deployment", "list"))!.AsArray();
        Assert.Equal(id, Assert.Single(list)!["deploymentId"]!.GetValue<string>());
        var components = (await RunAsync(fixture, "component", "list"))!.AsArray();
        Assert.Equal("RUNNING", Assert.Single(components)!["state"]!.GetValue<string>());
        var details = await RunAsync(fixture, "component", "details", Service);
        Assert.Equal("1.0.0", details!["version"]!.GetValue<string>());
        Assert.Equal("from the cli", details["configuration"]!["greeting"]!.GetValue<string>());

        await RunAsync(fixture, "component", "restart", Service);
        await Eventually.HoldsAsync(() => fixture.Lines(fixture.WorkFile(Service, "starts.log")).Length == 2, "the restart started the service again");
        await fixture.WaitForStateAsync(Service, ComponentState.Running);

        await RunAsync(fixture, "component", "stop", Service);
        await fixture.WaitForStateAsync(Service, ComponentState.Finished);

        var logs = new StringWriter();
        Assert.Equal(0, await CliCommand.RunAsync(["--root", fixture.Root, "logs", Service], logs, TextWriter.Null));
        Assert.Contains("services.com.example.Service.lifecycle.Run", logs.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_BadRequests_ExplainWithoutHarmingTheNucleus()
    {
        await using var fixture = await RuntimeFixture.StartAsync();

        var (unknown, unknownError) = await RunRawAsync(fixture, "component", "restart", "com.example.Nothing");
        var (missing, missingError) = await RunRawAsync(fixture, "deployment", "create", "--recipe-dir", fixture.Root, "--merge", "com.example.Nothing=1.0.0");
        var (usage, usageError) = await RunRawAsync(fixture, "deployment", "create", "--update-config", "{not json");

        Assert.Equal(1, unknown);
        Assert.Contains("com.example.Nothing is not deployed", unknownError, StringComparison.Ordinal);
        Assert.Equal(1, missing);
        Assert.Contains("com.example.Nothing", missingError, StringComparison.Ordinal);
        Assert.Equal(2, usage);
        Assert.Contains("--update-config", usageError, StringComparison.Ordinal);
        Assert.Empty(fixture.Runtime.Deployments());
    }

    [Fact]
    public async Task Cli_DeploymentCancel_FinishedOneIsLeftAndUnknownOneRefused()
    {
        await using var fixture = await RuntimeFixture.StartAsync();
        var id = await fixture.DeployAsync(["com.example.OneShot"]);
        var report = await fixture.WaitForDeploymentAsync(id);
        var unknownId = Guid.NewGuid().ToString();

        var finished = await RunAsync(fixture, "deployment", "cancel", id);
        var (unknown, unknownError) = await RunRawAsync(fixture, "deployment", "cancel", unknownId);

        Assert.Contains("already finished", finished!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(report, fixture.Runtime.Deployments().Single(d => d.DeploymentId == id).Report);
        Assert.Equal(1, unknown);
        Assert.Contains(unknownId, unknownError, StringComparison.Ordinal);
    }

    private static async Task<JsonNode?> RunAsync(RuntimeFixture fixture, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CliCommand.RunAsync(["--root", fixture.Root, .. args], output, error);
        Assert.True(code == 0, $"cli {string.Join(' ', args)} exited {code}: {error}");
        return JsonNode.Parse(output.ToString());
    }

    private static async Task<(int Code, string Error)> RunRawAsync(RuntimeFixture fixture, params string[] args)
    {
        var error = new StringWriter();
        var code = await CliCommand.RunAsync(["--root", fixture.Root, .. args], TextWriter.Null, error);
        return (code, error.ToString());
    }
}
