using Greengrass.Nucleus.Cli;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Ipc.Services;
using Greengrass.Nucleus.Supervision;
using Greengrass.Nucleus.Tests.Runtime;
using Greengrass.Nucleus.Tests.TestSupport;

namespace Greengrass.Nucleus.Tests.Artifacts;

/// <summary>
/// A root nucleus runs components as its default user (a nucleus pod's process kubelet runs the nucleus as root): the
/// artifacts it prepared are handed to that user, so an artifact with the default OWNER read permission is readable
/// by the component, as in Greengrass.
/// </summary>
[Collection(RuntimeCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ArtifactOwnershipProcessTests
{
    private const string Component = "com.example.OwnedArtifact";

    [Fact]
    public async Task RootNucleus_DefaultUserNobody_ComponentReadsItsOwnerOnlyArtifact()
    {
        Assert.True(PosixIdentity.Current().IsRoot, "this test needs a root nucleus (the build machines run as root)");
        using var directory = new TempDirectory();
        var recipes = directory.Combine("recipes");
        var artifacts = directory.Combine("artifacts", Component, "1.0.0");
        Directory.CreateDirectory(recipes);
        Directory.CreateDirectory(artifacts);
        await File.WriteAllTextAsync(Path.Combine(artifacts, "secret.txt"), "owner only");
        await File.WriteAllTextAsync(Path.Combine(recipes, $"{Component}-1.0.0.yaml"), $"""
            RecipeFormatVersion: 2020-01-25
            ComponentName: {Component}
            ComponentVersion: 1.0.0
            Manifests:
              - Platform:
                  os: linux
                Lifecycle:
                  Run: cat {"{artifacts:path}"}/secret.txt > copy.txt
                Artifacts:
                  - URI: s3://bucket/secret.txt
            """);
        var plan = LocalDeploymentBuilder.Build(
            new LocalDeploymentRequest
            {
                RecipeDirectoryPath = recipes, ArtifactsDirectoryPath = directory.Combine("artifacts"), RootComponentVersionsToAdd = new() { [Component] = "1.0.0" },
            },
            null,
            "crash-device",
            DateTimeOffset.UtcNow);
        var planFile = directory.Combine("plan.json");
        await File.WriteAllTextAsync(planFile, ContractJson.SerializePlan(plan));
        var root = directory.Combine("root");

        await using var nucleus = NucleusProcess.Start(root, ["--plan", planFile, "--default-user", "nobody"]);
        var copy = Path.Combine(root, "work", Component, "copy.txt");
        await Eventually.HoldsAsync(() => File.Exists(copy) && File.ReadAllText(copy).Length > 0,
            $"{Component} to copy its artifact as nobody (nucleus output: {nucleus.Output})", TimeSpan.FromSeconds(120));

        Assert.Equal("owner only", await File.ReadAllTextAsync(copy));
        var artifact = Directory.EnumerateFiles(Path.Combine(root, "packages", "artifacts", Component), "secret.txt", SearchOption.AllDirectories).Single();
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(artifact)); // still OWNER-only: the owner changed, not the mode
        nucleus.Signal("TERM");
        Assert.Equal(0, await nucleus.WaitForExitAsync());
    }
}
