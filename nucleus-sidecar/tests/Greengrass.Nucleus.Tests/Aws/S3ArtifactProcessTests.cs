using System.Security.Cryptography;
using System.Text;
using Greengrass.Nucleus.Aws;
using Greengrass.Nucleus.Cli;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Ipc.Services;
using Greengrass.Nucleus.Tests.Runtime;
using Greengrass.Nucleus.Tests.TestSupport;
using Greengrass.Peers;

namespace Greengrass.Nucleus.Tests.Aws;

/// <summary>
/// The nucleus executable with the AWS variables a nucleus pod gets from CoreDevice <c>spec.aws</c>
/// (GG_AWS_REGION, GG_AWS_CREDENTIALS_DIR, GG_S3_ENDPOINT) runs a recipe whose artifact is an unchanged
/// <c>s3://bucket/key</c> URI, fetched from the S3-compatible test server.
/// </summary>
[Collection(RuntimeCollection.Name)]
public sealed class S3ArtifactProcessTests
{
    private const string Component = "com.example.S3Script";
    private static readonly string[] User = Environment.UserName == "root" ? ["--default-user", "root"] : [];

    [S3Fact]
    public async Task NucleusExecutable_RecipeWithS3Artifact_DownloadsAndRunsIt()
    {
        var script = Encoding.UTF8.GetBytes("#!/bin/sh\necho \"fetched from s3 for $AWS_REGION\" > ran.txt\n");
        await using var s3 = await S3Peer.StartAsync("edge-tools", new Dictionary<string, byte[]> { ["tools/1.0.0/hello.sh"] = script });
        using var directory = new TempDirectory();
        var secret = directory.Combine("aws-credentials");
        Directory.CreateDirectory(secret);
        await File.WriteAllTextAsync(Path.Combine(secret, "accessKeyId"), S3Peer.AccessKeyId);
        await File.WriteAllTextAsync(Path.Combine(secret, "secretAccessKey"), S3Peer.SecretAccessKey);
        var planFile = directory.Combine("plan.json");
        await File.WriteAllTextAsync(planFile, ContractJson.SerializePlan(await BuildPlanAsync(directory, Convert.ToBase64String(SHA256.HashData(script)))));
        var root = directory.Combine("root");
        var environment = new Dictionary<string, string>
        {
            [AwsSettings.RegionEnv] = "eu-central-1",
            [AwsSettings.CredentialsDirEnv] = secret,
            [AwsSettings.S3EndpointEnv] = s3.Endpoint,
        };

        await using var nucleus = NucleusProcess.Start(root, environment, ["--plan", planFile, .. User]);
        var ran = Path.Combine(root, "work", Component, "ran.txt");
        await Eventually.HoldsAsync(() => File.Exists(ran) && File.ReadAllText(ran).Length > 0, $"{Component} to run its S3 script (nucleus output: {nucleus.Output})", TimeSpan.FromSeconds(120));

        Assert.Equal("fetched from s3 for eu-central-1\n", await File.ReadAllTextAsync(ran));
        Assert.Contains(("GET /edge-tools/tools/1.0.0/hello.sh", "match"), s3.Checked);
        Assert.DoesNotContain(S3Peer.SecretAccessKey, nucleus.Output);
        nucleus.Signal("TERM");
        Assert.Equal(0, await nucleus.WaitForExitAsync());
    }

    private static async Task<DevicePlan> BuildPlanAsync(TempDirectory directory, string digest)
    {
        var recipes = directory.Combine("recipes");
        Directory.CreateDirectory(recipes);
        await File.WriteAllTextAsync(Path.Combine(recipes, $"{Component}-1.0.0.yaml"), $"""
            RecipeFormatVersion: 2020-01-25
            ComponentName: {Component}
            ComponentVersion: 1.0.0
            Manifests:
              - Platform:
                  os: linux
                Lifecycle:
                  Run: sh {"{artifacts:path}"}/hello.sh
                Artifacts:
                  - URI: s3://edge-tools/tools/1.0.0/hello.sh
                    Digest: {digest}
                    Algorithm: SHA-256
            """);
        // No artifact folder: the s3:// URI stays as the recipe wrote it, as in a deployment from the cluster.
        return LocalDeploymentBuilder.Build(
            new LocalDeploymentRequest { RecipeDirectoryPath = recipes, RootComponentVersionsToAdd = new() { [Component] = "1.0.0" } },
            null,
            "crash-device",
            DateTimeOffset.UtcNow);
    }
}
