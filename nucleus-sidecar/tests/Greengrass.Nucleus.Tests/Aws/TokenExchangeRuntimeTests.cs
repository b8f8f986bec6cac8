using System.Text.Json.Nodes;
using Greengrass.Nucleus.Aws;
using Greengrass.Nucleus.Ipc.Services;
using Greengrass.Nucleus.Contracts;
using Greengrass.Nucleus.Tests.Runtime;
using Greengrass.Nucleus.Tests.TestSupport;
using Greengrass.Peers;

namespace Greengrass.Nucleus.Tests.Aws;

/// <summary>
/// The token exchange service end to end: the nucleus runtime with the device's credentials in a mounted-Secret
/// folder, <c>aws.greengrass.TokenExchangeService</c> deployed, and <c>com.example.S3Reader</c> (the npm
/// @aws-sdk/client-s3 with its default credential chain, unchanged) listing and reading a bucket on the S3-compatible
/// test server, whose SigV4 check sees the SDK sign with the credentials the nucleus served.
/// </summary>
[Collection(RuntimeCollection.Name)]
public sealed class TokenExchangeRuntimeTests
{
    private const string Reader = "com.example.S3Reader";
    private const string Bucket = "edge-data";

    private static AwsSettings Aws(TempDirectory secret, Uri? endpoint)
    {
        File.WriteAllText(secret.Combine("accessKeyId"), S3Peer.AccessKeyId);
        File.WriteAllText(secret.Combine("secretAccessKey"), S3Peer.SecretAccessKey);
        return new AwsSettings("us-east-1", endpoint, new MountedSecretCredentialSource(secret.Path));
    }

    [S3Fact]
    public async Task SdkComponent_WithTokenExchangeDeployed_ReadsS3WithTheDeviceCredentials()
    {
        await using var s3 = await S3Peer.StartAsync(Bucket, new Dictionary<string, byte[]> { ["greeting.txt"] = "hello from the edge"u8.ToArray() });
        using var secret = new TempDirectory();
        await using var fixture = await RuntimeFixture.StartWithAwsAsync(Aws(secret, new Uri(s3.Endpoint)));

        var id = await fixture.Runtime.CreateLocalDeploymentAsync(new LocalDeploymentRequest
        {
            RecipeDirectoryPath = RuntimeFixture.RecipesDirectory,
            ArtifactsDirectoryPath = RuntimeFixture.ArtifactsDirectory,
            RootComponentVersionsToAdd = new() { [Reader] = "1.0.0" },
            ComponentToConfiguration = new()
            {
                [Reader] = new JsonObject
                {
                    ["MERGE"] = new JsonObject
                    {
                        ["peersDir"] = S3Peer.PeersDirectory, ["s3Endpoint"] = s3.Endpoint,
                        ["bucket"] = Bucket, ["key"] = "greeting.txt",
                    },
                },
            },
        }, CancellationToken.None);

        var log = Path.Combine(fixture.Root, "logs", Reader + ".log");
        await fixture.WaitForStateAsync(Reader, Contracts.ComponentState.Finished, 120);
        Assert.Equal(DeploymentStatus.Succeeded, (await fixture.WaitForDeploymentAsync(id)).Status);
        var output = await File.ReadAllTextAsync(log);
        Assert.Contains("hello from the edge", output);
        Assert.Contains("greeting.txt", output);
        Assert.Contains(($"GET /{Bucket}/greeting.txt", "match"), s3.Checked);
        Assert.DoesNotContain(s3.Checked, c => c.Verdict != "match");
        Assert.Contains(fixture.Runtime.Report().Components, c => c.Name == TokenExchangeServer.ComponentName);
        Assert.DoesNotContain(S3Peer.SecretAccessKey, string.Join('\n', fixture.Logs.Entries.Select(e => e.Message)));
    }

    [Fact]
    public async Task Component_WithoutTokenExchangeDeployed_GetsNoCredentialsUri()
    {
        using var secret = new TempDirectory();
        using var recipes = new TempDirectory();
        await File.WriteAllTextAsync(recipes.Combine("com.example.EnvDump-1.0.0.yaml"), """
            RecipeFormatVersion: 2020-01-25
            ComponentName: com.example.EnvDump
            ComponentVersion: 1.0.0
            Manifests:
              - Platform:
                  os: linux
                Lifecycle:
                  Run: env > env.txt
            """);
        await using var fixture = await RuntimeFixture.StartWithAwsAsync(Aws(secret, endpoint: null));

        var id = await fixture.Runtime.CreateLocalDeploymentAsync(new LocalDeploymentRequest
        {
            RecipeDirectoryPath = recipes.Path,
            RootComponentVersionsToAdd = new() { ["com.example.EnvDump"] = "1.0.0" },
        }, CancellationToken.None);

        Assert.Equal(DeploymentStatus.Succeeded, (await fixture.WaitForDeploymentAsync(id)).Status);
        var env = fixture.Lines(fixture.WorkFile("com.example.EnvDump", "env.txt"));
        Assert.Contains("AWS_REGION=us-east-1", env);
        Assert.Contains(env, l => l.StartsWith("AWS_CONTAINER_AUTHORIZATION_TOKEN=", StringComparison.Ordinal));
        Assert.DoesNotContain(env, l => l.StartsWith("AWS_CONTAINER_CREDENTIALS_FULL_URI=", StringComparison.Ordinal));
        Assert.NotNull(fixture.Runtime.TokenExchangeUri);
    }
}
