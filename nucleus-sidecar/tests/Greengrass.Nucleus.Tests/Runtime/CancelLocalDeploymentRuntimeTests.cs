using System.Text.Json.Nodes;
using Greengrass.Nucleus.Cli;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Ipc.Services;
using Greengrass.Nucleus.Runtime;
using Greengrass.Nucleus.Tests.TestSupport;
using NodePeer = Greengrass.Nucleus.Tests.Ipc.NodePeer;
using SdkFactAttribute = Greengrass.Nucleus.Tests.Ipc.SdkFactAttribute;

namespace Greengrass.Nucleus.Tests.Runtime;

/// <summary>
/// CancelLocalDeployment against a real runtime: a queued deployment is dropped, one held by a deferral stops before
/// it changes anything, one already installing runs to its end; the official npm SDK client cancels a held deployment.
/// </summary>
[Collection(RuntimeCollection.Name)]
public sealed class CancelLocalDeploymentRuntimeTests
{
    private const string Deferrer = "com.example.UpdateDeferrer";
    private const string OneShot = "com.example.OneShot";

    [Fact]
    public async Task Cancel_QueuedBehindAnInstallingDeployment_DropsTheQueuedOneAndTheInstallingOneFinishes()
    {
        await using var fixture = await RuntimeFixture.StartAsync();
        using var recipes = new TempDirectory();
        var release = recipes.Combine("release");
        await File.WriteAllTextAsync(recipes.Combine("com.test.Gate-1.0.0.yaml"), GateRecipe(release));
        var installing = await fixture.Runtime.CreateLocalDeploymentAsync(new LocalDeploymentRequest
        {
            RecipeDirectoryPath = recipes.Path,
            RootComponentVersionsToAdd = new() { ["com.test.Gate"] = "1.0.0" },
        }, CancellationToken.None);
        // In the report means merged and installing: past the point where a cancellation could still stop it.
        await Eventually.HoldsAsync(() => fixture.StateOf("com.test.Gate") is not null, "the gate component is being installed");
        var queued = await fixture.DeployAsync([OneShot]);

        var tooLate = await fixture.Runtime.CancelLocalDeploymentAsync(installing, CancellationToken.None);
        var dropped = await fixture.Runtime.CancelLocalDeploymentAsync(queued, CancellationToken.None);
        var recorded = fixture.Runtime.Deployments().Single(d => d.DeploymentId == queued);
        await File.WriteAllTextAsync(release, "go");
        var first = await fixture.WaitForDeploymentAsync(installing);
        // The queue is first in, first out: once a later deployment ended, the dropped one was passed over.
        var later = await fixture.Runtime.CreateLocalDeploymentAsync(new LocalDeploymentRequest(), CancellationToken.None);
        var last = await fixture.WaitForDeploymentAsync(later);

        Assert.Equal(CancelVerdict.TooLate, tooLate);
        Assert.Equal(DeploymentStatus.Succeeded, first.Status);
        Assert.Equal(CancelVerdict.DropQueued, dropped);
        Assert.True(recorded.Canceled);
        Assert.Equal(DeploymentStatus.Rejected, recorded.Report.Status);
        Assert.Equal(DeploymentStatus.Succeeded, last.Status);
        Assert.Null(fixture.StateOf(OneShot));
        Assert.DoesNotContain(fixture.Runtime.AppliedPlan!.Components, c => c.Name == OneShot);
        Assert.True(fixture.Runtime.Deployments().Single(d => d.DeploymentId == queued).Canceled);
        Assert.True(fixture.Logs.Errors.Count == 0, string.Join("\n", fixture.Logs.Errors));
    }

    [Fact]
    public async Task Cancel_FinishedOrUnknownOrNotLocal_ChangesNothing()
    {
        await using var fixture = await RuntimeFixture.StartAsync();
        var finished = await fixture.DeployAsync([OneShot]);
        await fixture.WaitForDeploymentAsync(finished);
        var before = fixture.Runtime.Deployments().Single(d => d.DeploymentId == finished);

        var again = await fixture.Runtime.CancelLocalDeploymentAsync(finished, CancellationToken.None);
        var unknown = await fixture.Runtime.CancelLocalDeploymentAsync(Guid.NewGuid().ToString(), CancellationToken.None);

        Assert.Equal(CancelVerdict.AlreadyFinished, again);
        Assert.Equal(CancelVerdict.NotFound, unknown);
        Assert.Equal(before, fixture.Runtime.Deployments().Single(d => d.DeploymentId == finished));
    }

    [Fact]
    public async Task Cancel_AfterANucleusRestart_StillKnowsTheFinishedLocalDeployment()
    {
        using var root = new TempDirectory();
        string id;
        await using (var first = await RuntimeFixture.StartOnAsync(root.Combine("root")))
        {
            id = await first.DeployAsync([OneShot]);
            await first.WaitForDeploymentAsync(id);
        }

        await using var second = await RuntimeFixture.StartOnAsync(root.Combine("root"));
        var verdict = await second.Runtime.CancelLocalDeploymentAsync(id, CancellationToken.None);

        Assert.Equal(CancelVerdict.AlreadyFinished, verdict);
    }

    [Fact]
    public async Task Cancel_PlanFromTheOperator_IsNotALocalDeployment()
    {
        await using var fixture = await RuntimeFixture.StartAsync();
        var plan = new DevicePlan
        {
            SchemaVersion = DevicePlan.CurrentSchemaVersion,
            ThingName = "test-device",
            DeploymentId = Guid.NewGuid().ToString(),
            Revision = 1,
            GroupId = "thing/test-device",
            CreationTimestamp = TimeProvider.System.GetUtcNow(),
        };
        await fixture.Runtime.ApplyAsync(plan, CancellationToken.None);

        var verdict = await fixture.Runtime.CancelLocalDeploymentAsync(plan.DeploymentId, CancellationToken.None);

        Assert.Equal(CancelVerdict.NotFound, verdict);
        Assert.Equal(DeploymentStatus.Succeeded, (await fixture.WaitForDeploymentAsync(plan.DeploymentId)).Status);
    }

    [SdkFact]
    public async Task SdkClient_CancelsADeploymentHeldByADeferral_StatusIsCanceledAndNothingChanged()
    {
        await using var fixture = await RuntimeFixture.StartAsync(enableIpc: true);
        var configuration = new JsonObject
        {
            ["MERGE"] = new JsonObject
            {
                ["peersDir"] = NodePeer.PeersDirectory,
                // Far longer than the test: only the cancellation ends this deferral.
                ["deferMs"] = 600_000,
                ["accessControl"] = JsonNode.Parse("""
                    {"aws.greengrass.Cli": {"com.example.UpdateDeferrer:cli": {"operations": ["aws.greengrass#CreateLocalDeployment",
                     "aws.greengrass#CancelLocalDeployment", "aws.greengrass#GetLocalDeploymentStatus", "aws.greengrass#ListLocalDeployments"],
                     "resources": ["*"]}}}
                    """),
            },
        };
        var setup = await fixture.WaitForDeploymentAsync(await fixture.DeployAsync([Deferrer], configuration: new() { [Deferrer] = configuration }));
        Assert.True(setup.Status == DeploymentStatus.Succeeded, $"{setup.Status}: {setup.FailureCause}");
        await Eventually.HoldsAsync(() => Log(fixture, Deferrer).Contains("\"ready\":true", StringComparison.Ordinal), "the deferrer subscribed to updates");
        var token = fixture.Runtime.Ipc.TokenOf(Deferrer)!;
        var socket = fixture.Runtime.Options.EffectiveIpcSocketPath;

        var created = await RunAsync(socket, token, "created", "create", RuntimeFixture.RecipesDirectory, RuntimeFixture.ArtifactsDirectory, OneShot, "1.0.0");
        var id = created.GetProperty("deploymentId").GetString()!;
        await Eventually.HoldsAsync(() => Log(fixture, Deferrer).Contains("\"deferringMs\":600000", StringComparison.Ordinal), "the deployment is deferred");
        var cancel = await RunAsync(socket, token, "cancel", "cancel", id);
        await Eventually.HoldsAsync(() => fixture.Runtime.Deployments().Single(d => d.DeploymentId == id).Canceled, "the cancellation is recorded");
        var status = await RunAsync(socket, token, "status", "status", id);
        var list = await RunAsync(socket, token, "list", "list");
        var withoutId = await RunAsync(socket, token, "error", "cancel");

        Assert.Contains("Cancel request submitted", cancel.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("CANCELED", status.GetProperty("deployment").GetProperty("status").GetString());
        Assert.Contains(list.GetProperty("localDeployments").EnumerateArray(),
            d => d.GetProperty("deploymentId").GetString() == id && d.GetProperty("status").GetString() == "CANCELED");
        // The model lists InvalidArgumentsError for this operation: the SDK names it.
        Assert.Equal("InvalidArgumentsError", withoutId.GetString());
        Assert.Null(fixture.StateOf(OneShot));
        Assert.DoesNotContain(fixture.Runtime.AppliedPlan!.Components, c => c.Name == OneShot);
        // The deferring component learns that the update it held off is over.
        await Eventually.HoldsAsync(() => Log(fixture, Deferrer).Contains("\"postUpdate\"", StringComparison.Ordinal), "the deferrer hears the update ended");
        Assert.True(fixture.Logs.Errors.Count == 0, string.Join("\n", fixture.Logs.Errors));
    }

    private static async Task<System.Text.Json.JsonElement> RunAsync(string socket, string token, string expected, params string[] args)
    {
        await using var peer = NodePeer.Start(socket, token, ["local-deployment", .. args]);
        var value = await peer.WaitForAsync(expected);
        await peer.ExitedCleanlyAsync();
        return value;
    }

    private static string GateRecipe(string release) => $"""
        ---
        RecipeFormatVersion: 2020-01-25
        ComponentName: com.test.Gate
        ComponentVersion: 1.0.0
        Manifests:
          - Platform:
              os: linux
            Lifecycle:
              Install:
                Script: while [ ! -f '{release}' ]; do sleep 0.1; done
                Timeout: 300
              Run: echo installed
        """;

    private static string Log(RuntimeFixture fixture, string component)
    {
        var path = Path.Combine(fixture.Root, "logs", component + ".log");
        return File.Exists(path) ? File.ReadAllText(path) : "";
    }
}
