using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Tests.TestSupport;

namespace Greengrass.Nucleus.Tests.Runtime;

/// <summary>
/// Deployments that restart the nucleus (GREENGRASS.md §5.2): Bootstrap steps run with every component stopped, the
/// runtime asks to exit with 100, and a new runtime on the same root resumes the deployment by stage.
/// </summary>
[Collection(RuntimeCollection.Name)]
public sealed class NucleusRestartTests
{
    private const string Base = "com.example.Base";
    private const string Boot = "com.example.Boot";
    private const string After = "com.example.After";

    [Fact]
    public async Task Bootstrap_Exit100_NucleusExitsThenResumesRemainingTasksAndActivates()
    {
        using var directory = new TempDirectory();
        var root = directory.Combine("root");
        var first = Plan("base", 1, FailureHandlingPolicy.Rollback, Service(Base));
        // After depends on Boot: Boot's Bootstrap runs first, asks for a restart at once, After's runs after it.
        var second = Plan("boot", 2, FailureHandlingPolicy.Rollback, Service(Base),
            WithBootstrap(Service(Boot), "echo boot >> {work:path}/bootstraps; exit 100"),
            WithBootstrap(Service(After, dependsOn: Boot), "echo after >> {work:path}/bootstraps; exit 0"));

        await using (var life = await RuntimeFixture.StartOnAsync(root))
        {
            await life.Runtime.ApplyAsync(first, CancellationToken.None);
            Assert.Equal(DeploymentStatus.Succeeded, (await life.WaitForDeploymentAsync("base")).Status);
            await life.Runtime.ApplyAsync(second, CancellationToken.None);

            Assert.Equal(100, await Eventually.WithinAsync(life.Runtime.ExitRequested, "the nucleus to ask for a restart", TimeSpan.FromSeconds(90)));
            Assert.Equal(ComponentState.Finished, life.StateOf(Base));
            Assert.Contains("shutdown", life.Lines(life.WorkFile(Base, "events")));
            Assert.Equal(["boot"], life.Lines(life.WorkFile(Boot, "bootstraps")));
            Assert.Empty(life.Lines(life.WorkFile(After, "bootstraps")));
            Assert.Equal((DeploymentStatus.InProgress, "BOOTSTRAP"), (life.Runtime.Report().Deployment!.Status, life.Runtime.Report().Deployment!.DetailedStatus));
            Assert.True(life.Logs.Errors.Count == 0, string.Join("\n", life.Logs.Errors));
        }

        await using (var life = await RuntimeFixture.StartOnAsync(root))
        {
            Assert.Equal(100, await Eventually.WithinAsync(life.Runtime.ExitRequested, "the second restart after the remaining Bootstrap", TimeSpan.FromSeconds(90)));
            Assert.Equal(["after"], life.Lines(life.WorkFile(After, "bootstraps")));
            Assert.Empty(life.Runtime.Report().Components);
            Assert.Equal("KERNEL_ACTIVATION", life.Runtime.Report().Deployment!.DetailedStatus);
        }

        await using (var life = await RuntimeFixture.StartOnAsync(root))
        {
            var report = await life.WaitForDeploymentAsync("boot");
            Assert.Equal(DeploymentStatus.Succeeded, report.Status);
            Assert.All(new[] { Base, Boot, After }, c => Assert.Equal(ComponentState.Running, life.StateOf(c)));
            Assert.Equal(2, life.Runtime.AppliedPlan!.Revision);
            Assert.Equal(2, life.Runtime.Report().AppliedRevision);
            Assert.Equal(2, life.Runtime.DeploymentRestarts);

            // The plan source offers the same revision again (a watcher that started before it was applied): nothing reruns.
            await life.Runtime.ApplyAsync(second, CancellationToken.None);
            Assert.Equal(DeploymentStatus.Succeeded, life.Runtime.Deployments().Last(d => d.DeploymentId == "boot").Report.Status);
            Assert.Equal(["boot"], life.Lines(life.WorkFile(Boot, "bootstraps")));
            Assert.False(life.Runtime.ExitRequested.IsCompleted);
            Assert.True(life.Logs.Errors.Count == 0, string.Join("\n", life.Logs.Errors));
        }
    }

    [Fact]
    public async Task Bootstrap_Fails_RestartsIntoRollbackAndRebootstrapsOptedInComponents()
    {
        using var directory = new TempDirectory();
        var root = directory.Combine("root");
        var v1 = WithBootstrap(Service(Boot), "echo v1 >> {work:path}/bootstraps");
        v1 = v1 with { Lifecycle = v1.Lifecycle with { Bootstrap = v1.Lifecycle.Bootstrap! with { BootstrapOnRollback = true } } };
        var v2 = WithBootstrap(Service(Boot) with { Version = "2.0.0" }, "echo v2 >> {work:path}/bootstraps");
        var bad = WithBootstrap(Service(After, dependsOn: Boot), "echo failing >&2; exit 3");

        await using (var life = await RuntimeFixture.StartOnAsync(root))
        {
            await life.Runtime.ApplyAsync(Plan("v1", 1, FailureHandlingPolicy.Rollback, v1), CancellationToken.None);
            await Eventually.WithinAsync(life.Runtime.ExitRequested, "the restart of the first deployment", TimeSpan.FromSeconds(90));
        }

        await using (var life = await RuntimeFixture.StartOnAsync(root))
        {
            Assert.Equal(DeploymentStatus.Succeeded, (await life.WaitForDeploymentAsync("v1")).Status);
            await life.Runtime.ApplyAsync(Plan("v2", 2, FailureHandlingPolicy.Rollback, v2, bad), CancellationToken.None);
            await Eventually.WithinAsync(life.Runtime.ExitRequested, "the restart into the rollback", TimeSpan.FromSeconds(90));
            Assert.Equal("KERNEL_ROLLBACK", life.Runtime.Report().Deployment!.DetailedStatus);
        }

        await using (var life = await RuntimeFixture.StartOnAsync(root))
        {
            var report = await life.WaitForDeploymentAsync("v2");
            Assert.Equal(DeploymentStatus.FailedRollbackComplete, report.Status);
            Assert.Equal(["DEPLOYMENT_FAILURE", "COMPONENT_UPDATE_ERROR", "COMPONENT_BOOTSTRAP_ERROR"], report.ErrorStack);
            Assert.Contains("exited with code 3", report.FailureCause, StringComparison.Ordinal);
            // v1 at the first deployment, v2 before After failed, v1 again because it opted in and v2's had started.
            Assert.Equal(["v1", "v2", "v1"], life.Lines(life.WorkFile(Boot, "bootstraps")));
            Assert.Equal(ComponentState.Running, life.StateOf(Boot));
            Assert.Equal("1.0.0", life.ReportOf(Boot).Version);
            Assert.Null(life.StateOf(After));
            Assert.Equal(1, life.Runtime.AppliedPlan!.Revision);
            Assert.Equal(1, life.Runtime.Report().AppliedRevision);
            Assert.True(life.Logs.Errors.Count == 0, string.Join("\n", life.Logs.Errors));
        }
    }

    [Fact]
    public async Task Bootstrap_FailsUnderDoNothing_NewPlanActivatedAndReportedFailed()
    {
        using var directory = new TempDirectory();
        var root = directory.Combine("root");
        await using (var life = await RuntimeFixture.StartOnAsync(root))
        {
            await life.Runtime.ApplyAsync(
                Plan("keep", 1, FailureHandlingPolicy.DoNothing, WithBootstrap(Service(Boot), "exit 7")), CancellationToken.None);
            await Eventually.WithinAsync(life.Runtime.ExitRequested, "the restart after the failed Bootstrap", TimeSpan.FromSeconds(90));
        }

        await using (var life = await RuntimeFixture.StartOnAsync(root))
        {
            var report = await life.WaitForDeploymentAsync("keep");
            Assert.Equal(DeploymentStatus.FailedRollbackNotRequested, report.Status);
            Assert.Contains("COMPONENT_BOOTSTRAP_ERROR", report.ErrorStack);
            Assert.Equal(ComponentState.Running, life.StateOf(Boot));
        }
    }

    [Fact]
    public async Task Restart_ComponentDroppedByThePlan_InstallsAgainWhenItComesBack()
    {
        using var directory = new TempDirectory();
        var root = directory.Combine("root");
        var installed = Service(Base) with { Lifecycle = Service(Base).Lifecycle with { Install = new LifecycleStep { Script = "echo installed >> {work:path}/installs" } } };
        await using (var life = await RuntimeFixture.StartOnAsync(root))
        {
            await life.Runtime.ApplyAsync(Plan("base", 1, FailureHandlingPolicy.Rollback, installed), CancellationToken.None);
            await life.WaitForDeploymentAsync("base");
            await life.Runtime.ApplyAsync(Plan("swap", 2, FailureHandlingPolicy.Rollback, WithBootstrap(Service(Boot), "exit 0")), CancellationToken.None);
            await Eventually.WithinAsync(life.Runtime.ExitRequested, "the restart of the swap", TimeSpan.FromSeconds(90));
        }

        await using (var life = await RuntimeFixture.StartOnAsync(root))
        {
            Assert.Equal(DeploymentStatus.Succeeded, (await life.WaitForDeploymentAsync("swap")).Status);
            Assert.Null(life.StateOf(Base));
            await life.Runtime.ApplyAsync(Plan("back", 3, FailureHandlingPolicy.Rollback, WithBootstrap(Service(Boot), "exit 0"), installed), CancellationToken.None);

            Assert.Equal(DeploymentStatus.Succeeded, (await life.WaitForDeploymentAsync("back")).Status);
            Assert.Equal(["installed", "installed"], life.Lines(life.WorkFile(Base, "installs")));
        }
    }

    /// <summary>A component that runs until stopped and records its Shutdown in <c>events</c>.</summary>
    private static PlannedComponent Service(string name, string? dependsOn = null) => new()
    {
        Name = name,
        Version = "1.0.0",
        Lifecycle = new LifecycleDefinition
        {
            Run = new LifecycleStep { Script = "exec sleep 600" },
            Shutdown = new LifecycleStep { Script = "echo shutdown >> {work:path}/events" },
        },
        Dependencies = dependsOn is null ? [] : [new PlannedDependency { Name = dependsOn }],
    };

    private static PlannedComponent WithBootstrap(PlannedComponent component, string script) =>
        component with { Lifecycle = component.Lifecycle with { Bootstrap = new LifecycleStep { Script = script, TimeoutSeconds = 60 } } };

    internal static DevicePlan Plan(string id, long revision, FailureHandlingPolicy policy, params PlannedComponent[] components) => new()
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
