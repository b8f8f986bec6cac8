using System.Security.Cryptography;
using System.Text;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Tests.TestSupport;

namespace Greengrass.Nucleus.Tests.Runtime;

/// <summary>Failed deployments (GREENGRASS.md §4.6–4.7) and bad input that must break one component, never the nucleus.</summary>
[Collection(RuntimeCollection.Name)]
public sealed class DeploymentFailureTests
{
    private const string Service = "com.example.Service";
    private const string Failing = "com.example.Failing";

    [Fact]
    public async Task Deployment_NewComponentBreaksUnderRollback_PreviousSetRestored()
    {
        await using var fixture = await RuntimeFixture.StartAsync();
        var first = await fixture.WaitForDeploymentAsync(await fixture.DeployAsync([Service]));

        var failed = await fixture.WaitForDeploymentAsync(await fixture.DeployAsync([Failing]));

        Assert.Equal(DeploymentStatus.FailedRollbackComplete, failed.Status);
        Assert.Equal("FAILED_ROLLBACK_COMPLETE", failed.DetailedStatus);
        Assert.Equal(["DEPLOYMENT_FAILURE", "COMPONENT_UPDATE_ERROR", "COMPONENT_BROKEN"], failed.ErrorStack);
        Assert.Contains(Failing, failed.FailureCause, StringComparison.Ordinal);
        Assert.Null(fixture.StateOf(Failing));
        Assert.Equal(ComponentState.Running, fixture.StateOf(Service));
        Assert.Single(fixture.Lines(fixture.WorkFile(Service, "starts.log")));
        Assert.Equal(first.Revision, fixture.Runtime.Report().AppliedRevision);
        Assert.Equal(first.Revision, fixture.Runtime.AppliedPlan!.Revision);
        Assert.Equal([Service], fixture.Runtime.AppliedPlan.Components.Select(c => c.Name));
    }

    [Fact]
    public async Task Deployment_NewComponentBreaksUnderDoNothing_FailedSetLeftInPlace()
    {
        await using var fixture = await RuntimeFixture.StartAsync();
        var first = await fixture.WaitForDeploymentAsync(await fixture.DeployAsync([Service]));

        var failed = await fixture.WaitForDeploymentAsync(await fixture.DeployAsync([Failing], policy: FailureHandlingPolicy.DoNothing));

        Assert.Equal(DeploymentStatus.FailedRollbackNotRequested, failed.Status);
        Assert.Equal("FAILED_ROLLBACK_NOT_REQUESTED", failed.DetailedStatus);
        Assert.Equal(ComponentState.Broken, fixture.StateOf(Failing));
        Assert.Equal(ComponentState.Running, fixture.StateOf(Service));
        Assert.Equal(first.Revision, fixture.Runtime.Report().AppliedRevision);
        Assert.Equal(failed.Revision, fixture.Runtime.AppliedPlan!.Revision);
        Assert.Equal(DeviceHealth.Unhealthy, fixture.Runtime.Report().OverallHealth);
    }

    [Fact]
    public async Task Plan_ArtifactDigestMismatch_DeploymentFailsNamingTheChecksum()
    {
        await using var server = await ArtifactServer.StartAsync();
        var uri = server.Serve("tool.sh", Encoding.UTF8.GetBytes("echo tool\n"));
        await using var fixture = await RuntimeFixture.StartAsync();
        var component = Component("com.example.Tool", "sleep 600") with
        {
            Artifacts = [new PlannedArtifact { Uri = uri.AbsoluteUri, Algorithm = "SHA-256", Digest = Convert.ToBase64String(SHA256.HashData("other"u8)) }],
        };

        await fixture.Runtime.ApplyAsync(Plan("digest", 1, FailureHandlingPolicy.DoNothing, component), CancellationToken.None);
        var report = await fixture.WaitForDeploymentAsync("digest");

        Assert.Equal(DeploymentStatus.FailedRollbackNotRequested, report.Status);
        Assert.True(report.FailureCause?.Contains("ARTIFACT_CHECKSUM_MISMATCH", StringComparison.Ordinal), report.FailureCause);
        Assert.Contains("com.example.Tool", report.FailureCause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_BadInputs_EachComponentErroredWithReasonOthersKeepRunning()
    {
        await using var fixture = await RuntimeFixture.StartAsync();
        await fixture.WaitForDeploymentAsync(await fixture.DeployAsync([Service]));
        var healthy = fixture.Runtime.AppliedPlan!.Components.Single();
        var bad = new Dictionary<string, (PlannedComponent Component, string Reason)>
        {
            ["MissingArtifact"] = (Component("com.example.MissingArtifact", "sleep 600") with
            {
                Artifacts = [new PlannedArtifact { Uri = new Uri(Path.Combine(fixture.Root, "nowhere", "tool.sh")).AbsoluteUri }],
            }, "ARTIFACT_NOT_FOUND"),
            ["MissingScript"] = (Component("com.example.MissingScript", "/opt/does-not-exist/run.sh"), "command not found"),
            ["UnknownVariable"] = (Component("com.example.UnknownVariable", "echo {configuration:/no/such/key}"), "unknown recipe variable {configuration:/no/such/key}"),
            ["InvalidUser"] = (Component("com.example.InvalidUser", "sleep 600") with { RunWith = new RunWith { PosixUser = "no-such-user-7f3a" } }, "no-such-user-7f3a"),
        };

        await fixture.Runtime.ApplyAsync(
            Plan("bad", 5, FailureHandlingPolicy.DoNothing, [healthy, .. bad.Values.Select(b => b.Component)]), CancellationToken.None);
        var report = await fixture.WaitForDeploymentAsync("bad");

        Assert.Equal(DeploymentStatus.FailedRollbackNotRequested, report.Status);
        foreach (var (component, reason) in bad.Values)
        {
            // The deployment ends at the first BROKEN component; a Run that is spawned fails a moment later.
            await Eventually.HoldsAsync(() => fixture.StatesOf(component.Name).Contains(ComponentState.Errored), $"{component.Name} errored");
            await Eventually.HoldsAsync(() => fixture.ReportOf(component.Name).Message?.Contains(reason, StringComparison.Ordinal) == true,
                $"{component.Name} says '{reason}' (it says: {fixture.ReportOf(component.Name).Message})");
        }

        Assert.Equal(ComponentState.Running, fixture.StateOf(Service));
        Assert.Single(fixture.Lines(fixture.WorkFile(Service, "starts.log")));
        Assert.Empty(fixture.Logs.Errors);
    }

    [Fact]
    public async Task Plan_CircularDependency_FailsBeforeAnyChange()
    {
        await using var fixture = await RuntimeFixture.StartAsync();
        var a = Component("com.example.A", "sleep 600") with { Dependencies = [new PlannedDependency { Name = "com.example.B" }] };
        var b = Component("com.example.B", "sleep 600") with { Dependencies = [new PlannedDependency { Name = "com.example.A" }] };

        await fixture.Runtime.ApplyAsync(Plan("cycle", 1, FailureHandlingPolicy.Rollback, a, b), CancellationToken.None);
        var report = await fixture.WaitForDeploymentAsync("cycle");

        Assert.Equal(DeploymentStatus.FailedNoStateChange, report.Status);
        Assert.Contains("com.example.A -> com.example.B -> com.example.A", report.FailureCause, StringComparison.Ordinal);
        Assert.Empty(fixture.Runtime.Report().Components);
        Assert.Null(fixture.Runtime.AppliedPlan);
    }

    [Fact]
    public async Task Plan_OlderThanAppliedOfSameGroup_Rejected()
    {
        await using var fixture = await RuntimeFixture.StartAsync();
        var current = Plan("current", 2, FailureHandlingPolicy.Rollback, Component("com.example.Now", "sleep 600"));
        await fixture.Runtime.ApplyAsync(current, CancellationToken.None);
        await fixture.WaitForDeploymentAsync("current");

        await fixture.Runtime.ApplyAsync(
            Plan("stale", 3, FailureHandlingPolicy.Rollback, Component("com.example.Old", "sleep 600")) with { CreationTimestamp = current.CreationTimestamp.AddMinutes(-5) },
            CancellationToken.None);
        var report = await fixture.WaitForDeploymentAsync("stale");

        Assert.Equal(DeploymentStatus.Rejected, report.Status);
        Assert.Null(fixture.StateOf("com.example.Old"));
        Assert.Equal(2, fixture.Runtime.Report().AppliedRevision);
    }

    private static PlannedComponent Component(string name, string run) => new()
    {
        Name = name,
        Version = "1.0.0",
        Lifecycle = new LifecycleDefinition { Run = new LifecycleStep { Script = run } },
    };

    private static DevicePlan Plan(string id, long revision, FailureHandlingPolicy policy, params PlannedComponent[] components) => new()
    {
        SchemaVersion = DevicePlan.CurrentSchemaVersion,
        ThingName = "test-device",
        DeploymentId = id,
        Revision = revision,
        CreationTimestamp = DateTimeOffset.UtcNow,
        GroupId = "thing/test-device",
        Policies = new DeploymentPolicies { FailureHandling = policy },
        Components = components,
    };
}
